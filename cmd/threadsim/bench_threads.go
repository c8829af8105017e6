package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// benchThreads is how fast each strategy finds one many-thread bug
// (scenarios.ManyThreadCases), and how few preemptions the minimiser
// reports for it.
type benchThreads struct {
	Scenario string `json:"scenario"`
	Params   string `json:"params"`
	Expected string `json:"expected"`
	// IPB is iterative preemption bounding, IDB iterative delay bounding,
	// DPOR exhaustive DFS with source-DPOR; each stops at the first
	// failure or the run budget.
	IPB  benchDFS `json:"dfs_ipb"`
	IDB  benchDFS `json:"delay_idb"`
	DPOR benchDFS `json:"dpor"`
	// Random and PCT hunt over the seeds, as in the bug table.
	Random benchFind `json:"random"`
	PCT    benchFind `json:"pct"`
	// IDBMinimal and PCTMinimal are what the minimiser, with its default
	// caps, reports for iterative delay bounding's failure and for PCT's
	// with seed 1.
	IDBMinimal benchMinimal `json:"idb_minimal"`
	PCTMinimal benchMinimal `json:"pct_minimal"`
}

// benchMinimal is one failure before and after minimisation.
type benchMinimal struct {
	Found bool `json:"found"`
	// First is the preemptions of the execution that failed; Preemptions
	// and Steps those of the reported schedule.
	First       int  `json:"first_preemptions"`
	Preemptions int  `json:"preemptions"`
	Steps       int  `json:"steps"`
	Unproved    bool `json:"unproved,omitempty"`
}

// runThreadsTable hunts each many-thread bug (N = 10 only with --quick).
func runThreadsTable(ctx context.Context, f benchFlags, progress io.Writer) []benchThreads {
	rows := []benchThreads{}
	for _, c := range scenarios.ManyThreadCases() {
		if (f.quick && !c.Quick) || !strings.Contains(c.Scenario, f.only) || ctx.Err() != nil {
			continue
		}
		fmt.Fprintf(progress, "bench: hunting %s %s with many threads\n", c.Scenario, c.Params)
		rows = append(rows, measureThreads(ctx, c, f))
	}
	return rows
}

func measureThreads(ctx context.Context, c scenarios.BenchCase, f benchFlags) benchThreads {
	row := benchThreads{Scenario: c.Scenario}
	prog, params, err := c.Program()
	row.Params = params.String()
	if err != nil {
		row.IDB.Error = err.Error()
		return row
	}
	s, _ := scenarios.Lookup(c.Scenario)
	row.Expected = s.Expect.Fails.String()
	m := explore.Model{Name: c.Scenario, Params: row.Params, Program: prog}
	base := explore.Config{Runs: f.findRuns, Time: f.budget, Workers: 1, NoMinimize: true}
	ipb, idb, dpor := base, base, base
	ipb.Strategy, ipb.Preemptions, ipb.Iterative = explore.DFS, explore.Unbounded, true
	idb.Strategy, idb.Delays, idb.Iterative = explore.Delay, explore.Unbounded, true
	dpor.Strategy, dpor.Preemptions = explore.DFS, explore.Unbounded
	row.IPB, _ = huntOnce(ctx, m, ipb)
	idb.NoMinimize = false
	row.IDB, row.IDBMinimal = huntOnce(ctx, m, idb)
	row.DPOR, _ = huntOnce(ctx, m, dpor)
	row.Random = hunt(ctx, m, explore.Random, f)
	row.PCT = hunt(ctx, m, explore.PCT, f)
	pct := base
	pct.Strategy, pct.Seed, pct.Depth, pct.NoMinimize = explore.PCT, 1, benchPCTDepth, false
	_, row.PCTMinimal = huntOnce(ctx, m, pct)
	return row
}

// huntOnce runs one search to its first failure and reports its
// executions (the bound where it stopped) and, when cfg minimises, the
// failure before and after minimisation.
func huntOnce(ctx context.Context, m explore.Model, cfg explore.Config) (benchDFS, benchMinimal) {
	rep, err := explore.Explore(ctx, m, cfg)
	if err != nil {
		return benchDFS{Error: err.Error()}, benchMinimal{}
	}
	d := benchDFS{Executions: rep.Executions, Bound: rep.Bound, Seconds: rep.Elapsed.Seconds()}
	var mini benchMinimal
	if len(rep.Failures) > 0 {
		x := rep.Failures[0]
		d.Found, d.Kind = true, x.Kind.String()
		mini = benchMinimal{Found: true, First: x.FirstPreemptions, Preemptions: x.Preemptions, Steps: x.Steps,
			Unproved: x.Unproved}
	}
	return d, mini
}

// firstThreadsError returns the first many-thread hunt that could not be
// made, or "".
func (r *benchReport) firstThreadsError() string {
	for _, t := range r.Threads {
		for _, msg := range []string{t.IPB.Error, t.IDB.Error, t.DPOR.Error, t.Random.Error, t.PCT.Error} {
			if msg != "" {
				return t.Scenario + " " + t.Params + ": " + msg
			}
		}
	}
	return ""
}

// writeThreadsTable prints the caption and the many-thread table.
func (r *benchReport) writeThreadsTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nBugs in programs with many threads: executions to the first failure of iterative preemption "+
		"bounding (ipb), iterative delay bounding (idb) and DPOR, each capped at %s executions or %s (the bound where it "+
		"stopped in brackets); random walk and PCT (depth %d) over %d seeds, each seed capped the same; and the preemptions of the "+
		"schedule the minimiser reports (default caps) for idb's failure and for PCT's with seed 1 "+
		"(first → reported; * not proved minimal).\n\n",
		commas(r.Limits.FindRuns), seconds(r.Limits.SecondsPerSearch), r.Limits.PCTDepth, r.Limits.Seeds)
	return renderBench(w, markdown, threadsHeader, r.threadsRows())
}

var threadsHeader = []string{"scenario", "params", "expected", "ipb executions", "idb executions", "dpor executions",
	"random found", "random mean", "pct found", "pct mean", "pct max", "idb minimal", "pct minimal"}

func (r *benchReport) threadsRows() [][]string {
	rows := make([][]string, 0, len(r.Threads))
	for _, t := range r.Threads {
		row := []string{t.Scenario, t.Params, t.Expected, huntText(t.IPB, t.Expected, true), huntText(t.IDB, t.Expected, true),
			huntText(t.DPOR, t.Expected, false)}
		row = append(row, findCells(t.Random, t.Expected)...)
		row = append(row, findCells(t.PCT, t.Expected)...)
		pctMax := "-"
		if t.PCT.Found > 0 {
			pctMax = commas(t.PCT.Max)
		}
		rows = append(rows, append(row, pctMax, minimalText(t.IDBMinimal), minimalText(t.PCTMinimal)))
	}
	return rows
}

// findCells renders a hunt over seeds: "found/seeds" and the mean.
func findCells(h benchFind, expected string) []string {
	switch {
	case h.Error != "":
		return []string{"error: " + h.Error, "-"}
	case h.Found == 0:
		return []string{fmt.Sprintf("0/%d", h.Seeds), "-"}
	}
	return []string{fmt.Sprintf("%d/%d", h.Found, h.Seeds) + otherKinds(h.Kinds, expected), strconv.FormatFloat(h.Mean, 'f', 1, 64)}
}

// huntText renders one systematic hunt: "70 (1)", "not found in 100,000 (0)".
func huntText(d benchDFS, expected string, bounded bool) string {
	if d.Error != "" {
		return "error: " + d.Error
	}
	s := commas(d.Executions)
	if !d.Found {
		s = "not found in " + s
	} else if d.Kind != expected {
		s += " (" + d.Kind + ")"
	}
	if bounded {
		s += " (" + strconv.Itoa(d.Bound) + ")"
	}
	return s
}

// minimalText renders a minimisation: "7 → 1*".
func minimalText(m benchMinimal) string {
	if !m.Found {
		return "-"
	}
	s := strconv.Itoa(m.First) + " → " + strconv.Itoa(m.Preemptions)
	if m.Unproved {
		s += "*"
	}
	return s
}
