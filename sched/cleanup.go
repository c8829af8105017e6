package sched

// OnEnd registers fn to run when the execution ends, after every thread has
// stopped (finished, frozen or unwound) and before Run returns, first
// registered first. A model that drives something outside the simulator
// (a Python process) releases it there, whatever way the execution ended.
func (t *Thread) OnEnd(fn func()) {
	t.checkLive()
	t.s.onEnd = append(t.s.onEnd, fn)
}

// runOnEnd runs and forgets the execution's end hooks.
func (s *Scheduler) runOnEnd() {
	for i := 0; i < len(s.onEnd); i++ {
		s.onEnd[i]()
		s.onEnd[i] = nil
	}
	s.onEnd = s.onEnd[:0]
}
