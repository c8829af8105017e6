package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"
)

// TestBenchThreadsQuick hunts reorder with 10 threads as bench --tables
// threads does: iterative preemption bounding stays at bound 0, iterative
// delay bounding finds the bug at bound 1, PCT finds it with every seed,
// and the minimiser reports one preemption for both failures; the table
// prints those cells.
func TestBenchThreadsQuick(t *testing.T) {
	if raceEnabled {
		t.Skip("minimisations with the default caps: too slow under the race detector (run without -race, as .ci/run does)")
	}
	var out, errb bytes.Buffer
	args := []string{"bench", "--quick", "--tables", "threads", "--only", "reorder", "--seeds", "2", "--find-runs", "2000", "--json"}
	if code := run(args, &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	var rep benchReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Threads) != 1 || rep.Threads[0].Params != "n=10" {
		t.Fatalf("rows %+v, want reorder n=10", rep.Threads)
	}
	r := rep.Threads[0]
	if r.IPB.Found || r.IPB.Bound != 0 || r.IPB.Executions != 2000 {
		t.Errorf("ipb %+v, want not found at bound 0 in 2,000", r.IPB)
	}
	if !r.IDB.Found || r.IDB.Bound != 1 || r.IDB.Executions > 2000 {
		t.Errorf("idb %+v, want found at bound 1", r.IDB)
	}
	if r.PCT.Found != 2 || r.IDBMinimal.Preemptions != 1 || r.PCTMinimal.Preemptions != 1 || r.PCTMinimal.First <= 1 {
		t.Errorf("pct %+v, minimal %+v and %+v: want found by both seeds, 1 preemption each, PCT's from more",
			r.PCT, r.IDBMinimal, r.PCTMinimal)
	}
	var text bytes.Buffer
	if err := rep.writeText(&text, true); err != nil {
		t.Fatal(err)
	}
	for _, cell := range []string{"idb executions", "not found in 2,000 \\(0\\)", `\d+ \(1\)`, `\d+ → 1\*?`} {
		if !regexp.MustCompile(`\|\s*` + cell + `\s*\|`).MatchString(text.String()) {
			t.Errorf("no %q cell in the table:\n%s", cell, text.String())
		}
	}
}
