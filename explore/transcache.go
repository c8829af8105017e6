package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// The transition cache is what lets stateful search follow a step
// without running it (predict.go).
//
// Goroutine stacks cannot be copied, so the search reaches a state by
// re-running the model from the start: without the cache, 92% of the
// steps of lost-update-threads n=5 sleep=0 replayed a prefix. The
// fingerprint is a sum of components (sched/state.go), and a thread's
// step that changes only its own component and its object's is a
// function of those two: the thread's next history and pending operation
// follow from its history and what it observed of the object, and the
// object's next state from its state and the operation. So once such a
// step has run, from a thread component A and an object component B to A'
// and B', the search knows the fingerprint after the same step from any
// state with A and B: fp - A - B + A' + B'.
//
// A step is cached only when the fingerprint after it is exactly that sum
// (no other component changed: no other object, the log, a new thread or
// object), it did not read the clock (the time is not in the state), and
// no draw followed it. Whole-state tables (ExactStates) do not predict.

// transKey is a thread's component and its pending step's object's.
type transKey struct{ thread, object uint64 }

// maxTransitions bounds the cache (about 60 bytes an entry).
const maxTransitions = 1 << 21

// transCache maps the two components before a step to the two after;
// with what prediction learns (predict.go).
type transCache struct {
	m map[transKey]transKey
	// verify (tests only): run every prediction all the same, and check
	// that it meets the state predicted (expect) and that every frame an
	// execution replays matches it.
	verify bool
	expect *stateKey

	pend      map[uint64]pendInfo // by thread component
	enabled   map[transKey]bool   // by thread component and its object's
	shadow    shadow
	kept      []shadow         // copies of the shadow at frames (keep)
	off       bool             // prediction does not pay: neither learn nor predict
	learned   int              // scheduling points observed
	predicted int              // states predicted, met or pushed
	opts      []sched.ThreadID // a derived point's options
	choice    sched.Choice
}

func newTransCache() *transCache {
	return &transCache{m: map[transKey]transKey{}, verify: verifyPredictions,
		pend: map[uint64]pendInfo{}, enabled: map[transKey]bool{}, shadow: shadow{at: -1}}
}

// learn records the step of p's current option, which led to the state
// with fingerprint fp, if it changed only its thread and its object, and
// marks p narrow then.
func (s *stateSearch) learn(p *sframe, sc *sched.Scheduler, fp uint64, wide bool) {
	if p.cur == sched.ClockID || wide || s.cache.off {
		return
	}
	r := s.path.current(p)
	before := r.pre
	var after transKey
	after.thread, after.object = sc.Components(p.cur, r.sig.obj)
	p.narrow = fp-p.fp == after.thread+after.object-before.thread-before.object
	if (p.narrow || mutCacheAnyStep) && !readClock(sc, p) && len(s.cache.m) < maxTransitions {
		s.cache.m[before] = after
	}
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
// such a state is never stored, so it is never predicted).
func (s *stateSearch) endPrediction(r *sched.Result) {
	if s.cache == nil || s.cache.expect == nil {
		return
	}
	if r.Failure == nil {
		s.err = fmt.Errorf("the transition cache predicted state %016x, the execution ended before it", s.cache.expect.fp)
	}
	s.cache.expect = nil
}
