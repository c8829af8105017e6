package sched

// # Decisions on the thread's own coroutine
//
// Run's loop makes each decision on the scheduler's goroutine: a step's
// thread parks in Step, the loop asks the Chooser, and resumes the thread
// chosen. When the chooser keeps the thread that just declared its next
// operation (decision 0 of a thread that stays enabled: most steps of a
// depth-first search), that costs two coroutine switches for nothing. So
// the thread execute resumed makes the next decision itself, in Step, by
// the very code Run's loop runs (next): if it picks that thread again,
// its step begins and Step returns at once; otherwise the decision is
// handed to Run's loop, and the thread parks as before. The decisions,
// their order, the threads started meanwhile (startFresh, run before the
// decision as Run runs them) and everything the trace records are those
// of Run's loop: only the goroutine that asks the Chooser differs. A panic
// of the Chooser (or of a Waiter's Ready) there is the search's, not the
// thread's: it leaves Run as it would from Run's loop (searchPanic).

// handoff is a decision made on a thread's coroutine for Run's loop to
// carry out: the thread to run (ok), or the end of the execution.
type handoff struct {
	made bool
	id   ThreadID
	ok   bool
}

// next makes the next decision of the execution: it reports the thread
// (or ClockID) to run, or false when the execution ends here (a failure,
// a Stop, the end of the program, a deadlock or the step limit).
func (s *Scheduler) next() (ThreadID, bool) {
	if s.halted() || s.stopped || s.live <= 0 {
		return NoThread, false
	}
	if !s.collectOptions() {
		s.failDeadlock()
		return NoThread, false
	}
	if s.steps >= s.opts.MaxSteps {
		s.failStepLimit()
		return NoThread, false
	}
	if s.replay.upto > 0 {
		if id, ok := s.replayed(); ok {
			return id, true
		}
	}
	if s.replay.chooser != nil {
		s.logOptions()
	}
	id := s.decide() // NoThread: Stop, or a decision out of range
	return id, id != NoThread
}

// continues is called by Step on t's coroutine when t has declared its
// next operation after a step execute resumed it for. It runs the
// threads t started to their first operation, makes the next decision,
// and reports whether that decision is t: its step has then begun, and t
// runs on. Otherwise the decision is left for Run's loop, and t parks.
func (s *Scheduler) continues(t *Thread) bool {
	s.inline = nil
	s.running = nil
	s.startFresh()
	id, ok := s.nextOnThread()
	s.running = t
	if ok && id == t.id {
		s.beginStep(t)
		s.inline = t
		return true
	}
	s.handed = handoff{made: true, id: id, ok: ok}
	return false
}

// searchPanic carries a panic raised while a thread's coroutine made a
// decision (the Chooser's, a Waiter's) through the thread's code, which
// lets it pass (runBody, Thread.Try), to coro.resume, which raises the
// original value in Run's goroutine.
type searchPanic struct{ v any }

// nextOnThread is next, called on a thread's coroutine.
func (s *Scheduler) nextOnThread() (ThreadID, bool) {
	defer func() {
		if r := recover(); r != nil {
			panic(searchPanic{r})
		}
	}()
	return s.next()
}
