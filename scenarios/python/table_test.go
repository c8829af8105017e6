package python

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// twin pairs a program of testdata/python with its Go twin in scenarios/.
type twin struct {
	file, check string
	scenario    string
	params      map[string]string
	// pct explores both with PCT instead of DFS: the program's executions
	// do not all end (the Queue pipeline's producer loops until time
	// passes), so DFS would not end either.
	pct bool
}

var twins = []twin{
	{file: "racecond.py", check: "ending_value_is_updates", scenario: "lost-update"},
	{file: "fixrace.py", check: "ending_value_is_updates", scenario: "locked-update"},
	{file: "prodcom_lock.py", check: "every_message_stored", scenario: "pipeline-lock", params: map[string]string{"k": "2"}},
	{file: "prodcom_lock_bug.py", check: "every_message_stored", scenario: "pipeline-lock-bug", params: map[string]string{"k": "2"}},
	{file: "prodcom_queue.py", scenario: "pipeline-queue", pct: true},
	{file: "daemon_thread.py", check: "finishing_not_after_all_done", scenario: "daemon"},
	{file: "join_thread.py", check: "finishing_before_all_done", scenario: "join"},
	{file: "multiple_threads.py", scenario: "multiple-threads"},
	{file: "executor.py", scenario: "executor", params: map[string]string{"n": "3"}},
	{file: "semaphore_pool.py", scenario: "semaphore-pool"},
	{file: "semaphore_pool_bug.py", scenario: "semaphore-pool-bug"},
	{file: "semaphore_pool_bounded_bug.py", scenario: "semaphore-pool-bounded-bug"},
	{file: "timer_prompt.py", check: "prompt_not_after_key", scenario: "timer-prompt"},
	{file: "timer_prompt_race.py", check: "prompt_not_after_key", scenario: "timer-prompt-race"},
	{file: "barrier_init.py", scenario: "barrier-init"},
	{file: "barrier_init_bug.py", scenario: "barrier-init-bug"},
}

func (w twin) config() explore.Config {
	if w.pct {
		return explore.Config{Strategy: explore.PCT, Seed: 7, Runs: 40, MaxSteps: 300, KeepGoing: true, NoMinimize: true, Workers: 1}
	}
	return explore.Config{Preemptions: explore.Unbounded, NoMinimize: true, Workers: 1, Runs: tableRuns}
}

// verdict is a report's verdict with the failure kinds found.
func verdict(rep *explore.Report) string {
	if rep.Verdict != explore.Failed {
		return rep.Verdict
	}
	var kinds []string
	for _, f := range rep.Failures {
		kinds = append(kinds, f.Kind.String())
	}
	return "failed: " + strings.Join(kinds, ", ")
}

func (w twin) row(t *testing.T) string {
	p := article(t, w.file, w.check)
	py, err := explore.Explore(context.Background(), model(p), w.config())
	if err != nil {
		t.Fatal(err)
	}
	sc, ok := scenarios.Lookup(w.scenario)
	if !ok {
		t.Fatalf("no scenario %s", w.scenario)
	}
	params, err := sc.Resolve(w.params)
	if err != nil {
		t.Fatal(err)
	}
	goRep, err := explore.Explore(context.Background(),
		explore.Model{Name: sc.Name, Params: params.String(), Program: sc.Build(params)}, w.config())
	if err != nil {
		t.Fatal(err)
	}
	search := "dfs"
	if w.pct {
		search = "pct, 40 runs"
	}
	check := ""
	if w.check != "" {
		check = " (`" + w.check + "`)"
	}
	return fmt.Sprintf("| `%s`%s | `%s %s` | %s | %d | %s | %d | %.2f | %s |", w.file, check, sc.Name, params, search,
		py.Executions, verdict(py), goRep.Executions, float64(py.Executions)/float64(goRep.Executions), verdict(goRep))
}

const tableHeader = "| program (`--check`) | Go twin | search | Python executions | Python verdict | Go executions | ratio | Go verdict |\n" +
	"|---|---|---|---|---|---|---|---|\n"

// tableRuns caps each search: a capped one says "bounded".
const tableRuns = 5000

const tablePath = "../../testdata/python/dpor-table.md"

// TestDPORTableInREADME checks that the README shows the table of
// testdata/python/dpor-table.md. With THREADSIM_PYTHON_TABLE=check it
// explores every program and its twin again (minutes of CPython
// executions) and compares; with =update it rewrites the file.
func TestDPORTableInREADME(t *testing.T) {
	want, err := os.ReadFile(tablePath)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), string(want)) {
		t.Errorf("README.md does not show %s", tablePath)
	}
	mode := os.Getenv("THREADSIM_PYTHON_TABLE")
	if mode == "" {
		t.Skip("THREADSIM_PYTHON_TABLE=check explores the programs and their twins again")
	}
	var b strings.Builder
	b.WriteString(tableHeader)
	for _, w := range twins {
		row := w.row(t)
		t.Log(row)
		b.WriteString(row + "\n")
	}
	switch {
	case mode == "update":
		if err := os.WriteFile(tablePath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	case b.String() != string(want):
		t.Errorf("the table differs from %s:\n%s", tablePath, b.String())
	}
}
