package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// raisingModel is a model, not a built-in scenario, whose worker dies of
// an exception while another thread keeps working.
func raisingModel() model {
	return model{scenario: scenarios.Scenario{Name: "raising", Build: func(scenarios.Params) sched.Program {
		return func(main *sched.Thread) {
			bad := main.Go("", func(t *sched.Thread) { t.Raise("ValueError", "bad input") })
			good := main.Go("", func(t *sched.Thread) { t.Log("still working") })
			main.Join(bad)
			main.Join(good)
			main.Outcome("both joined")
		}
	}}}
}

// The report of an uncaught exception names its kind, shows the except
// hook's lines in the trace and says that the execution went on; the JSON
// of one execution marks the failure ran_on.
func TestUncaughtExceptionReport(t *testing.T) {
	m := raisingModel()
	rep, err := explore.Explore(context.Background(), m.exploreModel(), explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeExploreText(&b, m, rep, false, false); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"failed: uncaught-exception", "FAILURE 1 of 1: uncaught-exception",
		"uncaught-exception in Thread-1 at step 1: ValueError: bad input", "Exception in thread Thread-1: ValueError: bad input",
		`the exception ended Thread-1 only: the execution went on to the program's end (outcome "both joined")`} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	res, err := explore.Replay(m.exploreModel(), rep.Failures[0].Schedule, sched.Options{Detail: true})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := writeJSON(&b, execution{model: m, strategy: "replay", result: res}.report(false)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures []struct {
			Kind  string `json:"kind"`
			RanOn bool   `json:"ran_on"`
		} `json:"failures"`
		Outcomes map[string]int `json:"outcomes"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Failures) != 1 || doc.Failures[0].Kind != "uncaught-exception" || !doc.Failures[0].RanOn || doc.Outcomes["both joined"] != 1 {
		t.Fatalf("JSON %s", b.String())
	}
}
