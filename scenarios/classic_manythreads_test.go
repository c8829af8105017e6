package scenarios_test

import (
	"context"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// manyThreadCases are the cases the tests hunt: all of them, or under the
// race detector, whose coroutine switches are twentyfold slower, the
// first only.
func manyThreadCases(t *testing.T) []scenarios.BenchCase {
	cs := scenarios.ManyThreadCases()
	if raceEnabled {
		t.Log("race detector: N = 10 of reorder only (run without -race, as .ci/run does, for all)")
		return cs[:1]
	}
	return cs
}

// testMinimizeRuns caps the tests' minimisations at a tenth of the
// default: the preemption-bounded proof cannot finish and would spend all
// of it. threadsim bench reports the minimal counts with the default caps.
const testMinimizeRuns = explore.DefaultMinimizeRuns / 10

func manyThreadModel(t *testing.T, c scenarios.BenchCase) explore.Model {
	t.Helper()
	prog, params, err := c.Program()
	if err != nil {
		t.Fatal(err)
	}
	return explore.Model{Name: c.Scenario, Params: params.String(), Program: prog}
}

// TestManyThreadBugsByDelayBounding: iterative delay bounding finds each
// many-thread bug at delay bound 1, within 10,000 executions at N = 10 and
// N = 20, and reports a schedule with one preemption. The executions are
// the README's (threadsim bench --tables threads).
func TestManyThreadBugsByDelayBounding(t *testing.T) {
	executions := map[string]int{"reorder/n=10": 7, "reorder/n=20": 7, "twostage/n=10": 70, "twostage/n=20": 140,
		"wronglock/n=10": 11, "wronglock/n=20": 11}
	for _, c := range manyThreadCases(t) {
		t.Run(c.Scenario+"/"+c.Params.String(), func(t *testing.T) {
			rep, err := explore.Explore(context.Background(), manyThreadModel(t, c),
				explore.Config{Strategy: explore.Delay, Delays: explore.Unbounded, Iterative: true, Runs: 10_000,
					MinimizeRuns: testMinimizeRuns})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Verdict != explore.Failed || rep.Bound != 1 {
				t.Fatalf("%s at delay bound %d after %d executions, want failed at bound 1", rep.Verdict, rep.Bound, rep.Executions)
			}
			f := rep.Failures[0]
			t.Logf("found in %d executions; reported %d preemptions, %d steps", rep.Executions, f.Preemptions, f.Steps)
			if want := executions[c.Scenario+"/"+c.Params.String()]; rep.Executions != want {
				t.Errorf("found in %d executions, want %d", rep.Executions, want)
			}
			if f.Preemptions != 1 {
				t.Errorf("reported %d preemptions, want 1", f.Preemptions)
			}
		})
	}
}

// TestManyThreadBugsByPCT: PCT finds each many-thread bug with schedules
// of several preemptions, and the minimiser brings each to one. The
// minimiser's preemption-bounded proof cannot finish (its bound 0 holds
// every order of the threads), so the report says it is not proved. With
// the minimiser of before delay bounding (preemption bounding alone) the
// caps ran out inside bound 0 and PCT's schedule was returned unchanged.
func TestManyThreadBugsByPCT(t *testing.T) {
	several := 0
	for _, c := range manyThreadCases(t) {
		t.Run(c.Scenario+"/"+c.Params.String(), func(t *testing.T) {
			rep, err := explore.Explore(context.Background(), manyThreadModel(t, c),
				explore.Config{Strategy: explore.PCT, Seed: 1, Runs: 1000, Workers: 1, MinimizeRuns: testMinimizeRuns})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Verdict != explore.Failed {
				t.Fatalf("PCT: %s after %d executions", rep.Verdict, rep.Executions)
			}
			f := rep.Failures[0]
			t.Logf("found in %d executions with %d preemptions; minimised to %d preemptions, %d steps (unproved %v)",
				rep.Executions, f.FirstPreemptions, f.Preemptions, f.Steps, f.Unproved)
			if f.FirstPreemptions > 1 {
				several++
			}
			if f.Preemptions != 1 || !f.Unproved {
				t.Errorf("minimised to %d preemptions (unproved %v), want 1, not proved", f.Preemptions, f.Unproved)
			}
		})
	}
	if several == 0 {
		t.Error("no PCT schedule had more than one preemption: the minimiser was not tested")
	}
}
