package scenarios_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// livenessScenarios returns the scenarios whose verdict is about cycles.
func livenessScenarios() []scenarios.Scenario {
	var out []scenarios.Scenario
	for _, s := range scenarios.All() {
		if s.Group == "liveness" {
			out = append(out, s)
		}
	}
	return out
}

// TestLivenessRegistered pins the liveness scenarios: each needs stateful
// exploration, and its Doc says its property and its verdict.
func TestLivenessRegistered(t *testing.T) {
	var names []string
	for _, s := range livenessScenarios() {
		names = append(names, s.Name)
		if !s.Expect.Stateful {
			t.Errorf("%s: Expect.Stateful is not set", s.Name)
		}
		for _, word := range []string{"Property", "tateful exploration", "step limit"} {
			if !strings.Contains(s.Doc, word) {
				t.Errorf("%s: the Doc does not say %q", s.Name, word)
			}
		}
	}
	if want := []string{"polite-backoff", "polite-backoff-fixed"}; !slices.Equal(names, want) {
		t.Errorf("liveness scenarios %v, want %v", names, want)
	}
}

// TestLivenessStateless checks what stateless search makes of the
// liveness scenarios: some executions end with both threads through the
// critical section, the others stop at the step limit, which leaves the
// search undecided, and nothing fails (mutual exclusion holds, no data
// race). It cannot tell the
// livelock from the fixed version: that is stateful exploration's job.
func TestLivenessStateless(t *testing.T) {
	for _, s := range livenessScenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			m := articleModel(t, s)
			rep, err := explore.Explore(context.Background(), m, explore.Config{Strategy: explore.DFS,
				Preemptions: explore.Unbounded, Runs: 2000, MaxSteps: 300, KeepGoing: true, NoMinimize: true})
			if err != nil {
				t.Fatal(err)
			}
			if kinds := kindsOf(rep); len(kinds) != 0 || rep.Verdict != explore.Undecided ||
				rep.Undecided == nil || rep.Undecided.Kind != sched.StepLimit {
				t.Errorf("verdict %s, failures %v; want undecided (the step limit), no failure", rep.Verdict, kinds)
			}
			if !slices.ContainsFunc(rep.Outcomes, func(o explore.OutcomeCount) bool { return o.Outcome == "both entered" }) {
				t.Errorf("no execution ended: outcomes %v", rep.Outcomes)
			}
		})
	}
}
