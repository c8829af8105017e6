package sched

// # Exits nobody watches
//
// A thread's exit step changes two things: its component (exiting to
// finished) and its object's state, which is what joins, is_alive, timed
// joins, polls, enumerate and repr read. The last non-daemon exit also
// ends the program, which stops every daemon. Stateful search may take an
// exit alone, as an invisible step, when no other thread's step can
// depend on it. The scheduler cannot see the threads' future steps, so it
// watches for a witness instead: a state in which some thread t has a
// step pending on the object of a started thread u ≠ t (live, exiting or
// finished) that is not an untimed join of u (which u's exit enables, so
// it cannot come first), or in which a daemon thread was started. The
// first such state of an execution sets ExitObserved, for every later
// execution too.
//
// Why this is enough (explore/state_ample.go takes the exits alone until it is
// set): a step of another thread that depends on u's exit is a step on
// u's object other than an untimed join, taken while u is started, so it
// is pending in a witness state first; and without a daemon the end of
// the program stops nothing. Until the first witness state, then, an exit
// is independent of every step the others can take, and taking it first
// keeps a witness a witness (u stays started, the pending steps stay
// pending): as for any invisible step, the reduced search reaches a
// witness state whenever the program can, and the search then starts
// again without taking exits alone. A witness that needs u to be exiting
// at the time would not do: taking u's exit first can destroy it.

// Exits reports whether thread id's pending step is its exit.
func (s *Scheduler) Exits(id ThreadID) bool { return s.threads[id].state == exiting }

// ExitObserved reports whether an execution run so far reached a state in
// which a thread had a step pending on another started thread's object
// that is not an untimed join of it (is_alive, a timed join, a poll,
// repr, enumerate), or started a daemon thread, whose steps the last
// non-daemon exit stops (see above). Only with Options.State.
func (s *Scheduler) ExitObserved() bool { return s.exitObserved }

// noteExitWatch notes, as t declares op, whether op watches a started
// thread's exit.
func (s *Scheduler) noteExitWatch(t *Thread, op Op) {
	if op.Obj == nil || op.Obj == &t.obj || s.exitObserved {
		return
	}
	if u, ok := op.Obj.state.(*Thread); ok && u.state != initial && !joins(op, u) {
		s.exitObserved = true
	}
}

// noteExitWatchers notes, as u starts, whether another thread has a step
// pending on u's object that is not an untimed join; and a daemon.
func (s *Scheduler) noteExitWatchers(u *Thread) {
	if u.daemon {
		s.exitObserved = true
	}
	for _, t := range s.threads {
		if t != u && t.state == live && t.pend.Obj == &u.obj && !joins(t.pend, u) {
			s.exitObserved = true
		}
	}
}

// joins reports whether op is an untimed join of u.
func joins(op Op, u *Thread) bool {
	w, ok := op.Wait.(*Thread)
	return ok && w == u && !op.Timed
}
