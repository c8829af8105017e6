package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/scenarios"
)

func TestBenchStateCasesBuild(t *testing.T) {
	// Every size of the full set is within its scenario's limits, and the
	// sizes SPIN was measured at (testdata/spin/results.txt) carry SPIN's
	// figures; issue 19's targets are measured beside them.
	var spin, beyond []string
	for _, c := range stateCases(false) {
		if _, _, err := scenarios.BuildNamed(c.scenario, c.params); err != nil {
			t.Errorf("%s %s: %v", c.scenario, c.params, err)
		}
		if c.spin != nil {
			spin = append(spin, c.scenario+" "+c.params.String())
		}
		if c.beyond {
			beyond = append(beyond, c.scenario+" "+c.params.String())
		}
	}
	if want := []string{"lost-update-threads n=8,sleep=0", "locked-update-threads n=12,sleep=0"}; !slices.Equal(beyond, want) {
		t.Errorf("cases beyond SPIN's %q, want %q", beyond, want)
	}
	want := []string{"lost-update-threads n=4,sleep=0", "lost-update-threads n=5,sleep=0", "lost-update-threads n=6,sleep=0",
		"locked-update-threads n=4,sleep=0", "locked-update-threads n=6,sleep=0", "locked-update-threads n=7,sleep=0",
		"pipeline-lock-threads k=100000", "pipeline-lock-threads k=1000000"}
	if !slices.Equal(spin, want) {
		t.Errorf("cases with SPIN figures %q, want %q", spin, want)
	}
	if len(stateCases(true)) == 0 {
		t.Error("the quick set has no stateful case")
	}
}

// TestBenchStatesQuick runs the quick stateful table (under the race
// detector, the smallest sizes), checks that each search ran to its end
// with the verdict expected, then searches again storing whole states: a
// fingerprint table must store exactly as many (a collision would store
// fewer).
func TestBenchStatesQuick(t *testing.T) {
	cases, rows := stateCases(true), []benchState(nil)
	f := benchFlags{quick: true, stateBudget: 5 * time.Minute}
	if raceEnabled {
		cases = []stateCase{{scenario: "lost-update-threads", params: scenarios.Params{"n": 3}},
			{scenario: "locked-update-threads", params: scenarios.Params{"n": 2}},
			{scenario: "pipeline-lock-threads", params: scenarios.Params{"k": 10}}}
		for _, c := range cases {
			rows = append(rows, measureState(context.Background(), c, f))
		}
	} else {
		rows = quickStateTable(t)
	}
	if len(rows) != len(cases) {
		t.Fatalf("%d stateful rows, want %d", len(rows), len(cases))
	}
	f.exactStates = true
	for i, s := range rows {
		checkStateRow(t, s, wantFailures(cases[i]))
		exact := measureState(context.Background(), cases[i], f)
		if !exact.Exact || exact.States != s.States || exact.StatesMet != s.StatesMet {
			t.Errorf("%s %s: exact states stored %d of %d met (exact %v), fingerprints %d of %d",
				s.Scenario, s.Params, exact.States, exact.StatesMet, exact.Exact, s.States, s.StatesMet)
		}
	}
}

// quickStateTable runs bench --quick --tables states and returns its rows.
func quickStateTable(t *testing.T) []benchState {
	t.Helper()
	var out, errb bytes.Buffer
	args := []string{"bench", "--quick", "--tables", "states", "--min-time", "1ns", "--state-budget", "5m", "--json"}
	if code := run(args, &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	var rep benchReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Search) != 0 || len(rep.Bugs) != 0 {
		t.Errorf("--tables states --quick measured %d searches and %d bugs", len(rep.Search), len(rep.Bugs))
	}
	// locked-update-threads n=4,sleep=0 is in the quick set and in SPIN's figures.
	if rep.SPIN == nil || !slices.ContainsFunc(rep.States, func(s benchState) bool { return s.SPIN != nil }) {
		t.Errorf("--tables states --quick: no SPIN figure (%v)", rep.SPIN)
	}
	return rep.States
}

// wantFailures are the failure kinds a search of the whole state space
// finds: an update is lost once there are two; the other cases pass.
func wantFailures(c stateCase) []string {
	if strings.HasPrefix(c.scenario, "lost-update") && c.params["n"] >= 2 {
		return []string{"assertion"}
	}
	return nil
}

// checkStateRow checks one row of a search that was not capped.
func checkStateRow(t *testing.T, s benchState, wantKinds []string) {
	t.Helper()
	want := "complete"
	if wantKinds != nil {
		want = "failed"
	}
	if s.Error != "" || s.Capped != "" || s.Verdict != want || !slices.Equal(s.Failures, wantKinds) {
		t.Errorf("%s %s: verdict %q, failures %q, capped %q, error %q; want %s %q to the end",
			s.Scenario, s.Params, s.Verdict, s.Failures, s.Capped, s.Error, want, wantKinds)
	}
	if wantKinds != nil && s.Failing < 2 {
		t.Errorf("%s %s: %d failing executions: the search stopped at the first failure", s.Scenario, s.Params, s.Failing)
	}
	if s.States < 1 || s.StatesMet < int64(s.States) || s.Executions < 1 || s.Seconds <= 0 || s.StatesPerSec <= 0 || s.Exact {
		t.Errorf("%s %s: counts %+v", s.Scenario, s.Params, s)
	}
}

func TestBenchStateTableText(t *testing.T) {
	// A saved report, printed again: SPIN's figures beside a capped and an
	// uncapped search, the ratio only for the one that ran to its end.
	rep := benchReport{
		Machine: benchMachine{CPU: spinFrom.CPU, CPUs: 2},
		Limits:  benchLimits{StateSeconds: 120, MinSeconds: 1},
		States: []benchState{
			{Scenario: "lost-update-threads", Params: "n=6,sleep=0", Verdict: "failed", Failures: []string{"assertion"}, Failing: 5, Capped: "time",
				States: 3_000_000, StatesMet: 7_000_000, Seconds: 120.5, StatesPerSec: 24_896, BytesPerState: 32,
				SPIN: spinFigures["lost-update-threads n=6,sleep=0"]},
			{Scenario: "locked-update-threads", Params: "n=7,sleep=0", Verdict: "complete", States: 20_000_000, StatesMet: 30_000_000,
				Seconds: 26, StatesPerSec: 769_231, BytesPerState: 32, SPIN: spinFigures["locked-update-threads n=7,sleep=0"], Ratio: 2},
		},
		SPIN: &spinFrom,
	}
	path := filepath.Join(t.TempDir(), "bench.json")
	var doc bytes.Buffer
	if err := writeJSON(&doc, &rep); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, doc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "--from", path, "--markdown"}, &out, &errb); code != exitOK {
		t.Fatalf("bench --from: exit %d, stderr:\n%s", code, errb.String())
	}
	text := out.String()
	rows := markdownRows(text)
	// SPIN's cells are its saved figures, formatted as the table does.
	lost, locked := spinFigures["lost-update-threads n=6,sleep=0"], spinFigures["locked-update-threads n=7,sleep=0"]
	for _, want := range [][]string{
		{"lost-update-threads", "n=6,sleep=0", "bounded at 2m0s (found assertion)", "3,000,000", "7,000,000", "120.500", "-", "24,896",
			"32", "0.0 MiB", commas(lost.States), fmt.Sprintf("%.2f", lost.Seconds), "-", fmt.Sprintf("%.2f", lost.CPU), "-"},
		{"locked-update-threads", "n=7,sleep=0", "complete", "20,000,000", "30,000,000", "26.000", "-", "769,231",
			"32", "0.0 MiB", commas(locked.States), fmt.Sprintf("%.2f", locked.Seconds), "2.00", fmt.Sprintf("%.2f", locked.CPU), "-"},
	} {
		if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("no row %q in:\n%s", want, text)
		}
	}
	for _, want := range []string{
		"SPIN: SPIN 6.5.2 with partial-order reduction (Debian's spin",
		"(AMD EPYC), the CPU model of this run",
		"KeepGoing, NoMinimize, NoRaces",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Exhaustive search") || strings.Contains(text, "Bug finding") {
		t.Errorf("empty tables printed:\n%s", text)
	}
}

func TestBenchTablesFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "--tables", "search,nope"}, &out, &errb); code != exitUsage {
		t.Errorf("bench --tables search,nope: exit %d, want %d", code, exitUsage)
	}
	if code := run([]string{"bench", "--max-states", "-1"}, &out, &errb); code != exitUsage {
		t.Errorf("bench --max-states -1: exit %d, want %d", code, exitUsage)
	}
}

// markdownRows returns the trimmed cells of each Markdown table row.
func markdownRows(text string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	return rows
}
