package explore

import (
	"fmt"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Stateful search merges two paths that reach one state and explores the
// state's future once: sound only if the model keeps what its threads
// share in primitives, or in Go values that are a function of what the
// threads observed (sched/state.go's rules). A model that keeps, say, a
// balance in a plain Go variable under a lock reaches "one" state with two
// balances, and the search explores the future of only one of them.
//
// ruleCheck tests that assumption where it can: it keeps the decisions
// that first reached a sample of the states, and, when the search meets
// one of them again by another path (and prunes that path), the pair of
// paths. After the search, each pair is run on to its end under one fixed
// policy (the lowest enabled thread, the clock last, draws 0): from one
// state the two runs must take the same steps and end the same way. Two
// that do not show the model breaking the rules, and the verdict cannot be
// trusted. It finds what the sample meets, not every breach.
type ruleCheck struct {
	first map[uint64]rulePath // a sampled state's fingerprint → the path that first reached it
	room  int                 // decisions first may still store
	pairs []rulePair
	seen  map[uint64]bool // states already paired
	// filter has the bit of every fingerprint in first (and others).
	filter *[ruleFilter]uint64
}

// rulePath is a path to a state: its decisions, and the step the state
// is at (forced steps may follow the last decision).
type rulePath struct {
	decisions []int
	step      int
}

// rulePair is two paths that reached the state fp.
type rulePair struct {
	fp            uint64
	first, second rulePath
}

// The sample's bounds: decisions stored, pairs checked.
const (
	ruleRoom   = 1 << 18
	rulePairs  = 24
	ruleFilter = 1 << 10 // words of the filter: 65,536 bits
)

func newRuleCheck() *ruleCheck {
	return &ruleCheck{first: map[uint64]rulePath{}, room: ruleRoom, seen: map[uint64]bool{}, filter: new([ruleFilter]uint64)}
}

// mark sets fp's bit in the filter; marked reports whether it is set: a
// revisit of a state not in the sample costs one bit test, not a map
// lookup.
func (rc *ruleCheck) mark(fp uint64) { rc.filter[fp>>6&(ruleFilter-1)] |= 1 << (fp & 63) }

func (rc *ruleCheck) marked(fp uint64) bool {
	return rc.filter[fp>>6&(ruleFilter-1)]&(1<<(fp&63)) != 0
}

// firstVisit records the path to new state fp, while there is room: the
// sample is the states the search meets first.
func (rc *ruleCheck) firstVisit(fp uint64, step int, decisions func() []int) {
	if rc.room <= 0 || len(rc.pairs) >= rulePairs {
		return
	}
	d := decisions()
	rc.room -= len(d) + 1
	if rc.room >= 0 {
		rc.first[fp] = rulePath{d, step}
		rc.mark(fp)
	}
}

// revisit pairs a path that met state fp again with the first one, if fp
// was sampled and has no pair yet.
func (rc *ruleCheck) revisit(fp uint64, step int, decisions func() []int) {
	if !rc.marked(fp) {
		return
	}
	first, ok := rc.first[fp]
	if !ok || rc.seen[fp] || len(rc.pairs) >= rulePairs {
		return
	}
	second := rulePath{decisions(), step}
	if slices.Equal(first.decisions, second.decisions) {
		return
	}
	rc.seen[fp] = true
	rc.pairs = append(rc.pairs, rulePair{fp: fp, first: first, second: second})
}

// verify runs every pair on and returns the number of pairs checked and
// "" or what a pair showed.
func (rc *ruleCheck) verify(m Model, cfg Config) (int, string) {
	opts := cfg.options()
	sc := sched.New(opts)
	defer sc.Close()
	for i, p := range rc.pairs {
		a, b := runOn(sc, m, p.first.decisions), runOn(sc, m, p.second.decisions)
		if a == nil || b == nil {
			return i, "" // a path no longer fits: reported elsewhere (not deterministic)
		}
		aStart, bStart := p.first.step, p.second.step
		if why := sameFuture(a, aStart, b, bStart); why != "" {
			return i + 1, fmt.Sprintf("the model keeps state outside its primitives (sched/state.go's rules): "+
				"two paths reach one state, at steps %d and %d, and from there the same schedule %s; "+
				"stateful search explored one of them only, so its verdict cannot be trusted (use --strategy dfs)",
				aStart, bStart, why)
		}
	}
	return len(rc.pairs), ""
}

// runOn runs m along decisions, then under the fixed policy to its end;
// it returns the execution, nil if the decisions do not fit.
func runOn(sc *sched.Scheduler, m Model, decisions []int) *sched.Result {
	p := &thenLowest{replayer: replayer{decisions: decisions}}
	r := sc.Run(m.Program, p).Clone()
	if p.err != nil {
		return nil
	}
	return r
}

// thenLowest follows a schedule, then runs the lowest enabled thread (the
// clock last, as Options order it) and draws 0.
type thenLowest struct{ replayer }

func (p *thenLowest) Choose(c *sched.Choice) int {
	if p.next < len(p.decisions) || p.err != nil {
		return p.replayer.Choose(c)
	}
	if c.Kind == sched.Draw || c.N <= 1 {
		return 0
	}
	return c.Decision(c.Options[0])
}

// sameFuture compares two executions from their steps aStart and bStart
// on: "" when they take the same steps and end the same way, else how
// they differ.
func sameFuture(a *sched.Result, aStart int, b *sched.Result, bStart int) string {
	as, bs := a.Trace[min(aStart, len(a.Trace)):], b.Trace[min(bStart, len(b.Trace)):]
	for i := range min(len(as), len(bs)) {
		x, y := &as[i], &bs[i]
		if x.Thread != y.Thread || x.Op != y.Op || x.Obj != y.Obj {
			return fmt.Sprintf("takes other steps (%s against %s)", describeStep(a, x), describeStep(b, y))
		}
	}
	switch ka, kb := endOf(a), endOf(b); {
	case hitLimit(a) || hitLimit(b):
		// The step limit counts from the start, and the paths are of
		// different lengths: only the steps both took compare.
	case len(as) != len(bs) || ka != kb:
		return fmt.Sprintf("runs %d steps and ends %s on one path, %d steps and ends %s on the other", len(as), ka, len(bs), kb)
	case a.Outcome != b.Outcome:
		return fmt.Sprintf("ends with outcome %q on one path and %q on the other", a.Outcome, b.Outcome)
	}
	return ""
}

// endOf says how r ended: "without failure" or "with KIND".
func endOf(r *sched.Result) string {
	if r.Failure == nil {
		return "without failure"
	}
	return "with " + r.Failure.Kind.String()
}

// hitLimit reports whether r was cut by the step limit.
func hitLimit(r *sched.Result) bool { return r.Failure != nil && r.Failure.Kind == sched.StepLimit }
