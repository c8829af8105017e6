package explore

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// The rounds of the race-driven top (part_rounds.go) are virtual: they
// fix which executions' requests are applied when, not when workers run.
// A unit made at the close of round v-1 (the root: round 0) runs its
// executions in chunks of roundRuns, its c-th chunk in round v+c. Round v
// closes once every unit that has a chunk in it has run that chunk (or
// ended before): then the requests of the round's chunks are applied in
// unit order, the units whose first chunk (their probe) was in round v
// and that did not end in it are cut deeper while fewer than the target
// are open, and the new branches' units are made, for round v+1. Workers
// meanwhile run any chunk that is ready, lowest round first: a unit's
// chunks in order, its second only once its probe's round has closed
// (it may be cut deeper instead). A unit's executions and requests
// depend on its prefix alone, not on when its chunks ran, so the
// partition and every unit's executions are functions of the program.
//
// Without KeepGoing, a unit that fails in round f stops the units after
// it from round f on; their chunks of earlier rounds still run, and
// count, so that the rounds before f are the same whichever worker met
// the failure first.

// roundItem is a unit's progress through the rounds.
type roundItem struct {
	created   int   // the round of its first chunk
	chunks    int   // chunks run
	running   bool  // a worker runs its next chunk
	done      bool  // it ended (item.finished, kept here for the other goroutines)
	execs     []int // executions of each chunk
	ends      []int // the length of its request log after each chunk
	log       []request
	failRound int // the round of the chunk that failed, -1
	lastRound int // the round of its last chunk once it ended
}

// roundRun runs the rounds of one level on the workers.
type roundRun struct {
	p       *partition
	level   int
	mu      sync.Mutex
	cond    *sync.Cond
	items   []*item // the partition so far, in depth-first order
	root    *item
	dropped []*item // units cut deeper, for recordRounds
	tops    []*rtop
	handed  []*rtop // nodes handed off, until their round closes
	closed  int     // rounds closed
	quit    bool
	err     error
	lv      PartLevel
	sc      *sched.Scheduler // the coordinator's, for the top's enumeration
}

// newRoundItem makes it a unit first run in round v.
func newRoundItem(it *item, v int) *item {
	it.round = roundItem{created: v, failRound: -1, lastRound: -1}
	return it
}

// roundsLevel finds the partition of an unbounded optimal DPOR search
// with the race-driven top and runs its units, and returns the level and
// this shard's units. Every shard runs every unit (the requests of all of
// them decide the partition) and reports its own: shards split no work
// of this search.
func (p *partition) roundsLevel(l int) (PartLevel, []Unit, error) {
	rr := &roundRun{p: p, level: l, lv: PartLevel{Bound: Unbounded}, sc: sched.New(p.cfg.options())}
	defer rr.sc.Close()
	rr.cond = sync.NewCond(&rr.mu)
	rr.root = newRoundItem(&item{pre: prefix{}, log: &requestLog{}}, 0)
	rr.items = []*item{rr.root}
	var wg sync.WaitGroup
	for w := range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr.work(w)
		}()
	}
	tick := make(chan struct{})
	go rr.ticker(tick)
	rr.coordinate()
	close(tick)
	wg.Wait()
	if rr.err != nil {
		return rr.lv, nil, rr.err
	}
	lv := rr.lv
	lv.Prefixes = len(rr.items)
	if recordRounds {
		recorded = rr.chunks()
	}
	return lv, p.keep(lv, rr.items), nil
}

// ticker wakes the coordinator now and then, for the progress line and
// the budget, until done is closed.
func (rr *roundRun) ticker(done chan struct{}) {
	every := rr.p.cfg.ProgressEvery
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	t := time.NewTicker(min(every, 50*time.Millisecond))
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			rr.mu.Lock()
			if time.Since(last) >= every {
				last = time.Now()
				rr.progress()
			}
			rr.cond.Broadcast()
			rr.mu.Unlock()
		}
	}
}

func (rr *roundRun) progress() {
	c := rr.p.col
	if c.cfg.Progress == nil {
		return
	}
	done := 0
	for _, it := range rr.items {
		if it.round.done {
			done++
		}
	}
	c.cfg.Progress(Progress{Executions: rr.p.executions(), Failures: len(c.failures),
		Elapsed: time.Since(c.start), Bound: Unbounded, Workers: rr.p.workers,
		Prefixes: len(rr.items), PrefixesDone: done})
}

// work runs ready chunks until the search ends.
func (rr *roundRun) work(w int) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for !rr.quit {
		it := rr.pick()
		if it == nil {
			rr.cond.Wait()
			continue
		}
		ri := &it.round
		ri.running = true
		runs := roundRuns
		if it == rr.root && ri.chunks == 0 {
			runs = probeRuns * rr.p.target // the root: a tree this small is not cut
		}
		rr.mu.Unlock()
		before := it.unit.Executions
		u := &unitRun{p: rr.p, level: rr.level, bound: Unbounded, runs: runs}
		u.failAt.Store(math.MaxInt64)
		u.explore(w, it)
		rr.mu.Lock()
		ri.running = false
		ri.execs = append(ri.execs, it.unit.Executions-before)
		ri.ends = append(ri.ends, len(it.log.list))
		ri.log = it.log.list
		if it.failed && ri.failRound < 0 {
			ri.failRound = ri.created + ri.chunks
		}
		if it.finished {
			ri.done, ri.lastRound = true, ri.created+ri.chunks
		} else if ri.chunks >= 1 {
			// Past its probe's round, whose close did not cut it deeper.
			rr.handOff(it, ri.created+ri.chunks)
		}
		ri.chunks++
		if it.err != nil && rr.err == nil {
			rr.err, rr.quit = it.err, true
		}
		if rr.p.stopped() {
			rr.quit = true
		}
		rr.cond.Broadcast()
	}
}

// pick returns the unit whose next chunk is ready, lowest round first,
// then in depth-first order, or nil.
func (rr *roundRun) pick() *item {
	var best *item
	bestRound, failRound := math.MaxInt, math.MaxInt
	for _, it := range rr.items {
		ri := &it.round
		next := ri.created + ri.chunks
		if !ri.done && !ri.running && next < failRound && (ri.chunks != 1 || rr.closed > ri.created) && next < bestRound {
			best, bestRound = it, next
		}
		if ri.failRound >= 0 {
			failRound = min(failRound, ri.failRound)
		}
	}
	return best
}

// pending reports whether a unit has yet to run its chunk of round v.
func (rr *roundRun) pending(v int) bool {
	failRound := math.MaxInt
	for _, it := range rr.items {
		ri := &it.round
		if ri.created <= v && v < failRound && !ri.done && ri.created+ri.chunks <= v {
			return true
		}
		if ri.failRound >= 0 {
			failRound = min(failRound, ri.failRound)
		}
	}
	return false
}

// coordinate closes the rounds in turn until no unit is open.
func (rr *roundRun) coordinate() {
	rr.mu.Lock()
	defer func() {
		rr.quit = true
		rr.cond.Broadcast()
		rr.mu.Unlock()
	}()
	for !rr.quit {
		if rr.pending(rr.closed) {
			rr.cond.Wait()
			continue
		}
		if err := rr.close(rr.closed); err != nil {
			rr.err = err
			return
		}
		rr.closed++
		if !rr.open(rr.closed) {
			return
		}
		rr.cond.Broadcast()
	}
}

// open reports whether some unit has a chunk to run, or has run one
// whose round, v or later, is not closed yet.
func (rr *roundRun) open(v int) bool {
	failRound := math.MaxInt
	for _, it := range rr.items {
		ri := &it.round
		if !ri.done && ri.created+ri.chunks < failRound || ri.done && ri.lastRound >= v && v < failRound {
			return true
		}
		if ri.failRound >= 0 {
			failRound = min(failRound, ri.failRound)
		}
	}
	return false
}

// close closes round v: it applies the round's requests in unit order,
// cuts the units probed in it deeper while fewer than the target are
// open, and makes the new branches' units, for round v+1.
func (rr *roundRun) close(v int) error {
	rr.registerHandOffs(v)
	failRound, open := math.MaxInt, 0
	var probed []*item
	for _, it := range rr.items {
		ri := &it.round
		if ri.created <= v && v < failRound {
			if c := v - ri.created; c < len(ri.ends) {
				from := 0
				if c > 0 {
					from = ri.ends[c-1]
				}
				for _, rq := range ri.log[from:ri.ends[c]] {
					if x := it.at[rq.at]; x != nil {
						x.apply(rq.inits)
					}
				}
			}
			if !ri.done || ri.lastRound > v {
				open++
				if ri.created == v && ri.chunks == 1 && !ri.done && !it.handed && it.depth() < maxRounds {
					probed = append(probed, it)
				}
			}
		}
		if ri.failRound >= 0 {
			failRound = min(failRound, ri.failRound)
		}
	}
	next := rr.items
	changed := false
	if open < rr.p.target && len(probed) > 0 {
		next = nil
		for _, it := range rr.items {
			if !slices.Contains(probed, it) {
				next = append(next, it)
				continue
			}
			x := &rtop{parent: it, x: len(it.pre.nodes)}
			kids, err := rr.enumerate(x, v+1)
			if err != nil {
				return err
			}
			rr.dropped = append(rr.dropped, it)
			rr.lv.Probed += it.unit.Executions
			rr.lv.Steps += it.unit.Steps
			rr.tops = append(rr.tops, x)
			next = append(next, kids...)
			changed = true
		}
	}
	for _, x := range rr.tops {
		for x.made < len(x.branches) {
			kids, err := rr.enumerate(x, v+1)
			if err != nil {
				return err
			}
			next = append(next, kids...)
			changed = true
		}
	}
	if changed {
		slices.SortStableFunc(next, func(a, b *item) int { return slices.Compare(a.order, b.order) })
		rr.items = next
	}
	return nil
}

// enumerate makes the units of x's next branch, first run in round v.
func (rr *roundRun) enumerate(x *rtop, v int) ([]*item, error) {
	kids, blocked, steps, err := x.next(rr.p.ctx, rr.sc, rr.p.m)
	if err != nil {
		return nil, err
	}
	for _, it := range kids {
		newRoundItem(it, v)
	}
	rr.lv.Blocked += blocked
	rr.lv.Steps += steps
	rr.p.used.Add(int64(blocked))
	return kids, nil
}

// recordRounds, for the tests, keeps what each unit ran in each round
// (recorded), from which they simulate the workers' makespan.
var (
	recordRounds bool
	recorded     [][]roundChunk
)

// roundChunk is what one unit ran in one round (recordRounds).
type roundChunk struct {
	item  *item
	execs int
}

// chunks lists each round's chunks of the units in the partition.
func (rr *roundRun) chunks() [][]roundChunk {
	var out [][]roundChunk
	for _, it := range append(slices.Clone(rr.dropped), rr.items...) {
		for c, n := range it.round.execs {
			v := it.round.created + c
			for len(out) <= v {
				out = append(out, nil)
			}
			out[v] = append(out[v], roundChunk{it, n})
		}
	}
	return out
}
