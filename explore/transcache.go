package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// The transition cache spares stateful search the executions that would
// only meet a state it has explored.
//
// Goroutine stacks cannot be copied, so the search reaches a sibling of a
// state by re-running the model from the start; nearly half of those runs
// (lost-update-threads n = 5: 331,730 of 702,042) take one step and meet
// a visited state with nothing left to explore. The fingerprint is a sum
// of components (sched/state.go), and a thread's step that changes only
// its own component and its object's is a function of those two: the
// thread's next history and pending operation follow from its history
// and what it observed of the object, and the object's next state from
// its state and the operation. So once such a step has run, from a thread
// component A and an object component B to A' and B', the search can
// predict the fingerprint after the same step from any state with A and
// B: fp - A - B + A' + B'. A sibling whose predicted state is in the
// table with nothing left to explore (and not on the path, where a cycle
// may need reporting) is counted as met and not run.
//
// A step is cached only when the fingerprint after it is exactly that sum
// (no other component changed: no other object, the log, a new thread or
// object), it did not read the clock (the time is not in the state), and
// no draw followed it. Whole-state tables (ExactStates) do not predict.

// transKey is a thread's component and its pending step's object's.
type transKey struct{ thread, object uint64 }

// maxTransitions bounds the cache (about 60 bytes an entry).
const maxTransitions = 1 << 21

// transCache maps the two components before a step to the two after.
type transCache struct {
	m map[transKey]transKey
	// verify (tests only): predict every sibling the cache knows, run it
	// all the same, and check that it meets the state predicted (expect).
	verify bool
	expect *stateKey
}

// components records, for each option of f, its thread's component and
// its pending step's object's (zero for the clock).
func (s *stateSearch) components(f *sframe, sc *sched.Scheduler) {
	rs := s.path.options(f)
	for i := range rs {
		if id := rs[i].id; id != sched.ClockID {
			rs[i].pre.thread, rs[i].pre.object = sc.Components(id, objectOf(sc, id))
		}
	}
}

func objectOf(sc *sched.Scheduler, id sched.ThreadID) sched.ObjID {
	if o := sc.Thread(id).Pending().Obj; o != nil {
		return o.ID()
	}
	return sched.NoObject
}

// learn records the step of p's current option, which led to the state
// with fingerprint fp, if it changed only its thread and its object.
func (s *stateSearch) learn(p *sframe, sc *sched.Scheduler, fp uint64, wide bool) {
	if p.cur == sched.ClockID || wide || readClock(sc, p) || len(s.cache.m) >= maxTransitions {
		return
	}
	before := s.path.current(p).pre
	var after transKey
	after.thread, after.object = sc.Components(p.cur, objectOf(sc, p.cur))
	if fp-p.fp == after.thread+after.object-before.thread-before.object || mutCacheAnyStep {
		s.cache.m[before] = after
	}
}

// spared reports whether running f's current option would only meet a
// visited state with nothing left to explore, as the cache predicts; it
// then counts that state as met.
func (s *stateSearch) spared(f *sframe) bool {
	if s.cache == nil || f.draw || f.cur == sched.ClockID {
		return false
	}
	before := s.path.current(f).pre
	after, ok := s.cache.m[before]
	if !ok {
		return false
	}
	k := stateKey{fp: f.fp - before.thread - before.object + after.thread + after.object}
	if s.cache.verify {
		s.cache.expect = &k
		return false
	}
	e := s.table.find(k)
	if e == nil || e.path >= 0 || e.sleep&^s.sleepAfter(f, false) != 0 {
		return false
	}
	s.table.looked++
	return true
}

// checkPrediction fails the search when a verified prediction was wrong.
func (s *stateSearch) checkPrediction(k stateKey) {
	if want := s.cache.expect; want != nil {
		s.cache.expect = nil
		if k.fp != want.fp {
			s.err = fmt.Errorf("the transition cache predicted state %016x, the step led to %016x", want.fp, k.fp)
		}
	}
}

// endPrediction fails the search when a verified prediction's execution
// ended before the predicted state without a failure (a failure in the
// step's local code, after an assertion on another object, is allowed:
// such a state is never stored, so it is never spared).
func (s *stateSearch) endPrediction(r *sched.Result) {
	if s.cache == nil || s.cache.expect == nil {
		return
	}
	if r.Failure == nil {
		s.err = fmt.Errorf("the transition cache predicted state %016x, the execution ended before it", s.cache.expect.fp)
	}
	s.cache.expect = nil
}
