package sched

// # Exits nobody watches
//
// A thread's exit step changes two things: its component (exiting to
// finished) and its object's state, which is what joins, is_alive,
// timed joins, polls, enumerate and repr read. The last non-daemon exit
// also ends the program, which stops every daemon. Stateful search may
// take an exit alone, as an invisible step, when no other thread's step
// can depend on it before it happens. The scheduler cannot see the
// threads' future steps, so it watches for the witness instead: a state
// in which some thread t has a step pending on the object of a thread u
// ≠ t whose exit is pending, and that step is not an untimed join of u
// (which u's exit enables, so it cannot come first), or in which a daemon
// thread was started. The first such state of an execution sets
// ExitObserved, for every later execution too.
//
// That is enough to make the reduction sound (explore/ample.go): in the
// program in which witness states are dead ends, an exit of a non-daemon
// thread is independent of every step the other threads can take before
// it (a step on u's object other than an untimed join would be taken
// from a witness state, and with no daemon the end of the program stops
// nothing), so taking it alone is a persistent set there, and a
// persistent-set search reaches every dead end of that program, witness
// states included. A search that reduces exits until it reaches one
// therefore reaches one whenever the real program can (the two searches
// are the same up to the first), and then starts again without reducing
// exits; if it never reaches one, the program has no witness state and
// the reduction was sound for it.

// Exits reports whether thread id's pending step is its exit.
func (s *Scheduler) Exits(id ThreadID) bool {
	t := s.threads[id]
	return t.state == exiting
}

// ExitObserved reports whether an execution run so far reached a state in
// which a thread's exit could be observed otherwise than by an untimed
// join (a step pending on the object of a thread whose exit was pending),
// or started a daemon thread, whose steps the last non-daemon exit stops.
// Only with Options.State.
func (s *Scheduler) ExitObserved() bool { return s.exitObserved }

// noteExitWatch notes, as t declares op, whether op watches the exit of a
// thread whose exit is pending.
func (s *Scheduler) noteExitWatch(t *Thread, op Op) {
	if op.Obj == nil || op.Obj == &t.obj || s.exitObserved {
		return
	}
	if u, ok := op.Obj.state.(*Thread); ok && u.state == exiting && !joins(op, u) {
		s.exitObserved = true
	}
}

// noteExitWatchers notes, as u's exit becomes pending, whether another
// thread has a step pending on u's object other than an untimed join.
func (s *Scheduler) noteExitWatchers(u *Thread) {
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
