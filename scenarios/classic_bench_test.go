package scenarios_test

import (
	"context"
	"iter"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// BenchmarkClassicDPOR explores each quick benchmark exhaustively with
// DPOR; one op is one whole search. Compare ns/step with
// BenchmarkClassicReference, measured in the same run.
func BenchmarkClassicDPOR(b *testing.B) {
	for _, c := range scenarios.BenchCases(true) {
		b.Run(c.Scenario+"/"+c.Params.String(), func(b *testing.B) {
			prog, params, err := c.Program()
			if err != nil {
				b.Fatal(err)
			}
			m := explore.Model{Name: c.Scenario, Params: params.String(), Program: prog}
			cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true, NoMinimize: true, Workers: 1}
			var execs int
			var steps int64
			b.ReportAllocs()
			for b.Loop() {
				rep, err := explore.Explore(context.Background(), m, cfg)
				if err != nil {
					b.Fatal(err)
				}
				execs, steps = rep.Executions, steps+rep.Steps
			}
			b.ReportMetric(float64(execs), "executions/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
		})
	}
}

// BenchmarkClassicReference is a bare iter.Pull coroutine round trip: a
// step costs at least one.
func BenchmarkClassicReference(b *testing.B) {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	})
	defer stop()
	for b.Loop() {
		next()
	}
}
