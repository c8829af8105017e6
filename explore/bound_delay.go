package explore

import (
	"context"
	"fmt"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Delay-bounded search (Emmi, Qadeer and Rakamarić, POPL 2011; the
// "delay" strategy).
//
// The deterministic scheduler is non-preemptive round robin over thread
// ids. The thread whose turn it is (the last thread that ran) keeps
// running while it is enabled; when it blocks or ends, the turn passes to
// the next enabled thread in id order after it, wrapping around. A step
// that only lets others run (yield, sleep(0)) passes the turn too, as a
// yield does in Emmi et al.'s scheduler, so a loop that spins with yields
// lets the others through without a delay. The clock comes after every
// thread: steps take no virtual time, so the deterministic scheduler lets
// time pass (fires the earliest deadline) only when no thread can run,
// which is how the virtual clock behaves unless a search decides
// otherwise.
//
// At a choice point the options are ordered in that round-robin ring,
// starting from the scheduler's own pick: ring[0] is the default, ring[1]
// the thread the scheduler reaches by skipping it once, and so on, the
// clock last. Choosing ring[j] costs j delays. With bound K the search
// explores, depth-first and without reduction, every schedule whose delays
// add up to at most K: bound 0 is the one round-robin schedule, bound 1
// adds one execution per extra option of each choice point of that
// schedule, and so on, whatever the number of threads. A schedule with K
// delays has at most K preemptions (a preemption switches away from an
// enabled current thread, which the scheduler never does by itself), but
// a switch at a blocking point or exit to any thread other than the next
// in the ring costs delays too. Random draws are data, not scheduling:
// every value is explored and none costs a delay.
type delaySearch struct {
	bound int // -1: none
	path  []delayNode
	depth int
	turn  sched.ThreadID // the last thread that ran a step, NoThread at the start
	cuts  int            // options the bound excluded
	err   error
	ring  []sched.ThreadID // scratch
	// frozen is the number of leading path nodes a shard's prefix fixed
	// (part_delay.go): next does not go back into them.
	frozen int
}

// delayNode is a choice point of the current path with two or more
// options: a draw of n values, or a pick among ring (round-robin order).
// at is the index taken (the draw's value); delays were spent before it.
type delayNode struct {
	draw   bool
	n      int
	ring   []sched.ThreadID
	at     int
	delays int
}

func newDelaySearch(bound int) *delaySearch {
	return &delaySearch{bound: bound, turn: sched.NoThread}
}

// Choose replays the path's choices, then extends it with the round-robin
// scheduler's own (index 0) until the execution ends.
func (d *delaySearch) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		if c.N <= 1 {
			return 0
		}
		return d.chooseDraw(c)
	}
	d.ring = roundRobin(d.ring[:0], c, d.turn, passesTurn(c.Sched, d.turn))
	t := d.ring[0]
	if c.N > 1 {
		at, ok := d.pick(c)
		if !ok {
			return sched.Stop
		}
		t = d.ring[at]
	}
	if t != sched.ClockID {
		d.turn = t
	}
	return c.Decision(t)
}

func (d *delaySearch) chooseDraw(c *sched.Choice) int {
	if d.depth < len(d.path) {
		n := &d.path[d.depth]
		d.depth++
		if !n.draw || n.n != c.N {
			return d.diverged(c, "a draw of %d values where the path has another choice", c.N)
		}
		return n.at
	}
	d.path = append(d.path, delayNode{draw: true, n: c.N, delays: d.spent()})
	d.depth++
	return 0
}

// pick returns the ring index to take at a real choice point.
func (d *delaySearch) pick(c *sched.Choice) (int, bool) {
	if d.depth < len(d.path) {
		n := &d.path[d.depth]
		d.depth++
		if n.draw || !slices.Equal(n.ring, d.ring) {
			d.diverged(c, "the enabled threads %v differ from %v on the path", c.Options, n.ring)
			return 0, false
		}
		return n.at, true
	}
	spent := d.spent()
	if d.bound >= 0 {
		d.cuts += max(0, len(d.ring)-1-(d.bound-spent))
	}
	d.path = append(d.path, delayNode{ring: slices.Clone(d.ring), delays: spent})
	d.depth++
	return 0, true
}

// spent is the number of delays taken on the path so far.
func (d *delaySearch) spent() int {
	if d.depth == 0 {
		return 0
	}
	p := &d.path[d.depth-1]
	if p.draw {
		return p.delays
	}
	return p.delays + p.at
}

func (d *delaySearch) diverged(c *sched.Choice, format string, args ...any) int {
	if d.err == nil {
		d.err = fmt.Errorf("model is not deterministic: at step %d, %s", c.Step, fmt.Sprintf(format, args...))
	}
	return sched.Stop
}

// next moves to the next schedule within the bound, deepest choice point
// first, and reports whether there is one.
func (d *delaySearch) next() bool {
	d.depth, d.turn = 0, sched.NoThread
	for len(d.path) > d.frozen {
		n := &d.path[len(d.path)-1]
		if n.draw && n.at+1 < n.n {
			n.at++
			return true
		}
		if !n.draw && n.at+1 < len(n.ring) && (d.bound < 0 || n.delays+n.at+1 <= d.bound) {
			n.at++
			return true
		}
		d.path = d.path[:len(d.path)-1]
	}
	return false
}

// roundRobin appends to dst the options of c in the round-robin scheduler's
// order: the thread whose turn it is, if enabled and it did not pass the
// turn; the enabled threads after it in id order; those before it; the
// turn's thread when it passed the turn; then the clock.
func roundRobin(dst []sched.ThreadID, c *sched.Choice, turn sched.ThreadID, passed bool) []sched.ThreadID {
	threads := c.Options
	clock := len(threads) > 0 && threads[len(threads)-1] == sched.ClockID
	if clock {
		threads = threads[:len(threads)-1]
	}
	if turn != sched.NoThread && !passed && slices.Contains(threads, turn) {
		dst = append(dst, turn)
	}
	for _, t := range threads {
		if turn == sched.NoThread || t > turn {
			dst = append(dst, t)
		}
	}
	for _, t := range threads {
		if turn != sched.NoThread && t < turn {
			dst = append(dst, t)
		}
	}
	if turn != sched.NoThread && passed && slices.Contains(threads, turn) {
		dst = append(dst, turn)
	}
	if clock {
		dst = append(dst, sched.ClockID)
	}
	return dst
}

// passesTurn reports whether the last step was turn's yield or sleep(0).
func passesTurn(s *sched.Scheduler, turn sched.ThreadID) bool {
	tr := s.Trace()
	if len(tr) == 0 {
		return false
	}
	e := &tr[len(tr)-1]
	return e.Thread == turn && (e.Op == "yield" || e.Op == "sleep(0)")
}

// search runs d's schedules until the tree ends, visit returns true or
// the budget is exhausted; it reports whether the tree ended.
func (d *delaySearch) search(ctx context.Context, sc *sched.Scheduler, p sched.Program, b *budget,
	visit func(r *sched.Result) (stop bool)) (finished bool, err error) {
	for {
		r := sc.Run(p, d)
		b.used++
		b.stepsUsed += r.Steps
		if d.err != nil {
			return false, d.err
		}
		if visit(r) {
			return false, nil
		}
		if !d.next() {
			return true, nil
		}
		if b.exhausted(ctx) {
			return false, nil
		}
	}
}

// firstDelayBound is the bound of the first level of cfg's delay-bounded
// search: Unbounded for an unbounded search that is not iterative.
func firstDelayBound(cfg Config) int {
	switch {
	case !cfg.Iterative && cfg.Delays < 0:
		return Unbounded
	case cfg.Iterative:
		return 0
	}
	return cfg.Delays
}

// lastDelayLevel reports whether the level of bound is the last one cfg
// asks for.
func lastDelayLevel(cfg Config, bound int) bool {
	return bound < 0 || !cfg.Iterative || (cfg.Delays >= 0 && bound >= cfg.Delays)
}

// runDelay explores m with delay-bounded search: bound cfg.Delays, or
// with cfg.Iterative bounds 0, 1, ... up to cfg.Delays (no limit when it
// is Unbounded) until a failure, a level the bound did not cut (the search
// then covered every schedule: complete) or the budget. Each level runs
// again the schedules of the levels below it. It reports whether the
// search was exhaustive.
func runDelay(ctx context.Context, m Model, cfg Config, col *collector) (bool, error) {
	sc := sched.New(cfg.options())
	defer sc.Close()
	b := newBudget(cfg)
	for bound := firstDelayBound(cfg); ; bound++ {
		col.rep.Bound = bound
		col.resetOutcomes()
		col.rep.Complete = 0
		d := newDelaySearch(bound)
		finished, err := d.search(ctx, sc, m.Program, b, func(r *sched.Result) bool {
			col.rep.Complete++
			return col.add(col.rep.Executions, summarize(r), true)
		})
		col.rep.Cut += d.cuts
		if err != nil {
			return false, err
		}
		if !finished || col.failed() {
			col.rep.Budget = !col.failed() && b.exhausted(ctx)
			return false, nil
		}
		if d.cuts == 0 || bound < 0 {
			return true, nil
		}
		if lastDelayLevel(cfg, bound) {
			return false, nil
		}
	}
}
