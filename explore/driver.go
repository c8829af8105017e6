package explore

import (
	"context"
	"fmt"
	"runtime"
)

// Explore runs the configured strategy on m and reports what it found.
// The report does not depend on cfg.Workers: random and PCT hand their
// executions to the report in run order and stop at the first failing run
// in that order; DFS runs on one worker, or partitioned on Workers
// (Config.Split) with units merged in order. Failures are then minimised
// (fewest preemptions, then fewest steps) unless cfg.NoMinimize.
func Explore(ctx context.Context, m Model, cfg Config) (*Report, error) {
	if m.Program == nil {
		return nil, fmt.Errorf("model %q has no program", m.Name)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	cfg.interrupt = ctx.Done()
	col := newCollector(m, cfg)
	exhaustive := false
	switch cfg.strategy() {
	case Random, PCT:
		runSampled(ctx, m, cfg, col, workers)
	case DFS, ODPOR, Naive:
		var err error
		if exhaustive, col, err = runTree(ctx, m, cfg, col, workers); err != nil {
			return nil, err
		}
	case Delay:
		var err error
		if cfg.Shards > 0 {
			err = runDelayShard(ctx, m, cfg, col)
			if err == nil {
				part := *col.rep.Part
				exhaustive, err = col.mergeDelayLevels(cfg, func(l, _ int) (PartLevel, []Unit, error) {
					return partsLevel([]Part{part}, l)
				})
			}
		} else if cfg.Split != 0 && cfg.Runs == 0 {
			exhaustive, err = runDelayPartitioned(ctx, m, cfg, col, workers)
		} else {
			exhaustive, err = runDelay(ctx, m, cfg, col)
		}
		if err != nil {
			return nil, err
		}
		col.rep.Workers = 1
		if cfg.Split != 0 && cfg.Runs == 0 && cfg.Shards == 0 {
			col.rep.Workers = workers
		}
	case Stateful, BFS:
		var err error
		if exhaustive, col, err = runStates(ctx, m, cfg, col, workers); err != nil {
			return nil, err
		}
		col.rep.Workers = 1
		if cfg.strategy() == BFS {
			col.rep.Workers = workers
		}
	default:
		return nil, fmt.Errorf("unknown strategy %q (want dfs, odpor, naive, random, pct, stateful, bfs or delay)", cfg.Strategy)
	}
	rep := col.finish(exhaustive)
	// BFS's schedules are already shortest.
	finishFailures(ctx, m, cfg, col, rep, !cfg.NoMinimize && cfg.strategy() != BFS)
	return rep, nil
}
