package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/scenarios"
)

// TestBenchWorkersQuick: the quick workers rows run each search three
// times; the sequential search makes one execution per trace, the
// partitioned one the same report on 1 and 2 workers, and the table
// prints both.
func TestBenchWorkersQuick(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "--quick", "--tables", "workers", "--json"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	var rep benchReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Workers) != 3 {
		t.Fatalf("%d rows, want inc, lastzero and readers", len(rep.Workers))
	}
	var quick []workerCase
	for _, c := range workerCases {
		if c.quick {
			quick = append(quick, c)
		}
	}
	for i, w := range rep.Workers {
		if w.Search == "bfs" {
			if !w.Same || w.Sequential.Executions == 0 || w.Two.Executions != w.Sequential.Executions || w.Units != 0 {
				t.Errorf("%s %s bfs: %+v; want the same report and executions on 1 and 2 workers", w.Scenario, w.Params, w)
			}
			continue
		}
		traces, ok := scenarios.OptimalCount(quick[i].scenario, quick[i].params)
		if !ok || w.Scenario != quick[i].scenario {
			t.Fatalf("row %d is %s %s, want %s with a known count", i, w.Scenario, w.Params, quick[i].scenario)
		}
		if w.Sequential.Executions != traces || !w.Same || w.One.Executions != w.Two.Executions ||
			w.One.Executions < traces || w.Units < 1 || w.Load[0] < 0 {
			t.Errorf("%s %s %s: %+v; want %d sequential executions and the same report on 1 and 2 workers",
				w.Scenario, w.Params, w.Search, w, traces)
		}
	}
	var text bytes.Buffer
	if err := rep.writeText(&text, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "| inc ") || !strings.Contains(text.String(), "| lastzero ") ||
		!strings.Contains(text.String(), "| bfs ") {
		t.Errorf("the table lacks a row:\n%s", text.String())
	}
}

// TestMedianWorkers: of several measurements of one search, the row is
// the one with the median 2-worker time, carrying every round's times,
// and the table prints their ranges; one measurement has no rounds.
func TestMedianWorkers(t *testing.T) {
	run := func(one, two float64) benchWorkers {
		return benchWorkers{Scenario: "inc", One: benchWorkerRun{Seconds: one}, Two: benchWorkerRun{Seconds: two}}
	}
	row := medianWorkers([]benchWorkers{run(6, 3.5), run(6.4, 3.2), run(5.7, 2.9)})
	if row.Two.Seconds != 3.2 || len(row.Rounds) != 3 || row.Rounds[0].Two != 3.5 {
		t.Errorf("median row: %+v", row)
	}
	got := row.roundRanges()
	if want := []string{"3", "2.90-3.50", "1.71-2.00x"}; !slices.Equal(got, want) {
		t.Errorf("ranges %q, want %q", got, want)
	}
	if one := medianWorkers([]benchWorkers{run(6, 3)}); one.Rounds != nil || !slices.Equal(one.roundRanges(), []string{"1", "-", "-"}) {
		t.Errorf("one run: %+v", one)
	}
	failed := run(1, 1)
	failed.Error = "capped"
	if row := medianWorkers([]benchWorkers{run(6, 3), failed}); row.Error == "" {
		t.Errorf("a failed measurement was dropped: %+v", row)
	}
}
