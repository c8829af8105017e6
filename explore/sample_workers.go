package explore

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// sampler runs the executions 0, 1, 2, ... of random walk or PCT on W
// workers and hands them to the collector in run order. Run i depends only
// on (seed, i) and, for PCT, on k, which is re-estimated at epoch
// boundaries 1, 2, 4, ..., pctLearnRuns from all earlier runs and then
// kept: so the report does not depend on the number of workers. Without
// KeepGoing the report ends at the first failing run in index order;
// later runs some worker already made are discarded. A shard
// (Config.Shards) makes the runs of its share as positions 0, 1, 2, ...
// of its own, and reports the runs it owns (runShare, part_runs.go).
type sampler struct {
	m        Model
	cfg      Config
	col      *collector
	limit    int
	deadline time.Time
	depth    int
	k        int // PCT's estimate of k in the current epoch
	kSeen    int // the most choice points of a run handed over so far
	next     int // runs handed to the collector
	stop     atomic.Bool
	// failAt is the lowest index of a failing run any worker finished
	// (without KeepGoing, no later run can be in the report).
	failAt atomic.Int64
	scheds []*sched.Scheduler
	part   *RunsPart // a shard's runs, or nil
	share  runShare  // the runs made, by position
}

type sampled struct {
	i int
	e execution
}

func runSampled(ctx context.Context, m Model, cfg Config, col *collector, workers int) {
	s := &sampler{m: m, cfg: cfg, col: col, limit: cfg.Runs, depth: cfg.pctDepth()}
	s.failAt.Store(math.MaxInt64)
	if s.limit <= 0 {
		s.limit = math.MaxInt
		if cfg.Time == 0 {
			s.limit = 1000
		}
	}
	if cfg.Time > 0 {
		s.deadline = time.Now().Add(cfg.Time)
	}
	if cfg.Shards > 0 {
		s.part = &RunsPart{Limit: s.limit, Outcomes: []string{}, Outcome: []int{}, Steps: []int{}}
		s.share = runShare{shard: cfg.Shard, shards: cfg.Shards}
		if cfg.strategy() == PCT {
			s.share.learn = pctLearnRuns
		}
		s.limit = s.share.positions(s.limit)
	}
	for range workers {
		s.scheds = append(s.scheds, sched.New(cfg.options()))
	}
	defer func() {
		for _, sc := range s.scheds {
			sc.Close()
		}
	}()
	for lo := 0; lo < s.limit && !s.stopped(ctx); {
		hi := s.epochEnd(lo)
		s.epoch(ctx, lo, hi)
		lo = hi
	}
	col.rep.Budget = s.next < s.limit && !col.failed()
	col.rep.Seed, col.rep.Workers = cfg.Seed, workers
	if s.part != nil {
		col.rep.Part = &Part{Shard: cfg.Shard, Shards: cfg.Shards, Levels: []PartLevel{}, Units: []Unit{}, Runs: s.part}
	}
	if cfg.strategy() == PCT {
		col.rep.Depth, col.rep.K = s.depth, s.k
	}
}

func (s *sampler) stopped(ctx context.Context) bool {
	return s.stop.Load() || ctx.Err() != nil || (!s.deadline.IsZero() && time.Now().After(s.deadline))
}

// epochEnd is the end of the epoch that starts at position lo: PCT's
// epochs are [0, 1), [1, 2), [2, 4), ... up to pctLearnRuns (a power of
// two, and positions are runs there), then the rest; a random walk's
// runs are one epoch.
func (s *sampler) epochEnd(lo int) int {
	if s.cfg.strategy() == PCT && lo < pctLearnRuns {
		return min(max(2*lo, 1), s.limit)
	}
	return s.limit
}

// epoch runs the positions [lo, hi) with the current k.
func (s *sampler) epoch(ctx context.Context, lo, hi int) {
	s.k = s.kSeen
	if s.part != nil && s.cfg.strategy() == PCT {
		s.part.EpochK = append(s.part.EpochK, s.k)
	}
	var idx atomic.Int64
	idx.Store(int64(lo))
	out := make(chan sampled, 4*len(s.scheds))
	var wg sync.WaitGroup
	for w := range s.scheds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, w, &idx, hi, out)
		}()
	}
	go func() { wg.Wait(); close(out) }()
	pending := map[int]execution{}
	for r := range out {
		pending[r.i] = r.e
		for e, ok := pending[s.next]; ok; e, ok = pending[s.next] {
			delete(pending, s.next)
			if !s.stop.Load() {
				s.hand(s.share.run(s.next), e)
			}
			s.next++
		}
	}
}

// hand gives run i, execution e, to the report when the process owns
// it; any failing run ends the search without KeepGoing, in every shard.
func (s *sampler) hand(i int, e execution) {
	s.kSeen = max(s.kSeen, e.choices)
	if !s.share.owns(i) {
		if len(e.kinds) > 0 && !s.cfg.KeepGoing {
			s.stop.Store(true)
		}
		return
	}
	if s.part != nil {
		s.part.record(s.m, s.col.rep.Strategy, i, e)
	}
	if s.col.add(i, e, true) {
		s.stop.Store(true)
	}
}

func (s *sampler) work(ctx context.Context, w int, idx *atomic.Int64, hi int, out chan<- sampled) {
	sc := s.scheds[w]
	var rw walker
	var pc pctChooser
	k := s.k
	for !s.stopped(ctx) {
		i := int(idx.Add(1) - 1)
		if i >= hi || int64(i) > s.failAt.Load() {
			return
		}
		var e execution
		run := s.share.run(i)
		if s.cfg.strategy() == PCT {
			pc.reset(s.cfg.Seed, run, s.depth, k)
			e = summarize(sc.Run(s.m.Program, &pc))
			e.choices, e.strategy = pc.step, pctStrategy(s.depth, k)
		} else {
			rw.reset(s.cfg.Seed, run)
			e = summarize(sc.Run(s.m.Program, &rw))
		}
		if len(e.kinds) > 0 {
			s.found(i, e)
		}
		out <- sampled{i, e}
	}
}

// found hands the failing run at position i to the collector's OnFailure
// at once when the process owns it, before this worker runs another, and
// stops every worker from starting runs after it unless KeepGoing.
func (s *sampler) found(i int, e execution) {
	if run := s.share.run(i); s.share.owns(run) {
		s.col.announce(run, e)
	}
	if s.cfg.KeepGoing {
		return
	}
	for {
		at := s.failAt.Load()
		if int64(i) >= at || s.failAt.CompareAndSwap(at, int64(i)) {
			return
		}
	}
}
