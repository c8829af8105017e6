package explore

import (
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
