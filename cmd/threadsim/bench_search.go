// The exhaustive-search table of bench: each benchmark's executions against
// its optimal (Mazurkiewicz trace) count, for dpor, odpor and naive search.

package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// benchSearch is one exhaustive search of one benchmark.
type benchSearch struct {
	Benchmark string `json:"benchmark"`
	Params    string `json:"params"`
	// Search is "dpor" (exhaustive DFS with source-DPOR, the dfs
	// strategy), "odpor" (optimal DPOR with wakeup trees) or "naive"
	// (every interleaving).
	Search     string `json:"search"`
	Executions int    `json:"executions"`
	// Complete and SleepBlocked split a DPOR search's executions: maximal
	// ones (one per trace when the search is correct) and those cut
	// because every enabled thread was asleep.
	Complete     int `json:"complete,omitempty"`
	SleepBlocked int `json:"sleep_blocked,omitempty"`
	// Optimal is the number of Mazurkiewicz traces, 0 when unknown.
	Optimal int `json:"optimal,omitempty"`
	// Ratio is Executions / Optimal, a lower bound when the verdict is
	// "bounded".
	Ratio   float64 `json:"ratio,omitempty"`
	Verdict string  `json:"verdict"`
	// Capped reports that a run or time cap stopped the search: the count
	// is then a lower bound.
	Capped bool `json:"capped"`
	// Failing counts the executions that failed (searches keep going).
	Failing int `json:"failing"`
	// Seconds is the time of one search, the mean over Repeats.
	Seconds       float64 `json:"seconds"`
	Repeats       int     `json:"repeats"`
	ExecPerSecond float64 `json:"executions_per_s"`
	Steps         int64   `json:"steps"`
	StepsPerSec   float64 `json:"steps_per_s"`
	// PeakHeap is the largest live heap seen during the search, sampled
	// from runtime.MemStats.HeapAlloc.
	PeakHeap uint64 `json:"peak_heap_bytes"`
	Error    string `json:"error,omitempty"`
}

// measureSearch runs one exhaustive search, keeping going after failures
// so that every execution is counted.
func measureSearch(ctx context.Context, c scenarios.BenchCase, search string, f benchFlags) benchSearch {
	row := benchSearch{Benchmark: c.Scenario, Search: search}
	prog, params, err := c.Program()
	row.Params = params.String()
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Optimal, _ = scenarios.OptimalCount(c.Scenario, params)
	m := explore.Model{Name: c.Scenario, Params: params.String(), Program: prog}
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true,
		NoMinimize: true, Time: f.budget, Workers: 1}
	if search == "odpor" {
		cfg.Strategy = explore.ODPOR
	}
	if search == "naive" {
		cfg.Strategy, cfg.Runs, cfg.Time = explore.Naive, f.naiveRuns, min(f.budget, f.naiveTime)
	}
	var rep *explore.Report
	row.PeakHeap = peakHeap(func() { rep, err = explore.Explore(ctx, m, cfg) })
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Executions, row.Verdict, row.Capped = rep.Executions, rep.Verdict, rep.Budget
	row.Complete, row.SleepBlocked = rep.Complete, rep.SleepBlocked
	row.Failing = failingExecutions(rep)
	row.Steps = rep.Steps
	row.Seconds, row.Repeats = meanSeconds(ctx, m, cfg, rep, f.minTime)
	if row.Seconds > 0 {
		row.ExecPerSecond = float64(row.Executions) / row.Seconds
		row.StepsPerSec = float64(row.Steps) / row.Seconds
	}
	if row.Optimal > 0 {
		row.Ratio = float64(row.Executions) / float64(row.Optimal)
	}
	return row
}

// peakHeap runs fn and returns the largest live heap sampled meanwhile.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak.Load() {
			peak.Store(ms.HeapAlloc)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	sample()
	return peak.Load()
}

// writeSearchTable prints the caption and the table of exhaustive searches.
func (r *benchReport) writeSearchTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nExhaustive search, one worker: source-DPOR (dpor, the dfs strategy) and optimal DPOR (odpor) "+
		"against naive DFS (every interleaving, capped at %s executions or %s); "+
		"optimal is one execution per Mazurkiewicz trace; each search capped at %s, "+
		"and repeated until %s have passed (seconds are per search).\n\n",
		commas(r.Limits.NaiveRuns), seconds(r.Limits.NaiveSeconds), seconds(r.Limits.SecondsPerSearch), seconds(r.Limits.MinSeconds))
	return renderBench(w, markdown, searchHeader, r.searchRows())
}

var searchHeader = []string{"benchmark", "params", "search", "executions", "optimal", "ratio", "verdict",
	"seconds", "exec/s", "steps/s", "peak heap"}

func (r *benchReport) searchRows() [][]string {
	rows := make([][]string, 0, len(r.Search))
	for _, s := range r.Search {
		if s.Error != "" {
			rows = append(rows, []string{s.Benchmark, s.Params, s.Search, "error: " + s.Error, "", "", "", "", "", "", ""})
			continue
		}
		optimal, ratio := "-", "-"
		if s.Optimal > 0 {
			optimal = commas(s.Optimal)
			ratio = strconv.FormatFloat(s.Ratio, 'f', 2, 64)
			if s.Capped || s.Verdict == explore.Bounded {
				ratio = "≥ " + ratio
			}
		}
		verdict := s.Verdict
		if s.Failing > 0 {
			verdict += " (" + commas(s.Failing) + ")"
		}
		if s.Capped && s.Verdict != explore.Bounded {
			verdict += ", capped"
		}
		rows = append(rows, []string{s.Benchmark, s.Params, s.Search, commas(s.Executions), optimal, ratio, verdict,
			strconv.FormatFloat(s.Seconds, 'f', 4, 64), commas(int(s.ExecPerSecond)), commas(int(s.StepsPerSec)),
			mib(s.PeakHeap)})
	}
	return rows
}
