package scenarios_test

import (
	"context"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// BenchmarkClassicStrategies explores the classic benchmarks that one
// search finishes in well under a second (the quick set, with inc n = 4,
// lastzero n = 8, readers n = 10, indexer n = 13 and filesystem n = 16
// added) with source-DPOR (dfs) and optimal DPOR (odpor) side by side:
// one op is one whole search. Compare the two ns/op of a case measured in
// the same run; -bench 'ClassicStrategies/^filesystem$/^n=16$' narrows it
// to one case (the pattern is matched level by level).
func BenchmarkClassicStrategies(b *testing.B) {
	for _, c := range strategyCases() {
		prog, params, err := c.Program()
		if err != nil {
			b.Fatal(err)
		}
		m := explore.Model{Name: c.Scenario, Params: params.String(), Program: prog}
		for _, strategy := range []string{explore.DFS, explore.ODPOR} {
			b.Run(c.Scenario+"/"+c.Params.String()+"/"+strategy, func(b *testing.B) {
				cfg := explore.Config{Strategy: strategy, Preemptions: explore.Unbounded, KeepGoing: true,
					NoMinimize: true, NoRaces: true, Workers: 1}
				var execs int
				b.ReportAllocs()
				for b.Loop() {
					rep, err := explore.Explore(context.Background(), m, cfg)
					if err != nil {
						b.Fatal(err)
					}
					execs = rep.Executions
				}
				b.ReportMetric(float64(execs), "executions/op")
			})
		}
	}
}

// strategyCases is the quick set and the middle cases of the full one.
func strategyCases() []scenarios.BenchCase {
	var out []scenarios.BenchCase
	for _, c := range scenarios.BenchCases(false) {
		n := c.Params["n"]
		mid := (c.Scenario == "lastzero" && n == 8) || (c.Scenario == "readers" && n == 10) ||
			(c.Scenario == "filesystem" && n == 16) || (c.Scenario == "inc" && n == 4) || (c.Scenario == "indexer" && n == 13)
		if c.Quick || mid {
			out = append(out, c)
		}
	}
	return out
}
