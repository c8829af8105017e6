package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// BenchmarkStatefulSPIN runs stateful search over the -threads scenarios
// that testdata/spin has Promela versions of, at sizes that take a second
// or less: a search as deep as its run (the pipeline) and searches that
// re-run the model for most states (the updates). One op is one whole
// search; states/s is states stored per second. The sizes SPIN was
// measured at are in threadsim bench --tables states.
func BenchmarkStatefulSPIN(b *testing.B) {
	for _, c := range []struct {
		scenario string
		params   scenarios.Params
	}{
		{"pipeline-lock-threads", scenarios.Params{"k": 10_000}},
		{"lost-update-threads", scenarios.Params{"n": 4}},
		{"locked-update-threads", scenarios.Params{"n": 5}},
	} {
		b.Run(fmt.Sprintf("%s/%s", c.scenario, c.params), func(b *testing.B) {
			prog, params, err := scenarios.BuildNamed(c.scenario, c.params)
			if err != nil {
				b.Fatal(err)
			}
			m := explore.Model{Name: c.scenario, Params: params.String(), Program: prog}
			cfg := explore.Config{Strategy: explore.Stateful, KeepGoing: true, NoMinimize: true, NoRaces: true,
				MaxSteps: 1 << 20, Workers: 1}
			var states int64
			for b.Loop() {
				rep, err := explore.Explore(context.Background(), m, cfg)
				if err != nil {
					b.Fatal(err)
				}
				states += int64(rep.States)
			}
			b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
		})
	}
}
