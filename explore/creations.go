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
// worker or partitioned, and reports whether it was exhaustive. A
// partition's odpor units fall back to source-DPOR on their own
// (unitRun.search); on one worker, an odpor search of a model whose
// creations race starts again as source-DPOR with a new collector. Either
// way the report says so (Report.SourceDPOR).
func runTree(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, *collector, error) {
	if cfg.Split != 0 || cfg.Shards > 0 {
		if cfg.Split == 0 {
			cfg.Split = AutoSplit
		}
		col.rep.Workers = workers
		exhaustive, err := runPartitioned(ctx, m, cfg, col, workers)
		return exhaustive, col, err
	}
	exhaustive, err := runDFS(ctx, m, cfg, col)
	if errors.Is(err, errCreationsRace) {
		cfg.sourceDPOR = true
		col = newCollector(m, cfg)
		col.rep.SourceDPOR = true
		exhaustive, err = runDFS(ctx, m, cfg, col)
	}
	col.rep.Workers = 1
	return exhaustive, col, err
}
