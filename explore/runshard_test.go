package explore

import (
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

// TestShardsRefusePCT: PCT and delay bounding are not split, with an
// error that says why.
func TestShardsRefusePCT(t *testing.T) {
	m := lostUpdate(2, false)
	for _, s := range []string{PCT, Delay} {
		cfg := Config{Strategy: s, Runs: 10, Seed: 1, Shards: 2}
		if _, err := Explore(t.Context(), m, cfg); err == nil {
			t.Errorf("%s: no error for a shard", s)
		}
	}
}
