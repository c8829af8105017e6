package scenarios_test

import (
	"context"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// TestUpdatePrintsCommute: the untimed updates on plain threads print at
// every thread's start and end and at both ends of main, and forget their
// log: exhaustive DFS runs exactly one execution per trace of the program
// without its prints ((n!)^2 lost, n! locked). Before prints commuted,
// lost-update-threads n=4 ran 449,592 executions and locked n=4 27,480.
func TestUpdatePrintsCommute(t *testing.T) {
	cases := []struct {
		name string
		n    int
	}{{"lost-update-threads", 3}, {"lost-update-threads", 4}, {"locked-update-threads", 4}, {"locked-update-threads", 5}}
	for _, c := range cases {
		prog, params, err := scenarios.BuildNamed(c.name, scenarios.Params{"n": c.n, "sleep": 0})
		if err != nil {
			t.Fatal(err)
		}
		want, ok := scenarios.OptimalCount(c.name, params)
		if !ok {
			t.Fatalf("%s %s: no trace count", c.name, params)
		}
		rep, err := explore.Explore(context.Background(), explore.Model{Name: c.name, Params: params.String(), Program: prog},
			explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true, NoMinimize: true, NoRaces: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Executions != want || rep.Complete != want {
			t.Errorf("%s %s: %d executions (%d complete), want %d", c.name, params, rep.Executions, rep.Complete, want)
		}
	}
}
