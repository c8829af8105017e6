package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// benchArgs keep the test short: the dining philosophers only (a passing
// and a deadlocking benchmark, and one bug to hunt), few seeds, small caps.
var benchArgs = []string{"bench", "--quick", "--only", "dining", "--seeds", "4", "--naive-runs", "300", "--find-runs", "2000", "--min-time", "1ns"}

func TestBenchJSONShape(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(append(slices.Clone(benchArgs), "--json"), &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	// The document's top-level keys, as a machine reads them.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, out.String())
	}
	for _, key := range []string{"quick", "machine", "limits", "search", "bugs", "states"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("no %q key in %s", key, out.String())
		}
	}
	var rep benchReport
	dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Quick || rep.Machine.CPUs < 1 || rep.Machine.Go == "" || rep.Machine.RoundTripsPerSec <= 0 || rep.Limits.Seeds != 4 {
		t.Errorf("header: quick %v, machine %+v, limits %+v", rep.Quick, rep.Machine, rep.Limits)
	}
	// Each quick dining case, searched with source-DPOR, optimal DPOR,
	// then naive DFS.
	var got []string
	for _, s := range rep.Search {
		got = append(got, s.Benchmark+" "+s.Params+" "+s.Search)
		if s.Error != "" || s.Executions < 1 || s.Verdict == "" || s.Steps < int64(s.Executions) || s.PeakHeap == 0 {
			t.Errorf("search row %+v", s)
		}
		if s.Search != "naive" && (s.Optimal == 0 || s.Ratio < 1 || s.Complete != s.Optimal) {
			t.Errorf("%s row without its optimum: %+v", s.Search, s)
		}
	}
	want := []string{"dining-philosophers n=3 dpor", "dining-philosophers n=3 odpor", "dining-philosophers n=3 naive",
		"dining-philosophers-fixed n=3 dpor", "dining-philosophers-fixed n=3 odpor", "dining-philosophers-fixed n=3 naive"}
	if !slices.Equal(got, want) {
		t.Errorf("search rows %q, want %q", got, want)
	}
	if len(rep.Bugs) != 1 || rep.Bugs[0].Scenario != "dining-philosophers" || rep.Bugs[0].Expected != "deadlock" {
		t.Fatalf("bug rows %+v, want the dining philosophers' deadlock", rep.Bugs)
	}
	b := rep.Bugs[0]
	for _, h := range []benchFind{b.Random, b.PCT} {
		if h.Seeds != 4 || h.Found != 4 || h.Mean < 1 || h.Max < 1 || h.Kinds["deadlock"] != 4 {
			t.Errorf("hunt %+v, want the deadlock found by every seed", h)
		}
	}
	if !b.DFS.Found || b.DFS.Kind != "deadlock" || b.DFS.Executions < 1 {
		t.Errorf("dfs hunt %+v", b.DFS)
	}
}

func TestBenchTables(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(append(slices.Clone(benchArgs), "--markdown"), &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	text := out.String()
	for _, want := range []string{"benchmark", "executions", "peak heap", "dining-philosophers-fixed",
		"random mean", "dfs-ipb executions"} {
		if !regexp.MustCompile(`\|\s*` + want + `\s*\|`).MatchString(text) {
			t.Errorf("no %q column or cell in the tables:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "(quick set)") {
		t.Errorf("the title does not name the quick set:\n%s", text)
	}
}

func TestBenchUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "extra"}, &out, &errb); code != exitUsage {
		t.Errorf("bench extra: exit %d, want %d", code, exitUsage)
	}
	if code := run([]string{"bench", "--nope"}, &out, &errb); code != exitUsage {
		t.Errorf("bench --nope: exit %d, want %d", code, exitUsage)
	}
}

func TestCommas(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 14400: "14,400", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBenchFrom(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(append(slices.Clone(benchArgs), "--json"), &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	path := filepath.Join(t.TempDir(), "bench.json")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if code := run([]string{"bench", "--from", path, "--markdown"}, &again, &errb); code != exitOK {
		t.Fatalf("bench --from: exit %d, stderr:\n%s", code, errb.String())
	}
	if !strings.Contains(again.String(), "dining-philosophers-fixed") {
		t.Errorf("bench --from printed:\n%s", again.String())
	}
	if code := run([]string{"bench", "--from", filepath.Join(t.TempDir(), "missing.json")}, &again, &errb); code != exitFailure {
		t.Errorf("bench --from a missing file: exit %d, want %d", code, exitFailure)
	}
}
