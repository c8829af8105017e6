// The workers table of bench: a partitioned exhaustive search on 1 and 2
// workers in the same run, against the classic search on one; and
// breadth-first search on 1 and 2 workers.

package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// benchWorkers is one search measured three times, one after the other:
// the classic sequential search (Split 0), and the partitioned search
// (AutoSplit) on 1 and on 2 workers, whose reports must be the same.
type benchWorkers struct {
	Scenario string `json:"scenario"`
	Params   string `json:"params"`
	// Search is "dpor" (the dfs strategy), "odpor" or "bfs" (not
	// partitioned: its 1-worker run is its sequential one, and it has no
	// units).
	Search     string         `json:"search"`
	Sequential benchWorkerRun `json:"sequential"`
	One        benchWorkerRun `json:"workers_1"`
	Two        benchWorkerRun `json:"workers_2"`
	// Units is the number of units of the partition, Probed the
	// executions of the probes that found it.
	Units  int `json:"units"`
	Probed int `json:"probed"`
	// Largest is the executions of the largest unit: 2 workers cannot
	// take less than its share of the time.
	Largest int `json:"largest_unit"`
	// Same: the reports on 1 and 2 workers are equal but for the time
	// and the number of workers.
	Same bool `json:"same_report"`
	// Load is the 1-minute load average before and after the three runs
	// (0 where /proc/loadavg is missing): timings under load are noisy.
	Load  [2]float64 `json:"load"`
	Error string     `json:"error,omitempty"`
	// Rounds, with bench --repeat N > 1, are the times of all N
	// measurements, in the order made; the row is their median by the
	// 2-worker time.
	Rounds []benchWorkersRound `json:"rounds,omitempty"`
}

// benchWorkersRound is one measurement's wall seconds and load.
type benchWorkersRound struct {
	Sequential float64    `json:"sequential_seconds"`
	One        float64    `json:"workers_1_seconds"`
	Two        float64    `json:"workers_2_seconds"`
	Load       [2]float64 `json:"load"`
}

// benchWorkerRun is one run of a search: its executions (exact), its
// wall and CPU time, and the largest live heap sampled during it.
type benchWorkerRun struct {
	Executions int     `json:"executions"`
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds"`
	PeakHeap   uint64  `json:"peak_heap_bytes"`
}

// workerCase is a search of the workers table.
type workerCase struct {
	scenario string
	params   scenarios.Params
	search   string
	quick    bool
}

// workerCases are issue 17's measured searches, and small ones for
// --quick.
var workerCases = []workerCase{
	{"inc", scenarios.Params{"n": 4}, "dpor", true},
	{"lastzero", scenarios.Params{"n": 8}, "odpor", true},
	{"readers", scenarios.Params{"n": 3}, "bfs", true},
	{"inc", scenarios.Params{"n": 6}, "dpor", false},
	{"lastzero", scenarios.Params{"n": 12}, "odpor", false},
	{"readers", scenarios.Params{"n": 6}, "bfs", false},
}

// runWorkersTable measures each search of the workers table, f.repeat
// times: every search once per round, so that the machine's slow and fast
// minutes fall on all of them.
func runWorkersTable(ctx context.Context, f benchFlags, progress io.Writer) []benchWorkers {
	var cases []workerCase
	for _, c := range workerCases {
		if c.quick == f.quick && strings.Contains(c.scenario, f.only) {
			cases = append(cases, c)
		}
	}
	measured := make([][]benchWorkers, len(cases))
	for round := range max(f.repeat, 1) {
		for i, c := range cases {
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(progress, "bench: %s %s on 1 and 2 workers (round %d of %d)\n", c.scenario, c.search, round+1, f.repeat)
			load := loadAverage()
			row := measureWorkers(ctx, c, f)
			row.Load = [2]float64{load, loadAverage()}
			measured[i] = append(measured[i], row)
		}
	}
	rows := []benchWorkers{}
	for _, runs := range measured {
		if len(runs) > 0 {
			rows = append(rows, medianWorkers(runs))
		}
	}
	return rows
}

// medianWorkers is the run of runs (one search's measurements) with the
// median 2-worker time, or the first that failed, with every run's times
// as its rounds when there are several.
func medianWorkers(runs []benchWorkers) benchWorkers {
	for _, r := range runs {
		if r.Error != "" {
			return r
		}
	}
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b benchWorkers) int { return cmp.Compare(a.Two.Seconds, b.Two.Seconds) })
	row := sorted[(len(sorted)-1)/2]
	if len(runs) > 1 {
		for _, r := range runs {
			row.Rounds = append(row.Rounds, benchWorkersRound{Sequential: r.Sequential.Seconds, One: r.One.Seconds,
				Two: r.Two.Seconds, Load: r.Load})
		}
	}
	return row
}

func measureWorkers(ctx context.Context, c workerCase, f benchFlags) benchWorkers {
	row := benchWorkers{Scenario: c.scenario, Search: c.search}
	m, err := benchModel(c.scenario, c.params)
	row.Params = m.Params
	if err != nil {
		row.Error = err.Error()
		return row
	}
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true,
		NoMinimize: true, Time: f.budget, Workers: 1}
	if c.search == "odpor" {
		cfg.Strategy = explore.ODPOR
	}
	if c.search == "bfs" {
		return measureBFSWorkers(ctx, row, m, cfg)
	}
	var one, two *explore.Report
	if _, row.Sequential, err = timedSearch(ctx, m, cfg); err == nil {
		cfg.Split, cfg.Shards = explore.AutoSplit, 1 // one shard, the whole search: its part lists the units
		if one, row.One, err = timedSearch(ctx, m, cfg); err == nil {
			cfg.Workers = 2
			two, row.Two, err = timedSearch(ctx, m, cfg)
		}
	}
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Units, row.Probed, row.Same = one.Prefixes, one.Probed, sameReport(one, two)
	for _, u := range one.Part.Units {
		row.Largest = max(row.Largest, u.Executions)
	}
	return row
}

// measureBFSWorkers measures breadth-first search on 1 worker (its
// sequential search, which is also the 1-worker row) and on 2.
func measureBFSWorkers(ctx context.Context, row benchWorkers, m explore.Model, cfg explore.Config) benchWorkers {
	cfg.Strategy = explore.BFS
	one, seq, err := timedSearch(ctx, m, cfg)
	if err == nil {
		cfg.Workers = 2
		var two *explore.Report
		if two, row.Two, err = timedSearch(ctx, m, cfg); err == nil {
			row.Sequential, row.One, row.Same = seq, seq, sameReport(one, two)
		}
	}
	if err != nil {
		row.Error = err.Error()
	}
	return row
}

// timedSearch runs one search, measuring its time and peak heap.
func timedSearch(ctx context.Context, m explore.Model, cfg explore.Config) (*explore.Report, benchWorkerRun, error) {
	var rep *explore.Report
	var err error
	var run benchWorkerRun
	run.PeakHeap = peakHeap(func() {
		cpu, start := processCPU(), time.Now()
		rep, err = explore.Explore(ctx, m, cfg)
		run.Seconds, run.CPUSeconds = time.Since(start).Seconds(), (processCPU() - cpu).Seconds()
	})
	if err != nil {
		return nil, run, err
	}
	if rep.Budget {
		return nil, run, fmt.Errorf("capped at %s: raise --budget", seconds(cfg.Time.Seconds()))
	}
	run.Executions = rep.Executions
	return rep, run, nil
}

// sameReport reports whether two reports are equal but for Elapsed and
// Workers.
func sameReport(a, b *explore.Report) bool {
	x, y := *a, *b
	x.Elapsed, y.Elapsed, x.Workers, y.Workers = 0, 0, 0, 0
	return reflect.DeepEqual(x, y)
}

// loadAverage is the 1-minute load average, 0 where it cannot be read.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	field, _, _ := strings.Cut(string(b), " ")
	x, _ := strconv.ParseFloat(field, 64)
	return x
}

// firstWorkersError returns the first workers row that could not be
// measured, or "".
func (r *benchReport) firstWorkersError() string {
	for _, w := range r.Workers {
		if w.Error != "" {
			return w.Scenario + " " + w.Params + ": " + w.Error
		}
	}
	return ""
}

// writeWorkersTable prints the caption and the workers table.
func (r *benchReport) writeWorkersTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nEvery core: each search run three times in a row, the classic search on one worker (sequential), "+
		"then partitioned (AutoSplit) on 1 and on 2 workers, which print the same report (same); breadth-first search (bfs), "+
		"which is not partitioned, on 1 worker (its sequential search) and on 2, which make its runs ahead. Executions are exact; "+
		"the partition's overhead is its executions over the sequential search's, and its largest unit's share of them "+
		"bounds the speed-up (2 workers take at least that share of 1 worker's time). Wall and CPU seconds, speed-up "+
		"(1 worker's wall time over 2 workers') and peak live heap are of one run each, at the 1-minute load average "+
		"shown (a machine with %d CPUs: a load above that stretches the wall times).\n\n", r.Machine.CPUs)
	return renderBench(w, markdown, workersHeader, r.workersRows())
}

var workersHeader = []string{"scenario", "params", "search", "sequential executions", "partitioned executions",
	"overhead", "units", "largest unit", "same", "sequential s", "1 worker s", "2 workers s", "speed-up", "CPU s (1 → 2 workers)",
	"peak heap MB (1 → 2)", "load", "runs", "2 workers s, all runs", "speed-up, all runs"}

func (r *benchReport) workersRows() [][]string {
	rows := make([][]string, 0, len(r.Workers))
	for _, w := range r.Workers {
		if w.Error != "" {
			rows = append(rows, []string{w.Scenario, w.Params, w.Search, "error: " + w.Error})
			continue
		}
		overhead := 100 * float64(w.One.Executions-w.Sequential.Executions) / float64(max(w.Sequential.Executions, 1))
		speedup := "-"
		if w.Two.Seconds > 0 {
			speedup = fmt.Sprintf("%.2fx", w.One.Seconds/w.Two.Seconds)
		}
		same := "yes"
		if !w.Same {
			same = "NO"
		}
		units, largest := "-", "-" // breadth-first search has none
		if w.Units > 0 {
			units, largest = strconv.Itoa(w.Units), fmt.Sprintf("%.0f%%", 100*float64(w.Largest)/float64(max(w.One.Executions, 1)))
		}
		rows = append(rows, []string{w.Scenario, w.Params, w.Search, commas(w.Sequential.Executions),
			commas(w.One.Executions), fmt.Sprintf("%+.1f%%", overhead), units, largest, same,
			fmt.Sprintf("%.2f", w.Sequential.Seconds), fmt.Sprintf("%.2f", w.One.Seconds), fmt.Sprintf("%.2f", w.Two.Seconds),
			speedup, fmt.Sprintf("%.2f → %.2f", w.One.CPUSeconds, w.Two.CPUSeconds),
			fmt.Sprintf("%.1f → %.1f", megabytes(w.One.PeakHeap), megabytes(w.Two.PeakHeap)),
			fmt.Sprintf("%.1f-%.1f", w.Load[0], w.Load[1])})
		rows[len(rows)-1] = append(rows[len(rows)-1], w.roundRanges()...)
	}
	return rows
}

// roundRanges are the run count and the ranges of the 2-worker time and
// of the speed-up over the rounds ("-" for one run).
func (w benchWorkers) roundRanges() []string {
	if len(w.Rounds) < 2 {
		return []string{"1", "-", "-"}
	}
	two, speedup := w.roundRange()
	return []string{strconv.Itoa(len(w.Rounds)), fmt.Sprintf("%.2f-%.2f", two[0], two[1]), fmt.Sprintf("%.2f-%.2fx", speedup[0], speedup[1])}
}

// roundRange is the smallest and largest 2-worker time, and speed-up (1
// worker's time over 2 workers'), of the rounds.
func (w benchWorkers) roundRange() (two, speedup [2]float64) {
	two, speedup = [2]float64{math.Inf(1), 0}, [2]float64{math.Inf(1), 0}
	for _, r := range w.Rounds {
		two = [2]float64{min(two[0], r.Two), max(two[1], r.Two)}
		if r.Two > 0 {
			s := r.One / r.Two
			speedup = [2]float64{min(speedup[0], s), max(speedup[1], s)}
		}
	}
	return two, speedup
}

func megabytes(b uint64) float64 { return float64(b) / (1 << 20) }
