package sched

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// DefaultMaxSteps is the step limit when Options.MaxSteps is 0.
const DefaultMaxSteps = 20000

// DefaultStuckAfter is how long a step may take in real time, when
// Options.StuckAfter is 0, before the model is reported stuck.
const DefaultStuckAfter = 10 * time.Second

// InterruptGrace is how long a step may take, once Options.Interrupt is
// closed, before the model is reported stuck.
const InterruptGrace = 500 * time.Millisecond

// Options configure a Scheduler.
type Options struct {
	// MaxSteps ends an execution with a StepLimit failure after this many
	// steps (0: DefaultMaxSteps).
	MaxSteps int
	// Detail records result details in the trace (values read, items got,
	// log text) and when each thread was blocked (Result.Blocks).
	// Exploration leaves it off and replays failures with it on.
	Detail bool
	// NoRaces turns data race detection off.
	NoRaces bool
	// StuckAfter is how long one step may take in real time before the
	// model is declared to block outside the simulator or to spin without
	// a step (0: DefaultStuckAfter; negative: never).
	StuckAfter time.Duration
	// OnStuck receives the one-line report when a model is stuck, with the
	// decisions the execution had taken (its schedule up to there), from
	// the watchdog's goroutine. A stuck goroutine cannot be unwound: the
	// program should write down what it must and exit. The default prints
	// both to stderr and exits with status 3.
	OnStuck func(report string, decisions []int)
	// Interrupt, when closed (Ctrl-C), shortens StuckAfter to
	// InterruptGrace: a model blocked outside the simulator is reported
	// soon after the user asked to stop, not StuckAfter later.
	Interrupt <-chan struct{}
	// State keeps the fingerprint of the state at every scheduling point
	// (see state.go), for stateful exploration.
	State bool
	// CheckState, with State, recomputes the whole state at every
	// scheduling point and fails the execution with a Panic when the
	// incremental fingerprint missed a change (a primitive that changed
	// an object without Thread.Changed). For tests of primitives.
	CheckState bool
	// TimeInState, with State, makes the virtual time part of the state.
	// Without it, states that differ only in the time are one state, which
	// is sound while no thread reads the time itself: deadlines are kept
	// relative to now, and primitives use differences of Thread.Clock.
	// Thread.Now sets ClockObserved; a stateful search that sees it starts
	// again with TimeInState.
	TimeInState bool
	// NoTrace keeps no trace and no log: Result.Trace and Result.Logs stay
	// empty, Result.Steps counts the steps, and LastEvent is the only event
	// a Chooser can read. For searches that read neither: a long execution's
	// trace costs memory and collection time. Such a search replays, with a
	// trace, the executions it reports.
	NoTrace bool
	// UncaughtExceptionsOK makes an exception that ends a thread other
	// than main no failure, for programs that rely on threads dying of
	// one (CPython's exit status ignores them). It is still printed.
	UncaughtExceptionsOK bool
}

// Program is a model: the function the main thread runs.
type Program func(main *Thread)

// Scheduler runs executions of programs. It reuses its coroutines, threads
// and buffers across executions, so one Scheduler should run many; it is
// not safe for concurrent use (use one per worker).
type Scheduler struct {
	opts    Options
	pool    pool
	threads []*Thread
	spare   []*Thread // Thread structs kept for reuse
	objects []*Object
	fresh   []*Thread // started this step; their code runs to a first step
	stdout  Object
	// unwinding: the execution has ended and unwind is ending the threads
	// still running (their deferred functions run, unseen).
	unwinding bool
	// logReads is what the model reads of its log (log.go).
	logReads logRule
	// clockObserved: some execution called Thread.Now (never reset).
	clockObserved bool
	// exitObserved: some execution observed a thread's exit otherwise
	// than by joining it, or ran a daemon (exits.go; never reset).
	exitObserved bool
	// creator made the execution's last creation (NoThread: none yet),
	// created the thread it started (NoThread: an object); creationsRace:
	// two creations were not ordered by the program (creators.go).
	creator, created ThreadID
	creationsRace    bool

	now          time.Duration
	cur          *Thread
	steps        int
	live         int // non-daemon threads not yet finished
	named        int // Thread-N counter
	chooser      Chooser
	choice       Choice
	lastDecision int
	// The options of the scheduling point (collectOptions): up to 64
	// threads, the bit set of the enabled threads (optMask) and whether
	// the clock is one (optClock), listed in options only once asked
	// (optListed); beyond, only the list (optWide). nOptions counts them.
	optMask    uint64
	optClock   bool
	optWide    bool
	optListed  bool
	nOptions   int
	options    []ThreadID
	curEnabled bool // cur is among options (collectOptions)
	failure    *Failure
	stopped    bool // the chooser returned Stop
	result     Result
	lone       Event // the last event, with NoTrace
	hasLone    bool
	watchdog   watchdog
	slab       slab[uint32] // the objects' clocks
	reads      slab[epoch]  // the Data objects' reads
	clockOps   []clockOp    // clock operations not yet applied (clocklog.go)
	clocksNow  bool         // apply them at their steps
	names      []string     // "Thread-N" by N, kept across executions
	state      stateTable
	// running is the thread whose code runs now, on its coroutine, or
	// nil: a Step of any other thread comes from a goroutine the
	// scheduler does not run (foreignStep).
	running *Thread
	// inline is the thread execute resumed, while its code runs: its next
	// Step may make the next decision itself (continues); handed is a
	// decision made there for Run to carry out.
	inline *Thread
	handed handoff
	// host is the thread Run's goroutine resumed, which runs Run's loop
	// on its coroutine (continue.go), or nil.
	host   *Thread
	replay replay   // replay.go
	gates  gates    // gates.go
	onEnd  []func() // external.go
	// program is the running execution's; mainBody is runMain, made once
	// (a closure over program made by every Run would be allocated).
	program    Program
	mainBody   func(*Thread)
	excepthook ExceptHook // threading.excepthook; nil: the default
}

// New returns a Scheduler with the given options.
func New(opts Options) *Scheduler {
	if opts.MaxSteps == 0 {
		opts.MaxSteps = DefaultMaxSteps
	}
	if opts.StuckAfter == 0 {
		opts.StuckAfter = DefaultStuckAfter
	}
	s := &Scheduler{opts: opts}
	s.mainBody = s.runMain
	s.watchdog.init(s)
	return s
}

// Close releases the scheduler's coroutines and watchdog.
func (s *Scheduler) Close() {
	s.pool.close()
	s.watchdog.stop()
}

// Options returns the scheduler's options.
func (s *Scheduler) Options() Options { return s.opts }

// Run runs one execution of p under c and returns its result. The result
// and its slices belong to the scheduler and are overwritten by the next
// Run: call Result.Clone to keep them.
func (s *Scheduler) Run(p Program, c Chooser) *Result {
	s.reset(c)
	s.watchdog.begin()
	defer s.watchdog.end()
	s.program = p
	s.startMain(s.spawn(nil, "MainThread", false, s.mainBody))
	for {
		id, ok := s.takeDecision()
		if !ok {
			break
		}
		if id == ClockID {
			s.fire()
		} else {
			s.execute(s.threads[id], true)
		}
	}
	if s.opts.Detail {
		s.closeBlocks()
	}
	s.unwind()
	s.runOnEnd()
	return s.finishResult()
}

// runMain is the main thread's body: the program, then the exit hooks.
func (s *Scheduler) runMain(t *Thread) {
	if exc := t.Try(func() { s.program(t) }); exc != nil {
		t.uncaught(exc)
	}
	t.runExitHooks()
}

func (s *Scheduler) reset(c Chooser) {
	s.beginReplay(c, len(s.result.Trace))
	s.chooser = c
	s.threads = s.threads[:0]
	s.objects = s.objects[:0]
	s.fresh = s.fresh[:0]
	s.now, s.cur, s.steps, s.live, s.named = 0, nil, 0, 0, 0
	s.gates = gates{}
	s.creator, s.created, s.creationsRace = NoThread, NoThread, false
	s.failure, s.stopped, s.hasLone, s.excepthook = nil, false, false, nil
	s.inline, s.handed, s.host = nil, handoff{}, nil
	s.result.reset()
	s.slab.reset()
	s.reads.reset()
	s.clockOps, s.clocksNow = s.clockOps[:0], eagerClocks
	s.state.reset(s.opts.State)
	s.stdout = Object{}
	s.logReads = logRule{}
	s.register(&s.stdout, Plain, "stdout", "stdout")
}

// spawn creates and starts a thread; its code runs to its first step in
// startFresh.
func (s *Scheduler) spawn(parent *Thread, name string, daemon bool, fn func(*Thread)) *Thread {
	t := s.newThread()
	t.s, t.daemon, t.body = s, daemon, fn
	t.name = name
	if name == "" {
		s.named++
		t.name = s.threadName(s.named)
		if s.state.on {
			s.dirtyProgram()
		}
	}
	s.launch(parent, t)
	s.register(&t.obj, Sync, "Thread", t.name)
	t.obj.state = t
	return t
}

// launch starts t, created by spawn or NewThread: it gets its id and
// creation path, and its code runs to its first step in startFresh.
func (s *Scheduler) launch(parent *Thread, t *Thread) {
	t.id, t.parent, t.state = ThreadID(len(s.threads)), NoThread, live
	t.path = "0"
	if parent != nil {
		s.noteCreation(parent, t.id)
		parent.children++
		t.parent = parent.id
		t.path = t.paths.child(parent.path, parent.children)
		t.hist = childHistory(parent)
	}
	s.threads = append(s.threads, t)
	s.logStart(parent, t)
	if !t.daemon {
		s.live++
	}
	if s.state.on {
		s.noteExitWatchers(t)
	}
	s.fresh = append(s.fresh, t)
}

// threadName returns "Thread-n", built once per n.
func (s *Scheduler) threadName(n int) string {
	for len(s.names) <= n {
		s.names = append(s.names, "Thread-"+strconv.Itoa(len(s.names)))
	}
	return s.names[n]
}

// pathCache remembers the last creation path built in a Thread slot: the
// same program puts the same thread in the same slot every execution.
type pathCache struct {
	parent string
	index  int
	path   string
}

func (c *pathCache) child(parent string, index int) string {
	if c.path == "" || c.index != index || c.parent != parent {
		c.parent, c.index, c.path = parent, index, parent+"."+strconv.Itoa(index)
	}
	return c.path
}

func (s *Scheduler) newThread() *Thread {
	var t *Thread
	if n := len(s.threads); n < len(s.spare) {
		t = s.spare[n]
		// Zeroed in place, then the buffers put back: a composite
		// literal would be built aside and copied, and a Thread is large.
		vc, hooks, paths := t.vc[:0], t.hooks[:0], t.paths
		*t = Thread{}
		t.vc, t.hooks, t.paths = vc, hooks, paths
	} else {
		t = &Thread{}
		s.spare = append(s.spare, t)
	}
	return t
}

// startFresh runs the code of threads started in the last step up to their
// first operation, in creation order. It runs after every step, and most
// steps start none: the test is inlined.
func (s *Scheduler) startFresh() {
	if len(s.fresh) > 0 {
		s.startThreads()
	}
}

// startThreads is startFresh's loop.
func (s *Scheduler) startThreads() {
	for i := 0; i < len(s.fresh) && !s.halted() && !s.stopped; i++ {
		t := s.fresh[i]
		t.coro = s.pool.get()
		s.running = t
		t.coro.start(t, t.body)
		s.running = nil
	}
	s.fresh = s.fresh[:0]
}

// startMain runs the main thread's code from Run's goroutine as the host
// (continue.go): the main thread runs Run's loop from its first
// operation until the execution ends or its function returns.
func (s *Scheduler) startMain(t *Thread) {
	s.fresh = s.fresh[:0]
	t.coro = s.pool.get()
	s.running, s.inline, s.host = t, t, t
	t.coro.start(t, t.body)
	s.running, s.inline, s.host = nil, nil, nil
	s.startFresh() // the threads main started, when its function returned
}

func (s *Scheduler) register(o *Object, class ObjectClass, kind, name string) {
	o.id, o.class, o.kind, o.name = ObjID(len(s.objects)), class, kind, name
	o.hb.reset()
	s.objects = append(s.objects, o)
}

// collectOptions finds the options of the scheduling point: the enabled
// threads in id order and the clock last when a deadline is pending. It
// reports whether any exist. It also notes whether the thread that ran
// the last step is enabled (curEnabled), which decide hands the Chooser.
// It runs at every scheduling point, so up to 64 threads it reads the
// bit sets of gates.go into a bit set of the options (optMask,
// optClock), and the list of options (Choice.Options) is made only when
// the Chooser is asked (currentOptions): a replayed step (replay.go)
// compares bit sets. Beyond 64 threads it loops over every thread
// (collectAll) into s.options (optWide). The blocks of Options.Detail
// are tracked in a loop of their own.
func (s *Scheduler) collectOptions() bool {
	if len(s.threads) <= 64 {
		s.optWide, s.optListed = false, false
		s.collectGated() // sets optMask, optClock, curEnabled
		s.nOptions = bits.OnesCount64(s.optMask) + int(b2u(s.optClock))
		if checkGates {
			s.checkGated(s.currentOptions())
		}
	} else {
		if n := len(s.threads) + 1; cap(s.options) < n {
			s.options = make([]ThreadID, 0, 2*n)
		}
		opts := s.options[:len(s.threads)+1]
		s.options = opts[:s.collectAll(opts)]
		s.optWide, s.optListed, s.nOptions = true, true, len(s.options)
		s.curEnabled = s.cur != nil && slices.Contains(s.options, s.cur.id)
	}
	if s.opts.Detail {
		for _, t := range s.threads {
			s.trackBlock(t, t.enabled())
		}
	}
	return s.nOptions > 0
}

// currentOptions returns the options of the scheduling point as a list,
// made from the bit set at the first call (collectOptions).
func (s *Scheduler) currentOptions() []ThreadID {
	if s.optListed {
		return s.options
	}
	if cap(s.options) < 65 {
		s.options = make([]ThreadID, 0, 65)
	}
	opts := s.options[:0]
	for m := s.optMask; m != 0; m &= m - 1 {
		opts = append(opts, ThreadID(bits.TrailingZeros64(m)))
	}
	if s.optClock {
		opts = append(opts, ClockID)
	}
	s.options, s.optListed = opts, true
	return opts
}

// collectAll is collectOptions's loop over every thread: it fills opts
// (with room for every thread and the clock) and returns how many it
// filled. A first pass, which calls nothing, lists the threads that may
// be enabled, marking those whose Waiter must say (a call in the loop
// would make every iteration save and restore its registers); a second
// pass asks those, in id order, and drops the ones not ready.
func (s *Scheduler) collectAll(opts []ThreadID) int {
	k, polls, clock := 0, 0, false
	for _, t := range s.threads {
		switch t.state {
		case live:
			clock = clock || t.waiting
			if t.pend.Wait != nil && !t.timedOut && !t.expired {
				opts[k] = ^t.id // enabled if its Waiter is ready
				polls++
			} else {
				opts[k] = t.id
			}
			k++
		case exiting:
			opts[k] = t.id
			k++
		}
	}
	if polls > 0 {
		k = s.pollWaiters(opts[:k])
	}
	if clock {
		opts[k] = ClockID
		k++
	}
	return k
}

// checkGated panics when the options collectGated found differ from
// those of the loop over every thread (checkGates).
func (s *Scheduler) checkGated(got []ThreadID) {
	want := make([]ThreadID, len(s.threads)+1)
	want = want[:s.collectAll(want)]
	cur := s.cur != nil && slices.Contains(want, s.cur.id)
	if !slices.Equal(got, want) || cur != s.curEnabled {
		panic(fmt.Sprintf("sched: the gates give options %v (current enabled: %v) at step %d, the threads %v (%v)",
			got, s.curEnabled, s.steps, want, cur))
	}
}

// pollWaiters keeps, of the threads collectOptions listed, those enabled:
// a thread marked ^id is enabled when its pending operation's Waiter is
// ready. It returns how many it kept, in the same order.
func (s *Scheduler) pollWaiters(opts []ThreadID) int {
	k := 0
	for _, id := range opts {
		if id < 0 {
			id = ^id
			t := s.threads[id]
			if !t.pend.Wait.Ready(t) {
				continue
			}
		}
		opts[k] = id
		k++
	}
	return k
}

// execute runs t's pending operation and t's local code up to its next
// operation. That code may go on running t's next steps itself
// (continues), as long as the decisions pick t. Called on Run's
// goroutine (fromRun), t is the host while its code runs; else it is
// called by the host (hostLoop) and t is its guest.
func (s *Scheduler) execute(t *Thread, fromRun bool) {
	s.beginStep(t)
	if t.state == exiting {
		s.exit(t)
		return
	}
	s.running, s.inline = t, t
	if fromRun {
		s.host = t
	}
	t.coro.resume()
	s.running, s.inline = nil, nil
	if fromRun {
		s.host = nil
	}
	s.startFresh()
}

// beginStep does the scheduler's part of t's step, before its operation
// completes: the clocks, the trace, the step count.
func (s *Scheduler) beginStep(t *Thread) {
	t.waiting = false // the operation completes now, or has timed out
	if t.expired && !t.ready() {
		t.timedOut = true // a newcomer took what it waited for
	}
	if s.state.on {
		s.stepState(t)
	}
	s.happensBefore(t, t.pend.Obj, t.pend.Access)
	s.record(t)
	s.cur = t
	s.steps++
	s.watchdog.progress()
}

func (s *Scheduler) exit(t *Thread) {
	t.state = finished
	s.regate(t)
	if !t.daemon {
		s.live--
	}
	s.pool.put(t.coro)
	t.coro = nil
}

// unwind ends every thread still running when the execution ends: daemons
// frozen at exit, and every thread after a failure.
func (s *Scheduler) unwind() {
	s.unwinding = true
	defer func() { s.unwinding = false }()
	for _, t := range s.threads {
		if t.state == live && t.coro != nil { // nil: started, but its code never ran
			t.aborting = true
			t.coro.resume()
		}
		if t.coro != nil {
			s.pool.put(t.coro)
			t.coro = nil
		}
		if t.state != finished {
			t.state = dead
		}
	}
}

// noteChild records in the current event the thread it started.
func (s *Scheduler) noteChild(child *Thread) {
	if e := s.lastEvent(); e != nil {
		e.Child = child.id
	}
}

// Thread returns thread id of the current execution.
func (s *Scheduler) Thread(id ThreadID) *Thread { return s.threads[id] }

// NumThreads returns the number of threads started so far.
func (s *Scheduler) NumThreads() int { return len(s.threads) }

// Now returns the virtual time.
func (s *Scheduler) Now() time.Duration { return s.now }
