package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// BenchmarkDFSExecution is the cost of one execution of the sequential
// source-DPOR search as `threadsim explore` runs it (data races on), on
// inc n=5 (14,400 executions, the shape of inc n=6's 518,400) and lastzero
// n=8: ns/exec and allocs/exec are one search's time and allocations over
// its executions. go test -run '^$' -bench DFSExecution ./scenarios
func BenchmarkDFSExecution(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"inc", 5}, {"lastzero", 8}} {
		prog, params, err := scenarios.BuildNamed(c.name, scenarios.Params{"n": c.n})
		if err != nil {
			b.Fatal(err)
		}
		m := explore.Model{Name: c.name, Params: params.String(), Program: prog}
		b.Run(fmt.Sprintf("%s/n=%d", c.name, c.n), func(b *testing.B) {
			cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoMinimize: true, Workers: 1}
			execs := 0
			b.ReportAllocs()
			for b.Loop() {
				rep, err := explore.Explore(context.Background(), m, cfg)
				if err != nil {
					b.Fatal(err)
				}
				execs += rep.Executions
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(execs), "ns/exec")
			b.ReportMetric(0, "ns/op")
		})
	}
}
