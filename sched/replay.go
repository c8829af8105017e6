package sched

// # Replaying the first steps of the last execution
//
// A depth-first search runs each execution from the one before: it takes
// the same decisions down to the node where its new branch starts, and
// only then new ones. A Chooser that knows how many leading steps repeat
// the last execution's (a Replayer) lets the scheduler take those steps
// without asking it. At each such scheduling point the scheduler checks
// that the enabled threads (Choice.Options) are those the last execution
// had at the same step, and takes the thread that execution took there,
// recording the same decision; when the step is over (at the next
// scheduling point) it checks that its event equals the last execution's
// event. On the first difference, and at the first point past the steps
// to replay, it stops replaying and asks the Chooser, as at every point
// of an execution that does not replay: the Chooser, which has recorded
// what it expects, then sees the difference and reports it as it would
// have. The decisions, the trace and everything else an execution
// produces are those it would produce if the Chooser were asked at every
// point; only the Chooser's calls at the replayed points are saved (a
// depth-first search replays more than half of its steps).

// Replayer is a Chooser whose executions may begin by repeating the
// decisions of its last execution.
type Replayer interface {
	Chooser
	// ReplaySteps returns how many leading steps of the execution about to
	// run on s take the decisions that the chooser's last execution took
	// at the same steps, provided that execution ran on s: otherwise 0 (a
	// chooser that moves between schedulers must tell). s calls it only
	// when its own last execution ran with this chooser, and may then
	// take those steps without calling Choose: the first call (of a
	// scheduling point or a draw) comes at any step up to that number
	// (Choice.Step), or none when the execution ends before; the calls
	// after it come as in any execution.
	ReplaySteps(s *Scheduler) int
}

// replay is what the scheduler keeps of the last execution for a
// Replayer, and the state of the replay of the current one.
type replay struct {
	// chooser ran the last execution and is a Replayer (nil: no replay).
	chooser Chooser
	// points holds the options of each scheduling point of that
	// execution: points[k] those of step k's.
	points []optionSet
	// upto is the number of leading steps of this execution still taken
	// without the chooser (0 once a step differed).
	upto int
	// old is what the last execution's event of the step just replayed
	// says of the step, which the next scheduling point compares with this
	// one's event (check); threads is the number of that execution's
	// threads, whose ThreadInfo s.result.Threads keeps until this
	// execution's end.
	old     stepSig
	check   bool
	threads int
}

// optionSet is the options of a scheduling point as collectOptions
// finds them up to 64 threads: the enabled threads' bit set, and whether
// the clock is one. Beyond 64 threads (wide), points are not compared:
// replaying stops there.
type optionSet struct {
	mask  uint64
	clock bool
	wide  bool
}

// stepSig is what an event says of its step, apart from its place in the
// trace and how it was chosen: what a search compares to tell whether a
// replayed step did what it did before. A thread's daemon flag, which a
// search compares too, is final once the thread is started: it is
// compared at the start (daemon: the flag of the child).
type stepSig struct {
	thread       ThreadID
	obj          ObjID
	access       Access
	clockRead    bool
	daemon       bool
	child, woken ThreadID
}

// set sets g to event e's signature, daemon being the flag of e's child.
func (g *stepSig) set(e *Event, daemon bool) {
	g.thread, g.obj, g.access, g.clockRead, g.daemon, g.child, g.woken =
		e.Thread, e.Obj, e.Access, e.ClockRead, daemon, e.Child, e.Woken
}

// is reports whether e has signature g.
func (g *stepSig) is(s *Scheduler, e *Event) bool {
	return g.thread == e.Thread && g.obj == e.Obj && g.access == e.Access && g.clockRead == e.ClockRead &&
		g.child == e.Child && g.woken == e.Woken && (e.Child == NoThread || g.daemon == s.threads[e.Child].daemon)
}

// beginReplay sets up the replay of the execution about to run under c,
// whose last execution's trace has prev steps.
func (s *Scheduler) beginReplay(c Chooser, prev int) {
	rp := &s.replay
	rp.upto, rp.check = 0, false
	r, ok := c.(Replayer)
	if !ok || s.opts.NoTrace || s.opts.Detail || s.opts.CheckState {
		rp.chooser = nil
		return
	}
	if rp.chooser == c {
		rp.upto = min(r.ReplaySteps(s), prev, len(rp.points))
		rp.threads = len(s.result.Threads)
	}
	rp.chooser = c
}

// lastDaemon reports whether thread id of the last execution was a daemon.
func (s *Scheduler) lastDaemon(id ThreadID) bool {
	return id >= 0 && int(id) < s.replay.threads && s.result.Threads[:s.replay.threads][id].Daemon
}

// replayed takes the decision of the scheduling point of step s.steps
// from the last execution, and reports false when it may not: past the
// steps to replay, or when the options or the last step differ from the
// last execution's (replaying stops then).
func (s *Scheduler) replayed() (ThreadID, bool) {
	rp := &s.replay
	k := s.steps
	if rp.check {
		rp.check = false
		if tr := s.result.Trace; len(tr) == 0 || !rp.old.is(s, &tr[len(tr)-1]) {
			rp.upto = 0
		}
	}
	if k >= rp.upto {
		rp.upto = 0
		return NoThread, false
	}
	if p := rp.points[k]; p.wide || s.optWide || p.mask != s.optMask || p.clock != s.optClock {
		rp.upto = 0
		return NoThread, false
	}
	e := &s.result.Trace[:k+1][k]
	rp.old.set(e, e.Child != NoThread && s.lastDaemon(e.Child))
	rp.check = true
	c := &s.choice
	c.N, c.CurrentEnabled = s.nOptions, s.cur != nil && s.curEnabled
	s.lastDecision = max(e.Decision, 0)
	if c.N > 1 {
		s.result.addDecision(e.Decision, e.Preemption)
		s.watchdog.publish(s.result.Decisions)
	}
	return e.Thread, true
}

// logOptions records the options of step s.steps's scheduling point, for
// the next execution's replay.
func (s *Scheduler) logOptions() {
	rp := &s.replay
	rp.points = append(rp.points[:min(s.steps, len(rp.points))], optionSet{mask: s.optMask, clock: s.optClock, wide: s.optWide})
}
