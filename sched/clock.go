package sched

import "time"

// addDeadline puts t's deadline on the clock, d after now. Each thread has at
// most one deadline: that of its pending operation.
func (s *Scheduler) addDeadline(t *Thread, d time.Duration) {
	if d < 0 {
		d = 0
	}
	t.deadline, t.waiting = s.now+d, true
	s.readClock()
}

// earliest returns the thread whose deadline fires next: the smallest
// (deadline, id).
func (s *Scheduler) earliest() *Thread {
	var next *Thread
	for _, t := range s.threads {
		if t.waiting && t.state == live && (next == nil || t.deadline < next.deadline) {
			next = t
		}
	}
	return next
}

// fire is a step of the clock pseudo-thread: it advances the clock to the
// earliest deadline. If that thread's operation is not ready, it times out;
// if it is ready (it was released, notified or set before the deadline),
// the operation will succeed when the thread runs, unless another thread
// takes the resource first, and then it times out, with no time left.
func (s *Scheduler) fire() {
	t := s.earliest()
	if t.deadline > s.now {
		s.now = t.deadline
	}
	t.waiting = false
	if s.state.on {
		s.clockMoved()
		s.dirtyThread(t.id)
	}
	if t.pend.Wait != nil && t.pend.Wait.Ready(t) {
		// What it waited for came before the deadline: the wait succeeds,
		// unless a newcomer takes it first (then no time is left).
		t.expired = true
	} else {
		t.timedOut = true
	}
	s.regate(t)
	e := s.nextEvent()
	e.Step, e.Time, e.Thread, e.Op = s.steps, s.now, ClockID, "fire"
	e.Obj, e.Access, e.Child, e.Woken = objID(t.pend.Obj), Write, NoThread, t.id
	e.Decision, e.Preemption = s.decisionOf(), s.preempted()
	if s.opts.Detail {
		s.setDetail("wakes " + t.name)
	}
	s.steps++
	s.watchdog.progress()
}
