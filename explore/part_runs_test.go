package explore

import (
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/threadsim/threadsim/sched"

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

// TestPCTShardsMergeToTheSingleReport: PCT split into 1 to 4 shards,
// explored apart and merged, gives the report of the whole search (k
// included), with budgets on both sides of the learning runs, with or
// without KeepGoing, on 1 to 3 workers.
func TestPCTShardsMergeToTheSingleReport(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		cfg := Config{Strategy: PCT, NoMinimize: true, Runs: rapid.IntRange(1, 2*pctLearnRuns+100).Draw(rt, "runs"),
			Seed: rapid.Uint64Range(1, 1<<40).Draw(rt, "seed"), KeepGoing: rapid.Bool().Draw(rt, "keepGoing"),
			Depth: rapid.IntRange(0, 4).Draw(rt, "depth"), Workers: rapid.IntRange(1, 3).Draw(rt, "workers")}
		whole := explore(t, m, cfg)
		merged := mergeShards(t, m, cfg, rapid.IntRange(1, 4).Draw(rt, "shards"))
		if d := sameReport(whole, merged); d != "" {
			rt.Fatalf("one search and merged shards differ (-one +merged):\n%s", d)
		}
	})
}

// TestPCTShardMakesItsShare: a PCT shard makes the learning runs and its
// share of the rest, and reports only the runs it owns. Shard 1 of 4 of
// 1,000 runs makes the 256 learning runs and the 186 runs 257, 261, ...,
// 997, and owns 64 + 186 of them; the failing runs it reports are its own.
func TestPCTShardMakesItsShare(t *testing.T) {
	var made atomic.Int64
	m := lostUpdate(2, false)
	program := m.Program
	m.Program = func(main *sched.Thread) { made.Add(1); program(main) }
	cfg := Config{Strategy: PCT, Runs: 1000, Seed: 1, KeepGoing: true, NoMinimize: true, NoRaces: true, Shard: 1, Shards: 4}
	rep, err := Explore(t.Context(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := made.Load(); got != 256+186 {
		t.Errorf("shard 1 of 4 made %d runs, want 442", got)
	}
	if rep.Executions != 250 || len(rep.Part.Runs.Outcome) != 250 {
		t.Errorf("shard 1 of 4 reports %d runs, its part %d, want 250", rep.Executions, len(rep.Part.Runs.Outcome))
	}
	cfg.NoRaces = false
	if rep, err = Explore(t.Context(), lostUpdate(2, true), cfg); err != nil {
		t.Fatal(err)
	}
	runs := rep.Part.Runs.Failing[sched.Assertion.String()]
	if len(runs) == 0 || slices.ContainsFunc(runs, func(r int) bool { return r%4 != 1 }) {
		t.Errorf("shard 1 of 4 reports failing runs %v, want some, all 1 modulo 4", runs)
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
