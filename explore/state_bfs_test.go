package explore

import (
	"runtime"
	"testing"

	"pgregory.net/rapid"
)

// TestBFSWorkersMatchOne: breadth-first search on 2 to 4 workers, at any
// GOMAXPROCS, gives one worker's report (states, executions, outcomes,
// failures and their tokens), with or without KeepGoing, races, exact
// states, and cut by a budget of runs or of states.
func TestBFSWorkersMatchOne(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		cfg := Config{Strategy: BFS, NoMinimize: true, Workers: 1, KeepGoing: rapid.Bool().Draw(rt, "keepGoing"),
			NoRaces: rapid.Bool().Draw(rt, "noRaces"), ExactStates: rapid.Bool().Draw(rt, "exact"),
			Runs: rapid.SampledFrom([]int{0, 5, 40}).Draw(rt, "runs"), MaxStates: rapid.SampledFrom([]int{0, 3, 30}).Draw(rt, "maxStates")}
		one := explore(t, m, cfg)
		cfg.Workers = rapid.IntRange(2, 4).Draw(rt, "workers")
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(rapid.IntRange(1, 4).Draw(rt, "procs")))
		many := explore(t, m, cfg)
		if many.Workers != cfg.Workers {
			rt.Fatalf("report says %d workers, want %d", many.Workers, cfg.Workers)
		}
		if d := sameReport(one, many); d != "" {
			rt.Fatalf("1 and %d workers differ (-one +many):\n%s", cfg.Workers, d)
		}
	})
}
