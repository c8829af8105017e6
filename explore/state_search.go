package explore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Stateful exhaustive search (DPOR-NOTES §7.1): depth-first over the
// state graph, every scheduling point a state, with a table of visited
// states and sleep sets stored per state. A thread is explored from a
// state unless it is in the sleep set the state is reached with; a state
// met again is explored only for the threads that were asleep at every
// earlier visit and are awake now. Sleep sets prune transitions, never
// states, so every reachable state is visited and the search preserves
// deadlocks, assertion failures, misuses and panics without a cycle
// proviso. DPOR is not combined with the table: its race analysis needs
// the events below a visited state, which a stateful search does not run
// (§7.3).
//
// Goroutine stacks cannot be copied, so the search reaches a state by
// re-running the model from the start with the path's decisions, then
// extends the path until it meets a visited state, a cycle or the end.
// Where the transition cache (state_transcache.go) knows a step, the search
// follows it without running the model (state_predict.go): it runs the model
// only for steps it has never seen.
//
// A state met again on the current path closes a cycle. When every thread
// (and the clock) enabled in all of the cycle's states runs in it, a
// weakly fair scheduler can follow the cycle forever: the program never
// ends, and the cycle is reported as a Livelock. Unfair cycles (the clock
// never firing while a thread loops) are not reported; the table makes
// the search finite there.
//
// Data races are found from the state, not from vector clocks (which
// depend on the path): two enabled threads about to access one Data
// object, one of them writing, race. The pair is replayed with vector
// clocks on to report it the way other strategies do.

// stateSearch is the Chooser of every execution of a stateful search.
type stateSearch struct {
	table *visited
	cache *transCache // nil with whole states
	full  bool        // no ample sets: every awake option of a new state
	// exits: a non-daemon thread's exit is an invisible step, until an
	// execution observes one (state_ample.go, sched/exits.go).
	exits   bool
	path    statePath
	depth   int
	last    int // path index of the last scheduling point, -1
	races   [][]int
	raceOn  bool // stop looking for races: one was reported, or Config.NoRaces
	cycle   bool // the execution was stopped at a livelock
	loop    int  // the step the livelock's cycle starts at
	maxSeen int
	// maxSteps: the step limit, where an execution fails.
	maxSteps int
	infos    []optInfo // the options' infos of the point being entered
	rules    *ruleCheck
	err      error
}

func errNotDeterministic(step int) error {
	return notDeterministic("step %d differs from an earlier execution with the same decisions", step)
}

func newStateSearch(cfg Config) *stateSearch {
	s := &stateSearch{table: newVisited(cfg.ExactStates), last: -1, rules: newRuleCheck(),
		full: cfg.FullExpansion, exits: !cfg.FullExpansion && !cfg.exitsSeen, raceOn: cfg.NoRaces, maxSteps: cfg.options().MaxSteps}
	if s.maxSteps == 0 {
		s.maxSteps = sched.DefaultMaxSteps
	}
	if cfg.ExactStates {
		s.path.keys = []string{}
	} else {
		s.cache = newTransCache()
	}
	return s
}

func (s *stateSearch) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		return s.chooseDraw(c)
	}
	if s.depth < s.path.len() {
		f := s.path.at(s.depth)
		if f.draw || !s.path.sameOptions(f, c.Options) {
			s.err = errNotDeterministic(c.Step)
			return sched.Stop
		}
		if s.cache != nil {
			s.replayed(f, s.depth, c)
		}
		s.depth++
		s.last = s.depth - 1
		return int(f.dec)
	}
	return s.visit(c)
}

func (s *stateSearch) chooseDraw(c *sched.Choice) int {
	if c.N <= 1 {
		return 0
	}
	if c.N > math.MaxInt32 {
		s.err = fmt.Errorf("step %d draws from %d values: a stateful search's frames hold at most %d", c.Step, c.N, math.MaxInt32)
		return sched.Stop
	}
	if s.depth < s.path.len() {
		f := s.path.at(s.depth)
		if !f.draw || int(f.n) != c.N {
			s.err = errNotDeterministic(c.Step)
			return sched.Stop
		}
		s.depth++
		return int(f.cur)
	}
	f := s.path.push()
	f.draw, f.n, f.cur, f.dec = true, int32(c.N), 0, 0
	s.depth++
	return 0
}

// visit handles a scheduling point beyond the path: a new state, a state
// met again, or a cycle.
func (s *stateSearch) visit(c *sched.Choice) int {
	k := s.table.key(c.Sched)
	e := s.table.find(k)
	wide := s.last >= 0 && c.Sched.StepChangedOthers()
	if wide {
		p := s.path.at(s.last)
		p.wide |= bit(p.cur)
	}
	if s.last >= 0 && s.path.at(s.last).ample {
		s.checkAmple(s.path.at(s.last), c, k, e, wide)
	}
	if s.cache != nil && s.last >= 0 && s.last == s.path.len()-1 {
		s.checkPrediction(k)
		s.learn(s.path.at(s.last), c.Sched, k.fp, wide)
	}
	if s.cache != nil && s.last >= 0 && !s.path.at(s.last).narrow {
		s.cache.keep(s.last)
	}
	z := s.arrivalSleep(wide)
	if j, on := s.onPath(e, k); on && s.fairCycle(j) {
		s.cycle, s.loop = true, int(s.path.at(j).step)
		c.Sched.Fail(sched.Livelock, livelockMessage(c.Sched, s.loop, c.Step, s.ranSince(j)))
		return sched.Stop
	}
	f := s.arrive(k, z, e, s.livePoint(c))
	if f == nil {
		return sched.Stop
	}
	s.depth = s.path.len()
	s.last = s.depth - 1
	if s.cache != nil {
		s.cache.observe(c.Sched, s.last)
	}
	return int(f.dec)
}

// arrive meets state k, reached with sleep set z (e: its entry, nil when
// it is new), and pushes its frame with pt's options; it returns nil when
// nothing is left to explore from k.
func (s *stateSearch) arrive(k stateKey, z uint64, e *stored, pt point) *sframe {
	s.table.looked++
	seen, explore := e != nil, ^z
	if seen {
		s.rules.revisit(k.fp, pt.step, s.decisionsSoFar)
		if e.sleep&^z == 0 {
			return nil
		}
		explore = e.sleep &^ z
		e.sleep &= z
	} else {
		s.rules.firstVisit(k.fp, pt.step, s.decisionsSoFar)
		e = s.table.insert(k, z)
		if !s.raceOn {
			s.findRaces(pt)
		}
	}
	i := s.path.len()
	f := s.path.push()
	f.fp, f.step, f.sleep, f.prev, f.prevOn = k.fp, int32(pt.step), z, pt.choice.Current, pt.choice.CurrentEnabled
	f.threads, f.objects = int32(pt.threads), int32(pt.objects)
	rs := s.path.setOptions(f, pt.choice)
	for j := range rs {
		rs[j].sig, rs[j].pre = pt.infos[j].sig, pt.infos[j].pre
	}
	for _, id := range pt.choice.Options {
		if b := bit(id); explore&b != 0 || (b == 0 && !seen) {
			s.path.addTodo(f, id)
		}
	}
	if !seen && !s.full {
		s.reduce(f, pt)
	}
	if f.todo == 0 {
		s.path.pop()
		return nil
	}
	s.path.setKey(i, k)
	if _, on := s.onPath(e, k); !on {
		e.path = int32(i)
	}
	s.maxSeen = max(s.maxSeen, pt.step)
	f.cur = s.path.options(f)[0].todo
	f.dec = int32(pt.choice.Decision(f.cur))
	return f
}

// onPath returns the path index of state k, whose entry is e (nil: not
// stored), when k is on the path. An entry keeps the index the state
// entered the path at, and the frame there tells whether it is still
// there, so that leaving the path does not touch the table (a deep
// search would read millions of cold entries as it unwinds).
func (s *stateSearch) onPath(e *stored, k stateKey) (int, bool) {
	if e == nil || e.path < 0 || int(e.path) >= s.path.len() {
		return 0, false
	}
	j := int(e.path)
	if f := s.path.at(j); f.draw || f.fp != k.fp || s.path.key(j).full != k.full {
		return 0, false
	}
	return j, true
}

// arrivalSleep is the sleep set below the last scheduling point after its
// current thread ran: its sleep set and explored siblings, less those
// dependent with what ran. A step that changed objects beyond its own
// (Scheduler.StepChangedOthers) is dependent with everything, both when
// it ran and as a sibling.
func (s *stateSearch) arrivalSleep(wide bool) uint64 {
	if s.last < 0 {
		return 0
	}
	return s.sleepAfter(s.path.at(s.last), wide)
}

// sleepAfter is the sleep set of the state p's current option leads to.
func (s *stateSearch) sleepAfter(p *sframe, wide bool) uint64 {
	if wide {
		return 0
	}
	g := s.path.current(p).sig
	var z uint64
	for _, r := range s.path.options(p) {
		if b := bit(r.id); (p.sleep|p.done)&^p.wide&b != 0 && !dependent(r.sig, g) {
			z |= b
		}
	}
	return z
}

// bit is a thread's bit in a sleep set: ids below 63 and the clock; other
// threads are never put to sleep.
func bit(id sched.ThreadID) uint64 {
	switch {
	case id == sched.ClockID:
		return 1 << 63
	case id >= 0 && id < 63:
		return 1 << id
	}
	return 0
}

// optionSig is the most dependent signature the option's next step can
// have. A non-daemon exit may end the program: dependent with everything.
func optionSig(sc *sched.Scheduler, id sched.ThreadID) sig {
	if id == sched.ClockID {
		return sig{thread: id, obj: sched.NoObject, woken: sched.NoThread, child: sched.NoThread, any: true}
	}
	t := sc.Thread(id)
	g := pendingSig(id, t.Pending(), t.Daemon())
	g.any = t.Pending().Name == "exit" && !t.Daemon()
	return g
}

// fairCycle reports whether the path from index j to now, back to the
// state of j, is a cycle a weakly fair scheduler can repeat: every option
// enabled at all its scheduling points is taken in it.
func (s *stateSearch) fairCycle(j int) bool {
	var always, taken uint64 = ^uint64(0), 0
	for i := j; i < s.path.len(); i++ {
		f := s.path.at(i)
		if f.draw {
			continue
		}
		var en uint64
		for _, r := range s.path.options(f) {
			en |= bit(r.id)
		}
		always &= en
		taken |= bit(f.cur)
	}
	return always&^taken == 0
}

// ranSince counts the steps each thread took from path index j on.
func (s *stateSearch) ranSince(j int) map[sched.ThreadID]int {
	ran := map[sched.ThreadID]int{}
	for i := j; i < s.path.len(); i++ {
		if f := s.path.at(i); !f.draw {
			ran[f.cur]++
		}
	}
	return ran
}

// findRaces records pairs of enabled threads about to make conflicting
// accesses to one Data object.
func (s *stateSearch) findRaces(pt point) {
	opts := pt.choice.Options
	for i, a := range pt.infos {
		if !a.data {
			continue
		}
		for j, b := range pt.infos[i+1:] {
			if b.data && a.sig.obj == b.sig.obj && (a.sig.access == sched.Write || b.sig.access == sched.Write) {
				s.races = append(s.races, append(s.decisionsSoFar(), decisionMark, int(opts[i]), int(opts[i+1+j])))
				return
			}
		}
	}
}

// decisionMark separates a race's path decisions from the two threads.
const decisionMark = -1

// accessesData reports whether thread id's pending step reads or writes a
// Data object: a race candidate.
func accessesData(sc *sched.Scheduler, id sched.ThreadID) bool {
	if id == sched.ClockID {
		return false
	}
	op := sc.Thread(id).Pending()
	return op.Obj != nil && op.Obj.Class() == sched.Data && op.Access != sched.None
}

// decisionsSoFar returns the recorded decisions of the path: those of
// real choices.
func (s *stateSearch) decisionsSoFar() []int {
	var ds []int
	for i := range s.path.len() {
		if f := s.path.at(i); f.draw || f.n > 1 {
			ds = append(ds, int(f.dec))
		}
	}
	return ds
}

// nextBranch moves to the next branch an execution must run: the deepest
// frame with an option or value left, following what the transition cache
// can predict (state_predict.go) without running it. It reports false when
// nothing is left. halt, asked after every predicted frame, stops the
// predictions (the budget is spent): the execution then runs at once.
func (s *stateSearch) nextBranch(halt func() bool) bool {
	s.depth, s.last, s.cycle = 0, -1, false
	predicted := false // the last frame was predicted and its first option not yet followed
	for s.path.len() > 0 {
		i := s.path.len() - 1
		f := s.path.at(i)
		if !predicted && !s.advance(f) {
			s.leave(i)
			continue
		}
		switch s.predict(f, i) {
		case mustRun:
			return true
		case predMet:
			predicted = false
		case predFrame:
			if halt() {
				return true
			}
			predicted = true
		}
	}
	return false
}

// leave pops the path's last frame, i. Its state's entry keeps the index
// (onPath).
func (s *stateSearch) leave(i int) {
	s.path.pop()
	if s.cache != nil {
		s.cache.back(&s.path, i)
	}
}

// advance moves f to its next option or value.
func (s *stateSearch) advance(f *sframe) bool {
	if f.draw {
		if int32(f.cur)+1 < f.n {
			f.cur++
			f.dec = int32(f.cur)
			return true
		}
		return false
	}
	f.done |= bit(f.cur)
	f.narrow = false
	next, ok := s.path.nextTodo(f)
	if !ok {
		return false
	}
	f.cur = next
	f.dec = s.path.current(f).dec
	return true
}

// errClockObserved stops a stateful search whose model read the time
// (sched.Scheduler.ClockObserved) while the time was not in its states.
var errClockObserved = errors.New("the model reads the clock")

// errExitObserved stops a stateful search that took exits alone while
// the model may observe them (sched.Scheduler.ExitObserved).
var errExitObserved = errors.New("the model observes an exit")

// runStates runs the stateful or breadth-first search. A model that reads
// the time with Thread.Now may depend on it, so states that differ only
// in the time must not be merged: the search starts again, with a new
// collector, keeping the time in the state (its loops that wait for time
// then no longer close). A model that watches a started thread otherwise
// than by joining it (is_alive, a timed join), or runs a daemon, may tell
// apart the orders of an exit and other steps: the stateful search starts
// again without taking exits alone (state_ample.go).
func runStates(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, *collector, error) {
	run := runStateful
	if cfg.strategy() == BFS {
		run = func(ctx context.Context, m Model, cfg Config, col *collector) (bool, error) {
			return runBFS(ctx, m, cfg, col, workers)
		}
	}
	for {
		done, err := run(ctx, m, cfg, col)
		switch {
		case errors.Is(err, errClockObserved):
			cfg.timeInState = true
		case errors.Is(err, errExitObserved):
			cfg.exitsSeen = true
		default:
			col.rep.TimeInState, col.rep.ExitsSeen = cfg.timeInState, cfg.exitsSeen
			return done, col, err
		}
		col = newCollector(m, cfg)
	}
}

// runStateful explores m with the stateful depth-first search, feeding
// the collector, and reports whether the search was exhaustive.
func runStateful(ctx context.Context, m Model, cfg Config, col *collector) (bool, error) {
	sc := stateScheduler(cfg)
	defer sc.Close()
	b := newBudget(cfg)
	s := newStateSearch(cfg)
	defer s.path.close()
	defer s.table.close()
	defer s.fillReport(col.rep)
	defer func() { col.rep.RulesChecked, col.rep.RulesBroken = s.rules.verify(m, cfg) }()
	full := func() bool { return cfg.MaxStates > 0 && s.table.len() >= cfg.MaxStates }
	predicted := 0
	halt := func() bool {
		predicted++
		return full() || (predicted%1024 == 0 && b.exhausted(ctx))
	}
	for {
		r := sc.Run(m.Program, s)
		b.used++
		s.endPrediction(r)
		if s.err != nil {
			return false, s.err
		}
		if sc.ClockObserved() && !cfg.timeInState {
			return false, errClockObserved
		}
		if sc.ExitObserved() && s.exits && !mutExitsUnseen {
			return false, errExitObserved
		}
		s.settleAmple()
		r, err := s.withTrace(m, cfg, col, r)
		if err != nil {
			return false, err
		}
		if s.collect(col, r) || s.reportRaces(m, cfg, col) {
			return false, nil
		}
		if !s.nextBranch(halt) {
			return true, nil
		}
		if b.exhausted(ctx) || full() {
			col.rep.Budget = true
			return false, nil
		}
	}
}

// stateScheduler returns a scheduler keeping state fingerprints, without
// vector clocks (races are read off states) and without traces: a deep
// search would keep millions of events nobody reads (withTrace).
func stateScheduler(cfg Config) *sched.Scheduler {
	opts := cfg.options()
	opts.State, opts.NoRaces, opts.TimeInState, opts.NoTrace = true, true, cfg.timeInState, true
	return sched.New(opts)
}

// withTrace returns r, or, when r failed in a way the report has not met
// yet, the same execution run again with its trace, which the report's
// failure describes (its shape, and the table a replay of its token
// shows). Executions are deterministic: the run again must fail the same
// way at the same step.
func (s *stateSearch) withTrace(m Model, cfg Config, col *collector, r *sched.Result) (*sched.Result, error) {
	if r.Failure == nil || col.failures[r.Failure.Kind] != nil {
		return r, nil
	}
	sch := Schedule{Version: TokenVersion, Model: m.Name, Params: m.Params,
		Decisions: r.Decisions, Shape: Shape{Steps: r.Steps}}
	if s.cycle {
		sch.Cycle = s.loop + 1
	}
	if r.Failure.Kind == sched.StepLimit {
		sch.Limit = r.Steps
	}
	t, err := replay(m, sch, cfg.options())
	switch {
	case err != nil:
		err = notDeterministic("the failing execution, run again with its decisions: %v", err)
	case t.Failure == nil || t.Failure.Kind != r.Failure.Kind || t.Steps != r.Steps:
		err = notDeterministic("the execution that failed with %s at step %d, run again with its decisions, %s at step %d",
			r.Failure.Kind, r.Steps, endedWith(t), t.Steps)
	}
	return t, err
}

// endedWith says how execution r ended: "failed with KIND" or "ended".
func endedWith(r *sched.Result) string {
	if r.Failure != nil {
		return "failed with " + r.Failure.Kind.String()
	}
	return "ended"
}

// collect counts execution r; it reports whether the search must stop.
func (s *stateSearch) collect(col *collector, r *sched.Result) bool {
	run := col.rep.Executions
	if r.Stopped {
		e := execution{steps: r.Steps}
		if r.Failure != nil { // an uncaught exception, before the search cut the execution
			e = summarize(r)
		}
		return col.add(run, e, false)
	}
	col.rep.Complete++
	e := summarize(r)
	if s.cycle {
		e.cycle = s.loop + 1
	}
	return col.add(run, e, true)
}

// reportRaces replays each race pair found, with vector clocks, and adds
// the racing executions to the report.
func (s *stateSearch) reportRaces(m Model, cfg Config, col *collector) bool {
	defer func() { s.races = s.races[:0] }()
	for _, rc := range s.races {
		if s.raceOn && !cfg.KeepGoing {
			return false
		}
		i := slices.Index(rc, decisionMark)
		r := replayRace(m, cfg, rc[:i], sched.ThreadID(rc[i+1]), sched.ThreadID(rc[i+2]))
		if r == nil || len(r.Races) == 0 {
			continue
		}
		s.raceOn = true
		e := summarize(r)
		e.kinds, e.message = e.kinds[len(e.kinds)-1:], e.message[len(e.message)-1:]
		if col.add(col.rep.Executions, e, false) {
			return true
		}
	}
	return false
}

func (s *stateSearch) fillReport(rep *Report) {
	rep.States = s.table.len()
	rep.StateBytes = s.table.bytesPerState()
	rep.Generated = s.table.looked
	rep.Collision, rep.CollisionActual = s.table.collision()
	rep.Exact, rep.Ample = s.table.exact, !s.full
	rep.MaxDepth = s.maxSeen
}

// replayRace runs the path's decisions, then a, then b, with vector
// clocks on, and returns the execution (nil if it does not fit).
func replayRace(m Model, cfg Config, decisions []int, a, b sched.ThreadID) *sched.Result {
	sc := sched.New(cfg.options())
	defer sc.Close()
	p := &pickThen{replayer: replayer{decisions: decisions}, then: []sched.ThreadID{a, b}}
	r := sc.Run(m.Program, p).Clone()
	if p.err != nil {
		return nil
	}
	return r
}

// pickThen follows a schedule, then picks the given threads in order by
// id, then lets the execution run on with decision 0.
type pickThen struct {
	replayer
	then []sched.ThreadID
}

func (p *pickThen) Choose(c *sched.Choice) int {
	if p.next < len(p.decisions) || c.Kind == sched.Draw || len(p.then) == 0 {
		if p.next >= len(p.decisions) {
			return 0
		}
		return p.replayer.Choose(c)
	}
	d := c.Decision(p.then[0])
	if d < 0 {
		p.err = fmt.Errorf("thread %d is not enabled", p.then[0])
		return sched.Stop
	}
	p.then = p.then[1:]
	return d
}
