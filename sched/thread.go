package sched

import (
	"fmt"
	"strconv"
	"time"
)

// ThreadID identifies a virtual thread within one execution: threads are
// numbered in creation order, the main thread is 0. The clock pseudo-thread
// is [ClockID].
type ThreadID int32

// ClockID is the id of the clock pseudo-thread in [Choice.Options] and in
// trace events of fired deadlines.
const ClockID ThreadID = 1 << 30

// NoThread stands for "no thread".
const NoThread ThreadID = -1

type threadState uint8

const (
	live     threadState = iota // parked in Step with an operation pending
	exiting                     // body returned; the exit step is pending
	finished                    // exited
	dead                        // unwound: its execution ended first
	initial                     // created by NewThread, not started
)

// Thread is a virtual thread. Model code receives its own *Thread and
// passes it to every operation; a *Thread must only be used by the thread
// it denotes.
type Thread struct {
	s        *Scheduler
	id       ThreadID
	name     string
	path     string
	parent   ThreadID
	daemon   bool
	state    threadState
	pend     Op
	timedOut bool
	expired  bool // the deadline passed while the operation was ready
	deadline time.Duration
	waiting  bool // a deadline is registered
	aborting bool
	coro     *coro
	body     func(*Thread)
	children int
	obj      Object
	vc       vclock
	hooks    []func(*Thread)
	paths    pathCache
	hist     uint64 // fingerprint of the observation history (state.go)
	where    string // external.go
	// caught is the traceback (program counters) of the exception the
	// last Try caught; traceback, the frames of the uncaught exception its
	// except hook is handling (Traceback).
	caught    []uintptr
	traceback []string
	class     string // the class repr shows ("": Thread)
	starting  bool   // Start checked it: a second Start raises

	// blockedFrom is 1 + the scheduling point from which the thread has
	// been blocked, 0 when it is not (Options.Detail: Result.Blocks).
	blockedFrom int
}

// ID returns the thread's id, NoThread before it starts.
func (t *Thread) ID() ThreadID { return t.id }

// Name returns the thread's name ("MainThread", "Thread-1", or the name
// given to Go).
func (t *Thread) Name() string { return t.name }

// Path returns the thread's creation path: "0" for main, "0.2" for the
// second thread main started, and so on. Unlike the id, it names the same
// thread in every execution that shares the spawn.
func (t *Thread) Path() string { return t.path }

// Daemon reports whether the thread is a daemon.
func (t *Thread) Daemon() bool { return t.daemon }

// Object returns the thread's own object, which start, join and exit touch.
func (t *Thread) Object() *Object { return &t.obj }

// Scheduler returns the scheduler running t.
func (t *Thread) Scheduler() *Scheduler { return t.s }

// Ready reports whether t has finished: the Waiter of a join on t.
func (t *Thread) Ready(*Thread) bool { return t.state == finished }

// Step declares op as t's pending operation and parks until the scheduler
// runs it. When Step returns, t is the only running thread and must apply
// op's effect before its next Step. It reports whether a timed operation
// timed out instead of becoming ready.
func (t *Thread) Step(op Op) (timedOut bool) {
	t.checkLive()
	if t.coro == nil || t.s.running != t {
		t.s.foreignStep(t, op)
	}
	t.pend = op
	t.timedOut, t.expired = false, false
	if t.s.state.on {
		t.s.dirtyThread(t.id)
		t.s.noteExitWatch(t, op)
	}
	if op.Timed {
		t.s.addDeadline(t, op.Timeout)
	}
	t.s.regate(t)
	if t.s.inline == t && t.s.continues(t) {
		return t.timedOut
	}
	if !t.coro.yield(struct{}{}) || t.aborting {
		panic(abort{})
	}
	return t.timedOut
}

// Go starts a new thread running fn. Like Python's Thread(daemon=None), the
// new thread inherits t's daemon flag. An empty name becomes "Thread-N".
// Starting is a step of t.
func (t *Thread) Go(name string, fn func(*Thread)) *Thread {
	return t.start(name, t.daemon, fn)
}

// GoDaemon starts a new daemon thread running fn.
func (t *Thread) GoDaemon(name string, fn func(*Thread)) *Thread {
	return t.start(name, true, fn)
}

// GoWith starts a new thread with an explicit daemon flag.
func (t *Thread) GoWith(name string, daemon bool, fn func(*Thread)) *Thread {
	return t.start(name, daemon, fn)
}

// start is a step of t on its own object that changes nothing another
// thread can see of it (Access None: whether t finished): it is dependent
// only with the thread it starts, which it creates, and, through creation
// order, with steps that create threads or objects (ids and "Thread-N"
// names are numbered in creation order, so equivalent executions may
// number them differently).
func (t *Thread) start(name string, daemon bool, fn func(*Thread)) *Thread {
	t.Step(Op{Name: "start", Obj: &t.obj, Access: None})
	child := t.s.spawn(t, name, daemon, fn)
	t.s.noteChild(child)
	t.s.observe(t, uint64(child.id)|2<<40) // which id its child got
	return child
}

// Join waits until u has finished. Joining a thread not started, or
// oneself, raises CPython's RuntimeError.
func (t *Thread) Join(u *Thread) {
	t.checkJoin(u)
	t.Step(Op{Name: "join", Obj: &u.obj, Access: Read, Wait: u})
}

// JoinTimeout waits until u has finished or d has passed on the virtual
// clock. As in Python it returns nothing: ask IsAlive. A negative d is 0.
func (t *Thread) JoinTimeout(u *Thread, d time.Duration) {
	t.checkJoin(u)
	if d <= 0 {
		t.Step(Op{Name: "join(poll)", Obj: &u.obj, Access: Read})
		return
	}
	t.Step(Op{Name: "join", Obj: &u.obj, Access: Read, Wait: u, Timeout: d, Timed: true})
}

// IsAlive reports whether u has started and not yet finished (false for
// nil, a thread that was never started).
func (t *Thread) IsAlive(u *Thread) bool {
	if u == nil {
		t.Step(Op{Name: "is_alive"})
		t.SetResult(false)
		return false
	}
	t.Step(Op{Name: "is_alive", Obj: &u.obj, Access: Read})
	alive := u.state == live || u.state == exiting
	t.SetResult(alive)
	return alive
}

// Sleep parks t for d of virtual time. Sleep(0) is a step that only lets
// others run; a negative d is a misuse, as in Python.
func (t *Thread) Sleep(d time.Duration) {
	switch {
	case d < 0:
		t.Misuse("ValueError: sleep length must be non-negative")
	case d == 0:
		t.Step(Op{Name: "sleep(0)"})
	default:
		t.Step(Op{Name: "sleep", Wait: never{}, Timeout: d, Timed: true})
	}
}

// Yield is a step that does nothing: a point where others may run.
func (t *Thread) Yield() { t.Step(Op{Name: "yield"}) }

// Now returns the virtual time. Reading the clock is part of t's current
// step. A model that reads it may depend on the time itself, so the
// scheduler notes it (Scheduler.ClockObserved) for stateful exploration.
func (t *Thread) Now() time.Duration {
	t.s.clockObserved = true
	return t.Clock()
}

// Clock returns the virtual time, for primitives that measure what is
// left of a timeout: they depend only on differences of readings, so
// unlike Now it does not make stateful exploration keep the time in its
// states. Models call Now.
func (t *Thread) Clock() time.Duration {
	t.s.readClock()
	t.s.observe(t, uint64(t.s.now))
	return t.s.now
}

// Log prints a line, as print() does: a step on the shared output, stamped
// with the virtual time and the thread. Whether the step is ordered with
// the other threads' prints depends on what the model reads of its log
// (ForgetLog, WatchLog; the package doc's "The log"). It formats the line
// only when something reads it: the log, the state, the trace's details,
// or WatchLog's filter.
func (t *Thread) Log(format string, args ...any) {
	if !t.s.readsText() {
		t.Step(t.s.printOp(""))
		return
	}
	t.Print(fmt.Sprintf(format, args...))
}

// Print prints text as it is: Log for a line already formatted.
func (t *Thread) Print(text string) {
	op := t.s.printOp(text)
	t.Step(op)
	t.s.log(t, text)
	if op.Access == Write {
		t.s.logState(text)
	}
	if t.s.opts.Detail {
		t.s.setDetail(text)
	}
}

// readsText reports whether what a thread prints is read: by the log
// (unless Options.NoTrace), by the state (unless the model forgot its
// log), by the trace's details, or by WatchLog's filter.
func (s *Scheduler) readsText() bool {
	return !s.opts.NoTrace || s.opts.Detail || (s.state.on && s.logReads.mode != logNone) || s.logReads.mode == logSome
}

// Random returns a value in [0, n) chosen by the Chooser: a random draw
// that exploration enumerates and replay repeats. It is a step of t.
func (t *Thread) Random(n int) int {
	if n < 1 {
		t.Misuse("Random needs n >= 1, got " + strconv.Itoa(n))
	}
	t.Step(Op{Name: "random"})
	v := t.s.draw(t, n)
	t.SetResult(v)
	return v
}

// Assert fails the execution with an assertion failure when cond is false.
func (t *Thread) Assert(cond bool, format string, args ...any) {
	if !cond {
		t.Fail(Assertion, fmt.Sprintf(format, args...))
	}
}

// Fail ends the execution with a failure of the given kind, raised by t.
func (t *Thread) Fail(kind Kind, msg string) {
	t.checkLive()
	t.s.fail(t, kind, msg)
	panic(abort{})
}

// Outcome records the execution's outcome, a short string such as
// "counter=2" that exploration counts.
func (t *Thread) Outcome(format string, args ...any) {
	t.checkLive()
	t.s.result.Outcome = fmt.Sprintf(format, args...)
}

// checkLive stops a thread that is being unwound at the first thing it
// asks of the scheduler: a daemon frozen at exit, or any thread once the
// execution ended, runs nothing more of the model. Go code in its
// deferred functions still runs as its stack unwinds, but its first step,
// log line, outcome, assertion or failure ends it, unseen.
func (t *Thread) checkLive() {
	if t.aborting {
		panic(abort{})
	}
}

// AtExit registers fn to run on the main thread after the main function
// returns and before the main thread finishes, last registered first, as
// CPython's threading._register_atexit hooks (the thread pool drains there).
func (t *Thread) AtExit(fn func(*Thread)) {
	t.checkLive()
	main := t.s.threads[0]
	main.hooks = append(main.hooks, fn)
}

// Register makes o a shared object of this execution.
func (t *Thread) Register(o *Object, class ObjectClass, kind, name string) {
	t.checkLive()
	if t.s.registered(o) {
		t.s.applyClocks() // o's clock is reset (clocklog.go)
	}
	t.s.noteCreation(t, NoThread)
	t.s.register(o, class, kind, name)
	t.s.observe(t, uint64(o.id)|1<<40) // which id its object got
}

// Tracing reports whether the scheduler records result details: callers
// that build detail strings check it first.
func (t *Thread) Tracing() bool { return t.s.opts.Detail }

// SetResult attaches a result to the current step in the trace ("true",
// the item got, the value read). It is a no-op unless detail is recorded.
func (t *Thread) SetResult(v any) {
	t.checkLive()
	if t.s.opts.Detail {
		t.s.setDetail(fmt.Sprint(v))
	}
}

// SetAccess corrects the access of the step t is completing, when it
// turned out weaker than declared (a failed compare-and-swap only read).
func (t *Thread) SetAccess(a Access) {
	t.checkLive()
	t.s.setAccess(a)
}

// bodyDone is called on t's coroutine when its function has returned or
// unwound.
func (t *Thread) bodyDone() {
	if t.aborting || t.s.halted() || t.s.stopped {
		t.state = dead
		return
	}
	t.state = exiting
	t.pend = Op{Name: "exit", Obj: &t.obj, Access: Write}
	t.s.regate(t)
	if t.s.state.on {
		t.s.dirtyThread(t.id)
		t.s.dirtyObject(t.obj.id)
	}
}

// runExitHooks runs the main thread's exit hooks, last first, including
// hooks registered while they run.
func (t *Thread) runExitHooks() {
	for n := len(t.hooks); n > 0; n = len(t.hooks) {
		hook := t.hooks[n-1]
		t.hooks = t.hooks[:n-1]
		hook(t)
	}
}

// ready reports whether t's pending operation can complete, deadlines
// aside.
func (t *Thread) ready() bool { return t.pend.Wait == nil || t.pend.Wait.Ready(t) }

func (t *Thread) enabled() bool {
	switch t.state {
	case exiting:
		return true
	case live:
		return t.timedOut || t.expired || t.ready()
	}
	return false
}

// Holder explains a join that cannot complete.
func (t *Thread) Holder(*Thread) string { return t.name + " has not finished" }
