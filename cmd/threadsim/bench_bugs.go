// The bug-finding table of bench: how many executions random walk, PCT and
// iterative preemption-bounded DFS need to find each buggy scenario's failure.

package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// benchBug is how fast each strategy finds one buggy scenario's failure.
type benchBug struct {
	Scenario string    `json:"scenario"`
	Params   string    `json:"params"`
	Expected string    `json:"expected"`
	Random   benchFind `json:"random"`
	PCT      benchFind `json:"pct"`
	DFS      benchDFS  `json:"dfs_ipb"`
}

// benchFind summarises the executions to the first failure over seeds.
type benchFind struct {
	Seeds int `json:"seeds"`
	// Found is the number of seeds that found a failure within the budget;
	// Mean and Max are over those.
	Found int     `json:"found"`
	Mean  float64 `json:"mean"`
	Max   int     `json:"max"`
	// Kinds counts the failure kinds found first.
	Kinds map[string]int `json:"kinds,omitempty"`
	// Undecided counts the seeds whose search found no failure and
	// stopped at an execution that did not end within the step limit
	// (explore.Undecided: no failure; a livelock only stateful search
	// finds).
	Undecided int    `json:"undecided,omitempty"`
	Error     string `json:"error,omitempty"`
}

// benchDFS is iterative preemption-bounded DFS's hunt.
type benchDFS struct {
	Found      bool   `json:"found"`
	Kind       string `json:"kind,omitempty"`
	Executions int    `json:"executions"`
	// Bound is the preemption bound being explored when it stopped.
	Bound   int     `json:"bound"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

// buggyScenarios are the scenarios whose expected verdict is a failure,
// at their default parameters, the article's first, except the
// many-thread bugs.
func buggyScenarios() []benchBug {
	var out []benchBug
	for _, s := range scenarios.All() {
		if s.Expect.Fails == 0 || scenarios.IsManyThreadBug(s.Name) {
			continue // the many-thread bugs have a table of their own
		}
		p, err := s.Resolve(nil)
		if err != nil {
			continue
		}
		out = append(out, benchBug{Scenario: s.Name, Params: p.String(), Expected: s.Expect.Fails.String()})
	}
	return out
}

// measureBug hunts one scenario's failure with random walk and PCT over
// the seeds, and with iterative preemption-bounded DFS.
func measureBug(ctx context.Context, b benchBug, f benchFlags) benchBug {
	prog, _, err := scenarios.BuildNamed(b.Scenario, nil)
	if err != nil {
		b.DFS.Error = err.Error()
		return b
	}
	m := explore.Model{Name: b.Scenario, Params: b.Params, Program: prog}
	b.Random = hunt(ctx, m, explore.Random, f)
	b.PCT = hunt(ctx, m, explore.PCT, f)
	b.DFS = huntDFS(ctx, m, f)
	return b
}

// benchPCTDepth is the bug depth PCT hunts with: enough for the
// ordering bugs of the suite (two preemptions).
const benchPCTDepth = 3

// hunt runs strategy once per seed, each on one worker and stopping at
// the first failure, the seeds in parallel.
func hunt(ctx context.Context, m explore.Model, strategy string, f benchFlags) benchFind {
	type result struct {
		found     bool
		undecided bool
		execs     int
		kind      string
		err       error
	}
	results := make([]result, f.seeds)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= f.seeds || ctx.Err() != nil {
					return
				}
				cfg := explore.Config{Strategy: strategy, Seed: uint64(i + 1), Runs: f.findRuns,
					Time: f.budget, Workers: 1, NoMinimize: true, Depth: benchPCTDepth}
				rep, err := explore.Explore(ctx, m, cfg)
				r := result{err: err}
				if err == nil && len(rep.Failures) > 0 {
					r.found, r.execs, r.kind = true, rep.Executions, failureKind(rep)
				}
				r.undecided = err == nil && rep.Verdict == explore.Undecided
				results[i] = r
			}
		})
	}
	wg.Wait()
	out := benchFind{Seeds: f.seeds, Kinds: map[string]int{}}
	total := 0
	for _, r := range results {
		if r.err != nil && out.Error == "" {
			out.Error = r.err.Error()
		}
		if r.undecided {
			out.Undecided++
		}
		if !r.found {
			continue
		}
		out.Found++
		out.Kinds[r.kind]++
		total += r.execs
		out.Max = max(out.Max, r.execs)
	}
	if out.Found > 0 {
		out.Mean = float64(total) / float64(out.Found)
	}
	return out
}

// huntDFS runs iterative preemption-bounded DFS until the first failure.
func huntDFS(ctx context.Context, m explore.Model, f benchFlags) benchDFS {
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, Iterative: true,
		Runs: f.findRuns, Time: f.budget, Workers: 1, NoMinimize: true}
	rep, err := explore.Explore(ctx, m, cfg)
	if err != nil {
		return benchDFS{Error: err.Error()}
	}
	d := benchDFS{Executions: rep.Executions, Bound: rep.Bound, Seconds: rep.Elapsed.Seconds()}
	if len(rep.Failures) > 0 {
		d.Found, d.Kind = true, failureKind(rep)
	}
	return d
}

// failureKind names the kind of the report's first failure.
func failureKind(rep *explore.Report) string {
	if len(rep.Failures) == 0 {
		return ""
	}
	return rep.Failures[0].Kind.String()
}

// failingExecutions counts the failing executions of a report.
func failingExecutions(rep *explore.Report) int {
	n := 0
	for _, f := range rep.Failures {
		n += f.Count
	}
	return n
}

// writeBugTable prints the caption and the bug-finding table.
func (r *benchReport) writeBugTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nBug finding: executions to the first failure, mean and max over %d seeds "+
		"(random walk and PCT with depth %d, each seed capped at %s executions), "+
		"and iterative preemption-bounded DFS.\n\n",
		r.Limits.Seeds, r.Limits.PCTDepth, commas(r.Limits.FindRuns))
	return renderBench(w, markdown, bugHeader, r.bugRows())
}

var bugHeader = []string{"scenario", "params", "expected", "random found", "random mean", "random max",
	"pct found", "pct mean", "pct max", "dfs-ipb executions", "dfs bound"}

func (r *benchReport) bugRows() [][]string {
	rows := make([][]string, 0, len(r.Bugs))
	for _, b := range r.Bugs {
		row := []string{b.Scenario, b.Params, b.Expected}
		for _, h := range []benchFind{b.Random, b.PCT} {
			if h.Found == 0 {
				row = append(row, fmt.Sprintf("0/%d", h.Seeds)+undecidedSeeds(h), "-", "-")
				continue
			}
			row = append(row, fmt.Sprintf("%d/%d", h.Found, h.Seeds)+otherKinds(h.Kinds, b.Expected),
				strconv.FormatFloat(h.Mean, 'f', 1, 64), commas(h.Max))
		}
		switch {
		case b.DFS.Error != "":
			row = append(row, "error: "+b.DFS.Error, "-")
		case b.DFS.Found && b.DFS.Kind != b.Expected:
			row = append(row, commas(b.DFS.Executions)+" ("+b.DFS.Kind+")", strconv.Itoa(b.DFS.Bound))
		case b.DFS.Found:
			row = append(row, commas(b.DFS.Executions), strconv.Itoa(b.DFS.Bound))
		default:
			row = append(row, "not found in "+commas(b.DFS.Executions), strconv.Itoa(b.DFS.Bound))
		}
		rows = append(rows, row)
	}
	return rows
}

// undecidedSeeds notes the seeds left undecided: " (100 undecided)".
func undecidedSeeds(h benchFind) string {
	if h.Undecided == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d undecided)", h.Undecided)
}

// otherKinds notes the failures found first that are not the expected
// kind: " (3 data-race)".
func otherKinds(kinds map[string]int, expected string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		if k != expected {
			parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
