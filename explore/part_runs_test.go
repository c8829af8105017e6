package explore

import (
	"runtime"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestRandomShardsMergeToTheSingleReport: a random walk split into 1 to 4
// shards, explored apart and merged, gives the report of the whole
// search, failures and their runs included, with or without KeepGoing.
func TestRandomShardsMergeToTheSingleReport(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		cfg := Config{Strategy: Random, NoMinimize: true, Runs: rapid.IntRange(1, 60).Draw(rt, "runs"),
			Seed: rapid.Uint64Range(1, 1<<40).Draw(rt, "seed"), KeepGoing: rapid.Bool().Draw(rt, "keepGoing"),
			Workers: rapid.IntRange(1, 3).Draw(rt, "workers")}
		whole := explore(t, m, cfg)
		merged := mergeShards(t, m, cfg, rapid.IntRange(1, 4).Draw(rt, "shards"))
		if d := sameReport(whole, merged); d != "" {
			rt.Fatalf("one search and merged shards differ (-one +merged):\n%s", d)
		}
	})
}

// TestShardsRefusePCT: PCT is not split, with an error that says why.
func TestShardsRefusePCT(t *testing.T) {
	cfg := Config{Strategy: PCT, Runs: 10, Seed: 1, Shards: 2}
	if _, err := Explore(t.Context(), lostUpdate(2, false), cfg); err == nil || !strings.Contains(err.Error(), "estimate of k") {
		t.Errorf("PCT shard: error %v, want one saying why", err)
	}
}

// TestDelayShardsMergeToTheSingleReport: delay-bounded search, bounded,
// iterative or not, split into 1 to 4 shards explored apart and merged,
// gives the report of the whole search.
func TestDelayShardsMergeToTheSingleReport(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		cfg := Config{Strategy: Delay, NoMinimize: true, Delays: rapid.IntRange(-1, 2).Draw(rt, "delays"),
			Iterative: rapid.Bool().Draw(rt, "iterative"), KeepGoing: rapid.Bool().Draw(rt, "keepGoing"), Runs: 400}
		whole := explore(t, m, cfg)
		if whole.Executions >= cfg.Runs {
			rt.Skip("too many schedules")
		}
		merged := mergeShards(t, m, cfg, rapid.IntRange(1, 4).Draw(rt, "shards"))
		if d := sameReport(whole, merged); d != "" {
			rt.Fatalf("one search and merged shards differ (-one +merged):\n%s", d)
		}
	})
}

// TestDelayWorkersMatchSequential: delay-bounded search partitioned
// (Split) on 1 to 3 workers, at any GOMAXPROCS, gives the report of the
// search on one worker.
func TestDelayWorkersMatchSequential(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		cfg := Config{Strategy: Delay, NoMinimize: true, Delays: rapid.IntRange(-1, 2).Draw(rt, "delays"),
			Iterative: rapid.Bool().Draw(rt, "iterative"), KeepGoing: rapid.Bool().Draw(rt, "keepGoing"), Runs: 400}
		if explore(t, m, cfg).Executions >= cfg.Runs {
			rt.Skip("too many schedules")
		}
		cfg.Runs = 0 // a run budget keeps the search on one worker
		whole := explore(t, m, cfg)
		cfg.Split, cfg.Workers = AutoSplit, rapid.IntRange(1, 3).Draw(rt, "workers")
		procs := runtime.GOMAXPROCS(rapid.IntRange(1, 4).Draw(rt, "procs"))
		defer runtime.GOMAXPROCS(procs)
		if d := sameReport(whole, explore(t, m, cfg)); d != "" {
			rt.Fatalf("one worker and %d partitioned differ (-one +partitioned):\n%s", cfg.Workers, d)
		}
	})
}
