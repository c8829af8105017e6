package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// The transition cache is what lets stateful search follow a step
// without running it (state_predict.go).
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
// with what prediction learns (state_predict.go).
type transCache struct {
	m     map[transKey]transKey
	grown map[growKey]*grownStep // steps that grow the state (learnGrowth)
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
		grown: map[growKey]*grownStep{}, pend: map[uint64]pendInfo{}, enabled: map[transKey]bool{}, shadow: shadow{at: -1}}
}

// growth is what a step adds beyond its thread's and its object's
// components: the components of the threads and objects it created, in
// id order, and the fingerprint's change beyond the two components (those
// new ones and the program component's change: a thread name taken, a
// line printed).
type growth struct {
	threads, objects []uint64
	change           uint64
}

// growKey is a step that grows the state: its two components, and what
// else its effect depends on: the program component (the names taken,
// what was printed) and the numbers of threads and objects (the ids of
// those it creates).
type growKey struct {
	pre              transKey
	program          uint64
	threads, objects int32
}

// grownStep is what a growing step leads to.
type grownStep struct {
	after transKey
	g     growth
}

// sum is the fingerprint's change beyond the two components (0 for nil).
func (g *growth) sum() uint64 {
	if g == nil {
		return 0
	}
	return g.change
}

// creates reports whether the step created threads or objects.
func (g *growth) creates() bool { return g != nil && len(g.threads)+len(g.objects) > 0 }

// lookup returns what f's current step (record r) leads to: its thread's
// and object's components, and its growth (nil when it has none).
func (c *transCache) lookup(f *sframe, r *optRec) (transKey, *growth, bool) {
	if after, ok := c.m[r.pre]; ok {
		return after, nil, true
	}
	if len(c.grown) == 0 {
		return transKey{}, nil, false
	}
	k := growKey{r.pre, c.shadow.program(f.fp), f.threads, f.objects}
	if mutGrowthKey {
		k.program, k.threads, k.objects = 0, 0, 0
	}
	w, ok := c.grown[k]
	if !ok {
		return transKey{}, nil, false
	}
	return w.after, &w.g, true
}

// program is the program component of the shadow's state, whose
// fingerprint is fp.
func (sh *shadow) program(fp uint64) uint64 {
	for _, a := range sh.threads {
		fp -= a
	}
	for _, b := range sh.objects {
		fp -= b
	}
	return fp
}

// learn records the step of p's current option, which led to the state
// with fingerprint fp, if it changed only its thread's and its object's
// components, or those and the program's and new ones (learnGrowth); it
// marks p narrow then: the shadow can go back through the step.
func (s *stateSearch) learn(p *sframe, sc *sched.Scheduler, fp uint64, wide bool) {
	if p.cur == sched.ClockID || wide || s.cache.off {
		return
	}
	r := s.path.current(p)
	before := r.pre
	var after transKey
	after.thread, after.object = sc.Components(p.cur, r.sig.obj)
	p.narrow = fp-p.fp == after.thread+after.object-before.thread-before.object
	cache := !readClock(sc, p)
	if (p.narrow || mutCacheAnyStep) && cache && len(s.cache.m) < maxTransitions {
		s.cache.m[before] = after
	}
	if !p.narrow && s.cache.shadow.at == s.last {
		p.narrow = s.cache.learnGrowth(p, r, sc, fp, after, cache)
	}
}

// learnGrowth records, when cache, the step of p's current option (r) if
// it changed, beyond its thread's and object's components, only the
// program's and created new ones; the shadow holds p's state. It reports
// whether the step was such a step.
func (c *transCache) learnGrowth(p *sframe, r *optRec, sc *sched.Scheduler, fp uint64, after transKey, cache bool) bool {
	sh := &c.shadow
	threads, objects := sc.AppendComponents(nil, nil)
	if len(threads) < len(sh.threads) || len(objects) < len(sh.objects) {
		return false
	}
	for i, a := range sh.threads {
		if i != int(p.cur) && threads[i] != a {
			return false
		}
	}
	for i, b := range sh.objects {
		if i != int(r.sig.obj) && objects[i] != b {
			return false
		}
	}
	if !cache || len(c.grown) >= maxTransitions {
		return true
	}
	w := &grownStep{after: after, g: growth{threads: threads[len(sh.threads):], objects: objects[len(sh.objects):],
		change: fp - p.fp - (after.thread + after.object - r.pre.thread - r.pre.object)}}
	k := growKey{r.pre, sh.program(p.fp), int32(len(sh.threads)), int32(len(sh.objects))}
	if mutGrowthKey {
		k.program, k.threads, k.objects = 0, 0, 0
	}
	c.grown[k] = w
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
