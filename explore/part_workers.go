package explore

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// partition runs a depth-first search (dfs, odpor, naive, bounded or
// iterative) partitioned by prefixes (part_prefix.go) on W workers.
//
// The partition is found in rounds, starting from the root alone, which
// an unbounded search probes for target x probeRuns executions (what the
// first cut's probes would cost: a tree one worker searches within them
// is not cut, since the top's full expansion would cost more than it
// saves; filesystem n=20, 128 executions, took 4,681 cut). A bounded or
// iterative level keeps the small probe: a level left in one unit would
// be one shard's alone, and the other shards, which see none of its
// cuts, could not tell that the next level is needed. Then every new
// prefix's unit is probed, run up to probeRuns executions; if fewer
// than target units are still open after that and the tree is not yet cut
// maxRounds deep, every open unit is dropped and replaced by its
// prefix's children one real choice point deeper (its probe's executions
// count in the report as Probed). Units then run to their end. Whether a
// unit ends within probeRuns executions is a function of the program, so
// the partition, and every unit's executions, are too: the number of
// workers and the shards change only who runs what. The big subtrees are
// cut deep and the small ones not at all, so the top's full expansion,
// the partition's overhead, stays where the work is. An unbounded
// optimal DPOR search is partitioned otherwise, with a race-driven top
// and rounds (part_rounds.go); shards then split none of its work.
//
// Workers take the units from a queue, in order, each on its own
// scheduler; units are merged in prefix order (mergeLevel). Without
// KeepGoing, a failure in unit k stops the units after k, which the
// report drops, while those before k run to their end: the report is
// that of the units up to k, whatever the order in which workers
// finished them. A budget (Runs, Time) or Ctrl-C stops every worker; the
// report then counts what ran and lists the units not finished
// (Report.Unfinished), and is the one report that depends on the workers.
type partition struct {
	ctx      context.Context
	m        Model
	cfg      Config
	md       mode
	target   int
	workers  int
	scheds   []*sched.Scheduler
	col      *collector
	deadline time.Time
	used     atomic.Int64 // executions run, all levels and workers, besides ran
	// ran counts each worker's unit executions when no --runs budget is
	// shared: on a cache line of its own, which no other worker writes
	// (take).
	ran  []workerCount
	part Part
}

// The partition's constants: a unit that ends within probeRuns
// executions is not cut further; cutting stops at maxRounds real choice
// points deep; AutoSplit aims at autoTarget open units. On inc n=6
// (518,400 traces) dfs at target 16 runs 518,799 executions (+0.1%) in 21
// units, the largest 15% of them; at 32 the cut goes one level deeper,
// into the full expansion of the threads' steps: 605,871 (+17%) in 86.
//
// Optimal DPOR's partition has a race-driven top instead (part_rounds.go):
// a node of the top takes only the branches races ask for, so it adds
// few sleep-set-blocked executions, but each branch below optimal DPOR's
// own tree that source-DPOR's choice of initials adds costs some, so its
// target is small. Exact counts with AutoSplit (target 3, rounds of
// roundRuns = 4): lastzero n=12 (15,360 traces) 15,525 executions
// (+1.1%: 164 probed, 1 blocked) in 3 units of 2,048, 6,144 and 7,168,
// which 2 workers run in the time of 8,352 (TestRoundsBalanceLastZero);
// target 4 gives 7 units, the largest 3,328, but 2,817 blocked
// executions (18,397, +20%). The lost update n=5 (14,400 traces): 14,529
// (+0.9%) in 13 units, the largest 3,876. The full expansion the other searches
// use ran 27,150 executions on lastzero n=12 (+77%: the eleven siblings
// of the first branch after main's starts, below which the writer of
// a[1] is asleep for good).
const (
	autoTarget      = 16
	autoTargetODPOR = 3
)

// probeRuns, roundRuns (part_rounds.go) and maxRounds are variables for
// the tests.
var probeRuns, roundRuns, maxRounds = 32, 4, 64

// item is one unit of the partition being found: its prefix, its search
// (kept from the probe to the end) and what it found.
type item struct {
	pre      prefix
	index    int // in the partition, set by run
	d        *dfs
	unit     Unit
	probed   bool
	finished bool // explored to its end, or to its first failure without KeepGoing
	failed   bool // stopped at a failure without KeepGoing
	err      error
	// The race-driven top (part_rounds.go): the top's nodes on the
	// prefix's path (nil at the others), the item's place in depth-first
	// order, its requests, and its progress through the rounds.
	at    []*rtop
	order []int
	log   *requestLog
	round roundItem
	// handed: the unit follows a wakeup subtree another unit handed off
	// (part_rounds_split.go); it is not cut deeper.
	handed bool
}

// runPartitioned runs a partitioned search of m into col and reports
// whether it was exhaustive.
func runPartitioned(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, error) {
	p := &partition{ctx: ctx, m: m, cfg: cfg, md: dfsMode(cfg), workers: workers, col: col, target: cfg.Split}
	if p.target == AutoSplit {
		p.target = autoTarget
		if p.md == modeODPOR {
			p.target = autoTargetODPOR
		}
	}
	if cfg.Time > 0 {
		p.deadline = time.Now().Add(cfg.Time)
	}
	for range workers {
		p.scheds = append(p.scheds, sched.New(cfg.options()))
	}
	p.ran = make([]workerCount, workers)
	defer func() {
		for _, sc := range p.scheds {
			sc.Close()
		}
	}()
	col.rep.Split = p.target
	if cfg.Shards > 1 {
		col.mine = p.mine
	}
	p.part = Part{Shard: cfg.Shard, Shards: max(cfg.Shards, 1), Split: p.target, Levels: []PartLevel{}, Units: []Unit{}}
	exhaustive, err := col.mergeLevels(cfg, p.md, p.level)
	if cfg.Shards > 0 {
		col.rep.Part = &p.part
	}
	col.rep.Budget = col.rep.Budget || (len(col.rep.Unfinished) > 0 && !col.failed())
	return exhaustive, err
}

// level finds level l's partition and runs this shard's units.
func (p *partition) level(l, bound int) (PartLevel, []Unit, error) {
	if p.md == modeODPOR {
		return p.roundsLevel(l)
	}
	lv := PartLevel{Bound: bound}
	items := []*item{{pre: prefix{}}}
	for round := 0; ; round++ {
		runs := probeRuns
		if round == 0 && p.md != modeSleep {
			runs = probeRuns * p.target // the root: a tree this small is not cut
		}
		if err := p.run(items, l, bound, runs, true); err != nil {
			return lv, nil, err
		}
		open, failed := 0, false
		for _, it := range items {
			if !it.finished {
				open++
			}
			failed = failed || it.failed
		}
		if open == 0 || open >= p.target || round >= maxRounds || failed || p.stopped() {
			break
		}
		var err error
		if items, err = p.deepen(items, bound, &lv); err != nil {
			return lv, nil, err
		}
	}
	for _, it := range items {
		lv.ProbeCut += it.unit.Cut
	}
	if err := p.run(items, l, bound, 0, false); err != nil {
		return lv, nil, err
	}
	lv.Prefixes = len(items)
	return lv, p.keep(lv, items), nil
}

// keep records level lv and its units, in item order up to the first
// that failed (the report keeps the first failure in prefix order), the
// shard's own only, and returns them.
func (p *partition) keep(lv PartLevel, items []*item) []Unit {
	var units []Unit
	for i, it := range items {
		if p.mine(i) {
			it.unit.Index = i
			units = append(units, it.unit)
		}
		if it.failed {
			break
		}
	}
	p.part.Levels = append(p.part.Levels, lv)
	p.part.Units = append(p.part.Units, units...)
	return units
}

// mine reports whether the unit of index i is this shard's.
func (p *partition) mine(i int) bool { return p.cfg.Shards <= 1 || i%p.cfg.Shards == p.cfg.Shard }

// deepen replaces every open item by its prefix's children, counting its
// probe as wasted and the top's blocked executions and cuts.
func (p *partition) deepen(items []*item, bound int, lv *PartLevel) ([]*item, error) {
	var out []*item
	for _, it := range items {
		if it.finished {
			out = append(out, it)
			continue
		}
		top, err := children(p.ctx, p.scheds[0], p.m, p.md, bound, it.pre)
		if err != nil {
			return nil, err
		}
		lv.Probed += it.unit.Executions
		lv.ProbeCut += it.unit.Cut
		lv.Cut += top.cut
		lv.Blocked += top.blocked
		lv.Steps += it.unit.Steps + top.steps
		p.used.Add(int64(top.blocked))
		for _, c := range top.prefixes {
			out = append(out, &item{pre: c})
		}
	}
	return out, nil
}

// run explores the items' units on the workers: with probe, each new
// item for at most runs executions (every shard probes every item, so
// that all find the same partition); otherwise each open item of this
// shard to its end, except those after a failing item.
func (p *partition) run(items []*item, l, bound, runs int, probe bool) error {
	return p.runIf(items, l, bound, runs, func(i int, it *item, failAt int) bool {
		return probe && !it.probed || !probe && !it.finished && p.mine(i) && i < failAt
	})
}

// runIf runs, for at most runs more executions each (0: to the end), the
// units of the items that want.
func (p *partition) runIf(items []*item, l, bound, runs int, want func(i int, it *item, failAt int) bool) error {
	var queue []*item
	failAt := math.MaxInt
	for i, it := range items {
		it.index = i
		if it.failed {
			failAt = min(failAt, i)
		}
	}
	for i, it := range items {
		if want(i, it, failAt) {
			queue = append(queue, it)
		}
	}
	r := &unitRun{p: p, level: l, bound: bound, queue: queue, runs: runs, total: len(items)}
	r.failAt.Store(int64(failAt))
	r.run()
	for _, it := range queue {
		if it.err != nil {
			return it.err
		}
	}
	return nil
}

// unitRun runs a queue of units on the workers.
type unitRun struct {
	p     *partition
	level int
	bound int
	queue []*item
	runs  int // 0: to the end
	total int
	next  atomic.Int64
	done  atomic.Int64
	// failAt is the smallest index of an item that failed (without
	// KeepGoing): the items after it stop.
	failAt atomic.Int64
}

func (r *unitRun) run() {
	var wg sync.WaitGroup
	for w := range r.p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(w)
		}()
	}
	r.watch(&wg)
}

// watch waits for the workers, reporting progress meanwhile.
func (r *unitRun) watch(wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	every := r.p.cfg.ProgressEvery
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			r.progress()
		}
	}
}

func (r *unitRun) progress() {
	c := r.p.col
	if c.cfg.Progress == nil {
		return
	}
	c.cfg.Progress(Progress{Executions: r.p.executions(), Failures: len(c.failures),
		Elapsed: time.Since(c.start), Bound: r.bound, Workers: r.p.workers,
		Prefixes: r.total, PrefixesDone: r.total - len(r.queue) + int(r.done.Load())})
}

// work takes units from the queue until it is empty.
func (r *unitRun) work(w int) {
	for {
		q := int(r.next.Add(1) - 1)
		if q >= len(r.queue) {
			return
		}
		r.explore(w, r.queue[q])
		r.done.Add(1)
	}
}

// take counts one more execution of worker w, unless the --runs budget
// has none left: the workers reserve each execution before running it.
// Without a budget each worker counts its own, so that the workers share
// no counter they write at every execution.
func (p *partition) take(w int) bool {
	if p.cfg.Runs <= 0 {
		p.ran[w].n.Add(1)
		return true
	}
	if n := p.used.Add(1); n > int64(p.cfg.Runs) {
		p.used.Add(-1)
		return false
	}
	return true
}

// executions returns the number of executions run so far.
func (p *partition) executions() int {
	n := p.used.Load()
	for i := range p.ran {
		n += p.ran[i].n.Load()
	}
	return int(n)
}

// workerCount is a counter alone on its cache line.
type workerCount struct {
	n atomic.Int64
	_ [56]byte
}

// stopped reports whether the search must stop: a budget or Ctrl-C.
func (p *partition) stopped() bool {
	return p.ctx.Err() != nil || (p.cfg.Runs > 0 && p.used.Load() >= int64(p.cfg.Runs)) ||
		(!p.deadline.IsZero() && time.Now().After(p.deadline))
}

// explore runs it's unit below its prefix, for at most r.runs more
// executions, or to its end.
func (r *unitRun) explore(w int, it *item) {
	p := r.p
	if it.d == nil {
		it.d = unitDFS(p.md, r.bound, it.pre)
		it.d.requests = it.log
		it.unit = Unit{Level: r.level, Prefix: prefixName(it.pre.decisions), Outcomes: map[string]int{}}
	}
	it.probed = true
	if p.stopped() {
		return
	}
	u := &it.unit
	limit := &budget{runs: r.runs, take: func() bool { return p.take(w) }}
	finished, err := r.search(p.scheds[w], it, limit)
	u.Cut = it.d.cuts
	it.err = err
	it.finished = (finished || it.failed) && err == nil
	u.Finished = it.finished
	if it.finished {
		it.d = nil // its memory
	}
}

// search runs it's search under limit. An odpor unit whose model's
// creations race, or that uses the clock, starts again as source-DPOR, from its prefix, under the
// same limit: the choice is the unit's own, so the report is the same for
// any number of workers and shards.
func (r *unitRun) search(sc *sched.Scheduler, it *item, limit *budget) (bool, error) {
	finished, err := r.searchAs(sc, it, limit)
	if why := odporFallback(err); why != "" {
		it.d = unitDFS(modeDPOR, r.bound, it.pre)
		it.d.requests = it.log
		it.unit = Unit{Level: it.unit.Level, Prefix: it.unit.Prefix, Outcomes: map[string]int{}, SourceDPOR: true, SourceDPORWhy: why}
		*limit = budget{runs: limit.runs, take: limit.take}
		finished, err = r.searchAs(sc, it, limit)
	}
	return finished, err
}

// searchAs runs it's search as it stands under limit.
func (r *unitRun) searchAs(sc *sched.Scheduler, it *item, limit *budget) (bool, error) {
	p, u := r.p, &it.unit
	return it.d.search(p.ctx, sc, p.m.Program, limit, func(res *sched.Result, blocked bool) bool {
		var failed bool
		if blocked {
			u.SleepBlocked++
			failed = unitAdd(u, p.m, p.col.rep.Strategy, execution{steps: res.Steps}, false)
		} else {
			u.Complete++
			e := summarize(res)
			p.col.announce(u.Executions, e)
			failed = unitAdd(u, p.m, p.col.rep.Strategy, e, true)
		}
		if failed && !p.cfg.KeepGoing {
			it.failed = true
			r.lowerFailAt(it.index)
			return true
		}
		return p.stopped() || int64(it.index) > r.failAt.Load()
	})
}

// lowerFailAt lowers failAt to i.
func (r *unitRun) lowerFailAt(i int) {
	for {
		cur := r.failAt.Load()
		if int64(i) >= cur || r.failAt.CompareAndSwap(cur, int64(i)) {
			return
		}
	}
}
