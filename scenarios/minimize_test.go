package scenarios_test

import (
	"context"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// TestStatefulFailureIsMinimisedShort: the README's stateful search of the
// Queue pipeline with a network that never goes silent finds its lost
// message along a path with 10 preemptions; minimisation must bring the
// preemptions down without making the trace longer (it printed a
// 0-preemption trace of 19,936 steps).
func TestStatefulFailureIsMinimisedShort(t *testing.T) {
	if raceEnabled {
		t.Skip("a stateful search of 4,634 states and its minimisation: slow under the race detector")
	}
	prog, params, err := scenarios.BuildNamed("pipeline-queue", map[string]int{"m": 0, "size": 1, "cycle": 1})
	if err != nil {
		t.Fatal(err)
	}
	m := explore.Model{Name: "pipeline-queue", Params: params.String(), Program: prog}
	explored := func(noMinimize bool) explore.FailureReport {
		rep, err := explore.Explore(context.Background(), m, explore.Config{Strategy: explore.Stateful, NoMinimize: noMinimize})
		if err != nil || len(rep.Failures) == 0 {
			t.Fatalf("no failure: %v", err)
		}
		return rep.Failures[0]
	}
	found, minimised := explored(true), explored(false)
	t.Logf("found: %d steps, %d preemptions; minimised: %d steps, %d preemptions",
		found.Steps, found.Preemptions, minimised.Steps, minimised.Preemptions)
	if minimised.Steps > found.Steps || minimised.Preemptions > found.Preemptions {
		t.Errorf("minimised to %d steps and %d preemptions from %d steps and %d preemptions",
			minimised.Steps, minimised.Preemptions, found.Steps, found.Preemptions)
	}
}
