package explore

import (
	"context"
	"errors"
)

// errCreationsRace stops an optimal DPOR search whose model creates
// threads or objects from two threads at once
// (sched.Scheduler.CreationsRace): its ids then depend on the
// interleaving, and a wakeup sequence, which names the threads and
// objects of steps to come, may lead to another thread than the one it
// was built from, so traces could be lost. Source-DPOR backtracks one
// thread at a node whose ids its prefix fixes, and keeps every trace.
var errCreationsRace = errors.New("threads create threads or objects concurrently")

// runTree runs an exhaustive tree search (dfs, odpor, naive), on one
// worker or partitioned, and reports whether it was exhaustive. An odpor
// search of a model whose creations race starts again as source-DPOR,
// with a new collector, and its report says so (Report.SourceDPOR).
func runTree(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, *collector, error) {
	for {
		exhaustive, err := runTreeOnce(ctx, m, cfg, col, workers)
		if !errors.Is(err, errCreationsRace) {
			col.rep.SourceDPOR = col.rep.SourceDPOR || cfg.sourceDPOR
			return exhaustive, col, err
		}
		cfg.sourceDPOR = true
		col = newCollector(m, cfg)
	}
}

func runTreeOnce(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, error) {
	if cfg.Split != 0 || cfg.Shards > 0 {
		if cfg.Split == 0 {
			cfg.Split = AutoSplit
		}
		col.rep.Workers = workers
		return runPartitioned(ctx, m, cfg, col, workers)
	}
	col.rep.Workers = 1
	return runDFS(ctx, m, cfg, col)
}
