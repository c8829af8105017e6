package sched

// # Decisions on the threads' own coroutines
//
// Run's loop makes each decision on the scheduler's goroutine: a step's
// thread parks in Step, the loop asks the Chooser and resumes the thread
// chosen. Going from one thread to another that way costs four
// coroutine switches (iter.Pull: a coroutine parks back to the goroutine
// that resumed it), two of them for nothing when the chooser keeps the
// thread that just declared its next operation (decision 0 of a thread
// that stays enabled: most steps of a depth-first search). So the loop
// runs on the threads' coroutines, by the very code Run's loop runs
// (next, execute):
//
//   - The thread Run's goroutine resumed (the host) runs the loop itself
//     in Step, once it has declared its next operation: it makes the
//     decision and runs the thread chosen (a guest) from its own
//     coroutine, which parks back to it, and so on, until a decision
//     picks the host: its step begins and Step returns. It hands the
//     loop back to Run's goroutine only when the execution ends (and
//     parks, as every thread then does) or when its function returns.
//   - A guest makes the next decision in its Step: if it picks the guest
//     again, its step begins and Step returns at once; otherwise the
//     guest hands the decision to its host and parks.
//
// A thread that stays chosen therefore never switches, and running a
// guest costs two switches, not four. The main thread is the host from
// its first step, so a program whose main thread starts and joins the
// others hands the loop back to Run's goroutine only at its end. The
// decisions, their order, the threads started meanwhile (startFresh, run
// before the decision as Run runs them) and everything the trace records
// are those of Run's loop: only the goroutine that asks the Chooser and
// resumes the threads differs. A panic of the Chooser, of a Waiter's
// Ready or of the scheduler's own code there is the search's, not the
// thread's: it leaves Run as it would from Run's loop (searchPanic).

// handoff is a decision made on a thread's coroutine for the loop (Run's
// or the host's) to carry out: the thread to run (ok), or the end of the
// execution.
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
// next operation after a step it was resumed or kept for (inline). It
// reports whether t runs on: its step has then begun. Otherwise t parks:
// a guest leaves the decision to its host (handed), and the host leaves
// the end of the execution to Run.
func (s *Scheduler) continues(t *Thread) bool {
	s.inline, s.running = nil, nil
	if s.host == t {
		on := s.hostLoop(t)
		s.running = t
		if on {
			s.inline = t
		}
		return on
	}
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

// hostLoop is Run's loop on the host t's coroutine: it runs the threads
// t started to their first operation, then the threads the decisions
// pick, until one picks t (true: t's step has begun) or the execution
// ends (false, handed to Run).
func (s *Scheduler) hostLoop(t *Thread) bool {
	defer func() {
		if r := recover(); r != nil {
			panic(searchPanic{r})
		}
	}()
	s.startFresh()
	for {
		id, ok := s.takeDecision()
		switch {
		case !ok:
			s.handed = handoff{made: true}
			return false
		case id == t.id:
			s.beginStep(t)
			return true
		case id == ClockID:
			s.fire()
		default:
			s.execute(s.threads[id], false)
		}
	}
}

// takeDecision returns the decision a thread's coroutine handed over, if
// one did, or makes the next (next), for the loop (Run's or the host's)
// to carry out.
func (s *Scheduler) takeDecision() (ThreadID, bool) {
	h := s.handed
	s.handed = handoff{}
	if h.made {
		return h.id, h.ok
	}
	return s.next()
}

// searchPanic carries a panic raised while a thread's coroutine made a
// decision (the Chooser's, a Waiter's) or ran Run's loop (hostLoop)
// through the thread's code, which lets it pass (runBody, Thread.Try), to
// coro.resume, which raises the original value where the thread was
// resumed: in Run's goroutine, or on the host's coroutine, whose hostLoop
// wraps it again. (Besides goexitEscape, which resume takes, no other
// panic leaves a thread's coroutine: runBody recovers the model's.)
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
