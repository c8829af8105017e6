package explore

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// A shard of delay-bounded search (Config.Shards with the delay strategy)
// cuts each level's tree of schedules at its delaySplit-th choice point:
// every shard enumerates the same prefixes, the paths of the tree down to
// that depth within the bound (an execution that ends above it is a
// prefix too), and explores below the prefixes whose index is its own
// modulo the number of shards, with a delay search whose path starts
// with the prefix and never goes back into it. Delay search has no
// reduction, so the tree below a prefix is the single search's subtree
// there: the units, merged in prefix order (the single search's
// depth-first order), make its executions in its order, and Merge prints
// its report. The prefixes' choice points are made by the enumeration,
// which counts the options the bound excludes there: each choice point's
// count goes to the first prefix through it, whose unit the single search
// explores first, so that a search stopped by a failure counts the cuts
// it would have counted.

// delaySplit is the depth, in choice points, of the cut.
const delaySplit = 8

// delayStopper runs a delay search, stopping each execution at the first
// scheduling choice point below the split.
type delayStopper struct{ d *delaySearch }

func (s *delayStopper) Choose(c *sched.Choice) int {
	if c.Kind == sched.PickThread && c.N > 1 && s.d.depth >= len(s.d.path) && len(s.d.path) >= delaySplit {
		return sched.Stop
	}
	return s.d.Choose(c)
}

// delayPrefix is a path of the tree of schedules down to the split, and
// the options the bound excluded at the choice points it reached first.
type delayPrefix struct {
	path []delayNode
	cut  int
}

// delayPrefixes enumerates the prefixes of the level of bound, in
// depth-first order.
func delayPrefixes(ctx context.Context, sc *sched.Scheduler, m Model, bound int) ([]delayPrefix, error) {
	top := newDelaySearch(bound)
	st := &delayStopper{d: top}
	var prefixes []delayPrefix
	for {
		cuts := top.cuts
		sc.Run(m.Program, st)
		if top.err != nil {
			return nil, top.err
		}
		prefixes = append(prefixes, delayPrefix{path: slices.Clone(top.path), cut: top.cuts - cuts})
		if !top.next() {
			return prefixes, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// runDelayShard explores this shard's share of every level of delay-bounded
// search, as runDelay would go through the levels, into the report's Part
// (the report itself then counts the share alone).
// A level whose share found a failure, or whose share and prefixes the
// bound no longer cut (a higher bound explores the same schedules there:
// partsLevel repeats it), is its last.
func runDelayShard(ctx context.Context, m Model, cfg Config, col *collector) error {
	sc := sched.New(cfg.options())
	defer sc.Close()
	b := newBudget(cfg)
	part := &Part{Shard: cfg.Shard, Shards: cfg.Shards, Levels: []PartLevel{}, Units: []Unit{}}
	col.rep.Part = part
	col.mine = func(i int) bool { return i%cfg.Shards == cfg.Shard }
	for l, bound := 0, firstDelayBound(cfg); ; l, bound = l+1, bound+1 {
		prefixes, err := delayPrefixes(ctx, sc, m, bound)
		if err != nil {
			return err
		}
		// cut: what the bound excluded in the prefixes (a higher bound
		// has other prefixes) and in this shard's units.
		cut := 0
		for _, pre := range prefixes {
			cut += pre.cut
		}
		part.Levels = append(part.Levels, PartLevel{Bound: bound, Prefixes: len(prefixes)})
		failed := false
		for i, pre := range prefixes {
			if i%cfg.Shards != cfg.Shard {
				continue
			}
			u, err := delayUnit(ctx, sc, m, cfg, col, b, l, bound, i, pre)
			if err != nil {
				return err
			}
			part.Units = append(part.Units, u)
			cut += u.Cut - pre.cut
			if len(u.Failures) > 0 {
				failed = true
				if !cfg.KeepGoing {
					break
				}
			}
			if !u.Finished {
				return nil
			}
		}
		if failed || cut == 0 || lastDelayLevel(cfg, bound) {
			return nil
		}
	}
}

// delayUnit explores the subtree below prefix pre, the index-th of level
// l, and returns what it found.
func delayUnit(ctx context.Context, sc *sched.Scheduler, m Model, cfg Config, col *collector, b *budget,
	l, bound, index int, pre delayPrefix) (Unit, error) {
	u := Unit{Level: l, Index: index, Prefix: delayPrefixName(pre.path), Outcomes: map[string]int{}}
	d := newDelaySearch(bound)
	d.path, d.frozen = slices.Clone(pre.path), len(pre.path)
	failed := false
	finished, err := d.search(ctx, sc, m.Program, b, func(r *sched.Result) bool {
		e := summarize(r)
		u.Complete++
		failed = unitAdd(&u, m, col.rep.Strategy, e, true)
		return failed && !cfg.KeepGoing
	})
	u.Cut = pre.cut + d.cuts
	u.Finished = (finished || failed) && err == nil
	return u, err
}

// delayPrefixName names a prefix by the ring indices (draw values) it
// took, "0.1.0" ("-": none).
func delayPrefixName(pre []delayNode) string {
	at := make([]int, len(pre))
	for i, n := range pre {
		at[i] = n.at
	}
	return prefixName(at)
}

// mergeDelayLevels counts the levels of a delay-bounded search from src
// as runDelay goes through them, and reports whether the search was
// exhaustive. The report is the unpartitioned search's: it names no
// prefixes.
func (c *collector) mergeDelayLevels(cfg Config, src levelSource) (bool, error) {
	defer func() { c.rep.Prefixes = 0 }()
	for l, bound := 0, firstDelayBound(cfg); ; l, bound = l+1, bound+1 {
		lv, units, err := src(l, bound)
		if err != nil {
			return false, err
		}
		lv.Bound = bound // a shard that stopped below repeats its last level
		finished, stop, cut, err := c.mergeLevel(lv, units)
		if err != nil || !finished || stop || c.failed() {
			return false, err
		}
		if cut == 0 || bound < 0 {
			return true, nil
		}
		if lastDelayLevel(cfg, bound) {
			return false, nil
		}
	}
}

// runDelayPartitioned explores every level of delay-bounded search with
// its units (the shards' prefixes, all of them) on W workers, merged in
// prefix order: the report is runDelay's whatever W, unless Time or
// Ctrl-C stopped the search (Runs makes Explore search on one worker).
// Without KeepGoing, the units after a failing one stop.
func runDelayPartitioned(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, error) {
	scheds := make([]*sched.Scheduler, workers)
	for w := range scheds {
		scheds[w] = sched.New(cfg.options())
	}
	defer func() {
		for _, sc := range scheds {
			sc.Close()
		}
	}()
	deadline := newBudget(cfg).deadline
	exhaustive, err := col.mergeDelayLevels(cfg, func(l, bound int) (PartLevel, []Unit, error) {
		prefixes, err := delayPrefixes(ctx, scheds[0], m, bound)
		if err != nil {
			return PartLevel{}, nil, err
		}
		units, err := delayUnits(ctx, scheds, m, cfg, col, deadline, l, bound, prefixes)
		return PartLevel{Bound: bound, Prefixes: len(prefixes)}, units, err
	})
	col.rep.Budget = len(col.rep.Unfinished) > 0 && !col.failed()
	return exhaustive, err
}

// delayUnits runs the units of a level's prefixes on the schedulers'
// workers, in index order, and returns those that ran.
func delayUnits(ctx context.Context, scheds []*sched.Scheduler, m Model, cfg Config, col *collector,
	deadline time.Time, l, bound int, prefixes []delayPrefix) ([]Unit, error) {
	units := make([]Unit, len(prefixes))
	ran := make([]bool, len(prefixes))
	errs := make([]error, len(scheds))
	var next, failAt atomic.Int64
	failAt.Store(math.MaxInt64)
	var wg sync.WaitGroup
	for w, sc := range scheds {
		wg.Go(func() {
			for errs[w] == nil {
				i := next.Add(1) - 1
				if i >= int64(len(prefixes)) || i > failAt.Load() {
					return
				}
				units[i], errs[w] = delayUnit(ctx, sc, m, cfg, col, &budget{deadline: deadline}, l, bound, int(i), prefixes[i])
				ran[i] = true
				for len(units[i].Failures) > 0 && !cfg.KeepGoing {
					at := failAt.Load()
					if i >= at || failAt.CompareAndSwap(at, i) {
						break
					}
				}
			}
		})
	}
	wg.Wait()
	var out []Unit
	for i, u := range units {
		if ran[i] {
			out = append(out, u)
		}
	}
	return out, errors.Join(errs...)
}
