package explore

import "github.com/threadsim/threadsim/sched"

// Ample sets for stateful search (DPOR-NOTES §7.2; Peled's ample sets,
// Godefroid's persistent sets, as SPIN reduces its state graph).
//
// At a new state, stateful search explores a single thread when that
// thread's pending step is invisible (sched.Scheduler.Invisible: a sleep
// whose deadline fired, a yield, a draw, a print nothing reads, a start,
// an untimed join of a finished thread; and an exit, below), the thread
// is awake and it is not a daemon. Such a step α of thread t touches no object another
// thread can touch, or only reads one that no step will write again (a
// finished thread's), so it is independent of every step any other thread
// (or the clock) can take before it, and it stays enabled until t takes
// it (only the end of the program disables a step, and the program waits
// for every thread that is not a daemon): {t} is a persistent set, and
// exploring it alone reaches every deadlock, failure and terminal state
// the full expansion reaches.
//
// An exit of a thread that is not a daemon is taken alone too while no
// execution of the search has reached a witness: a state in which a
// thread has a step pending on another started thread's object that is
// not an untimed join of it, or a daemon was started
// (sched.Scheduler.ExitObserved, sched/exits.go). An exit changes its
// thread and its object, which only steps on that object read; an
// untimed join cannot come before the exit it waits for, and without a
// daemon the end of the program stops nothing. So until a witness, the
// exit is independent of every step the others can take, and taking it
// first leaves a witness a witness (its thread stays started): the search
// reaches a witness if the program has one, as it reaches any state
// property invisible steps do not change, and then starts again without
// taking exits alone (runStates). A witness that needed the thread to be
// exiting would not do: rapid found a program (a thread that draws, then
// asks is_alive of one whose exit is pending) where taking the exit
// first destroys it. An exit that ends the program ends the execution
// right after the ample step, which settleAmple then expands.
//
// A start creates its thread: the new thread's steps cannot come before
// α, so they do not count. It is independent of other threads' steps up to
// the numbering of what they create: ids and "Thread-N" names follow
// creation order, so a start beside another thread's creation reaches a
// state that differs from the other order only by that numbering, as
// source-DPOR already takes it (dpor_dep.go).
//
// Whether α is invisible also depends on the local code that runs after
// it, up to t's next pending operation, which threadsim cannot see before
// running it. So the search takes α, then checks the state it reaches: if
// the local code read the clock or registered a deadline (the clock's
// fires would then not commute with α), changed an object other than its
// own, or, unless α is a start, created a thread or an object (ids are
// numbered in creation order), the state is expanded in full after all. That local code is a
// function of t's history, so the check says the same at every visit.
//
// The cycle proviso (C3) keeps the reduction from postponing the other
// threads forever around a loop: when α closes a cycle on the search path,
// the state is expanded in full. A state met again is explored for the
// threads that were asleep before and are awake now, without reduction.

// invisible reports whether thread id's pending step may be taken alone:
// sched.Scheduler.Invisible, or a non-daemon exit while the search takes
// exits alone (the daemon case is left to reduce).
func (s *stateSearch) invisible(sc *sched.Scheduler, id sched.ThreadID) bool {
	return sc.Invisible(id) || (s.exits && sc.Exits(id))
}

// reduce restricts f, a new state's frame at pt, to its first awake
// option whose step is invisible and that is not a daemon, if it has one.
func (s *stateSearch) reduce(f *sframe, pt point) {
	for j, r := range s.path.options(f) {
		in := pt.infos[j]
		if r.id != sched.ClockID && in.invisible && !in.sig.daemon && s.path.exploring(f, r.id) {
			s.path.setTodo(f, r.id)
			f.ample, f.spawns = true, in.starts
			return
		}
	}
}

// checkAmple checks, at the state k (entry e) that p's ample step led to,
// that the step stayed invisible and closed no cycle; otherwise p is
// expanded in full.
func (s *stateSearch) checkAmple(p *sframe, c *sched.Choice, k stateKey, e *stored, wide bool) {
	p.checked = true
	_, cycle := s.onPath(e, k)
	sc := c.Sched
	grew := sc.NumThreads() != int(p.threads) || sc.NumObjects() != int(p.objects)
	reached := wide || readClock(sc, p) || (grew && !p.spawns)
	if (cycle && !mutAmpleNoC3) || (reached && !mutAmpleNoCheck) {
		s.expand(p)
	}
}

// readClock reports whether the step p's current option took read the
// time or registered a deadline (its Event's ClockRead): then it does not
// commute with the clock's fires. It is asked right after that step, the
// last one (the search keeps no trace); otherwise it answers yes, which
// is always safe.
func readClock(sc *sched.Scheduler, p *sframe) bool {
	e, ok := sc.LastEvent()
	return !ok || e.Step != int(p.step) || e.ClockRead
}

// settleAmple expands the last scheduling point of an execution that
// ended right after its ample step, which then could not be checked.
func (s *stateSearch) settleAmple() {
	if s.last < 0 {
		return
	}
	if f := s.path.at(s.last); f.ample && !f.checked && !mutAmpleNoCheck {
		s.expand(f)
	}
}

// expand adds to f's options to explore every awake option it left out.
func (s *stateSearch) expand(f *sframe) {
	f.ample = false
	for _, r := range s.path.options(f) {
		if bit(r.id)&f.sleep == 0 && !s.path.exploring(f, r.id) {
			s.path.addTodo(f, r.id)
		}
	}
}
