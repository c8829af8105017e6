package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// The third table of threadsim bench: threadsim's stateful depth-first
// search on the article's programs beside SPIN on Promela versions of the
// same programs, step for step (testdata/spin), at the sizes SPIN was
// measured at, and on smaller sizes so that the growth shows.

// benchState is one stateful search of one scenario.
type benchState struct {
	Scenario string `json:"scenario"`
	Params   string `json:"params"`
	// Verdict is the search's: "complete", "failed" (failures are kept
	// going past, so a failed search that was not capped still explored
	// every state) or "bounded".
	Verdict string `json:"verdict"`
	// Failures are the failure kinds found, by kind, and Failing the
	// number of failing executions.
	Failures []string `json:"failures,omitempty"`
	Failing  int      `json:"failing,omitempty"`
	// Capped is "time" or "states" when that budget stopped the search,
	// "" when it ran to the end: States is then a lower bound.
	Capped string `json:"capped,omitempty"`
	// States are the distinct states stored, StatesMet the states
	// generated (revisits included).
	States     int   `json:"states"`
	StatesMet  int64 `json:"states_met"`
	Executions int   `json:"executions"`
	MaxDepth   int   `json:"max_depth"`
	// Seconds is the wall time of one search, the mean over Repeats;
	// CPUSeconds its CPU time (user and system, every thread), 0 where
	// not measured.
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds,omitempty"`
	Repeats    int     `json:"repeats"`
	// Load is the machine's load average over the last minute as the
	// search started (/proc/loadavg; 0 elsewhere): on a shared machine,
	// what the seconds were measured under.
	Load         float64 `json:"load_average,omitempty"`
	StatesPerSec float64 `json:"states_per_s"`
	// BytesPerState is the visited table's estimated memory per state;
	// PeakHeap the largest live heap sampled during the search (the
	// table and the DFS path).
	BytesPerState float64 `json:"bytes_per_state"`
	PeakHeap      uint64  `json:"peak_heap_bytes"`
	Exact         bool    `json:"exact"`
	// Collision is the optimistic estimate of the probability that two
	// distinct states shared a fingerprint (0 when Exact).
	Collision float64 `json:"collision"`
	// SPIN is SPIN's figure for the same program and size, nil if none;
	// Ratio is Seconds / SPIN.Seconds when the search was not capped, and
	// CPURatio CPUSeconds / SPIN.CPU when both were measured.
	SPIN     *spinFigure `json:"spin,omitempty"`
	Ratio    float64     `json:"seconds_ratio_to_spin,omitempty"`
	CPURatio float64     `json:"cpu_ratio_to_spin,omitempty"`
	Error    string      `json:"error,omitempty"`
}

// spinFigure is what SPIN measured on a Promela version of a program:
// the states pan stored, its elapsed seconds as it prints them (the JSON
// name is historical) and its CPU seconds (user and system, from
// /usr/bin/time; 0 where not measured).
type spinFigure struct {
	States  int     `json:"states"`
	Seconds float64 `json:"cpu_seconds"`
	CPU     float64 `json:"cpu_user_sys_seconds,omitempty"`
}

// spinSource says where the SPIN figures were measured. CPU is the model
// threadsim bench printed on that machine.
type spinSource struct {
	Tool   string `json:"tool"`
	Source string `json:"source"`
	CPU    string `json:"cpu"`
}

// spinFrom is the source of every spinFigure below.
var spinFrom = spinSource{Tool: "SPIN 6.5.2 with partial-order reduction (Debian's spin, pan built with gcc 12 -O2 -DSAFETY, -w and -m sized to each model)",
	Source: "testdata/spin/run, on the machine of cmd/threadsim/testdata/bench-spin.json, alternating with threadsim (testdata/spin/results.txt)",
	CPU:    "AMD EPYC"}

// stateCase is one row of the table to measure.
type stateCase struct {
	scenario string
	params   scenarios.Params
	quick    bool // in the quick set run in CI
	spin     *spinFigure
	// beyond: a size SPIN's Promela versions do not reach, measured with
	// the SPIN rows (--spin-rows): issue 19's targets, the lost update at
	// n = 8 and the locked one at n = 12 within 60 s.
	beyond bool
}

// stateCases are the table's searches: the quick set when quick is true,
// else the full set, in a fixed order. The -threads scenarios run the
// programs on plain threads, as Promela models do, at growing sizes; the
// updates then again at SPIN's sizes with sleep=0, a yield, as the Promela
// versions' skip (the article's 0.1 s sleep is a deadline and a fire of the
// clock, which the Promela versions leave out). The article's own
// versions, on a thread pool, follow at small sizes, to show what the pool
// costs. A case carries SPIN's figure when SPIN measured the same program
// at the same size.
func stateCases(quick bool) []stateCase {
	var all []stateCase
	add := func(name, param string, quickAt int, extra scenarios.Params, sizes ...int) {
		for _, v := range sizes {
			p := scenarios.Params{param: v}
			maps.Copy(p, extra)
			all = append(all, stateCase{scenario: name, params: p, quick: v == quickAt,
				spin: spinFigures[name+" "+p.String()]})
		}
	}
	untimed := scenarios.Params{"sleep": 0}
	add("lost-update-threads", "n", 3, nil, 1, 2, 3, 4, 5, 6)
	add("lost-update-threads", "n", 0, untimed, 4, 5, 6, 7, 8)
	add("locked-update-threads", "n", 4, nil, 2, 4, 6, 7)
	add("locked-update-threads", "n", 4, untimed, 4, 6, 7, 8, 10, 12)
	for i := range all {
		switch c := &all[i]; c.scenario + " " + c.params.String() {
		case "lost-update-threads n=8,sleep=0", "locked-update-threads n=12,sleep=0":
			c.beyond = true
		}
	}
	add("pipeline-lock-threads", "k", 100, nil, 10, 100, 1000, 10_000, 100_000, 1_000_000)
	add("lost-update", "n", 0, nil, 1, 2, 3)
	add("locked-update", "n", 0, nil, 1, 2, 3)
	add("pipeline-lock", "k", 0, nil, 10, 100, 1000)
	if quick {
		var out []stateCase
		for _, c := range all {
			if c.quick {
				out = append(out, c)
			}
		}
		return out
	}
	return all
}

// spinFigures are SPIN's, by scenario and parameter, from
// testdata/spin/results.txt: pan at its best exhaustive flags (a hash table
// sized to the state count, a depth bound just above the deepest path),
// elapsed seconds as pan prints them and CPU seconds (user and system) from
// /usr/bin/time. The Promela updates sleep with a skip: sleep=0 here.
var spinFigures = map[string]*spinFigure{
	"lost-update-threads n=4,sleep=0":   {States: 17_869, Seconds: 0.01, CPU: 0.00}, // below /usr/bin/time's 0.01 s
	"lost-update-threads n=5,sleep=0":   {States: 366_633, Seconds: 0.34, CPU: 0.25},
	"lost-update-threads n=6,sleep=0":   {States: 8_815_569, Seconds: 22.7, CPU: 10.27},
	"locked-update-threads n=4,sleep=0": {States: 5_468, Seconds: 0, CPU: 0.00},
	"locked-update-threads n=6,sleep=0": {States: 761_388, Seconds: 3.42, CPU: 0.89},
	"locked-update-threads n=7,sleep=0": {States: 11_110_854, Seconds: 71.9, CPU: 16.97},
	"pipeline-lock-threads k=100000":    {States: 2_100_032, Seconds: 3.9, CPU: 1.49},
	"pipeline-lock-threads k=1000000":   {States: 21_000_032, Seconds: 41.6, CPU: 21.54},
}

// benchStateMaxSteps is the step limit of one execution: above
// pipeline-lock's 8 million steps at k = 1,000,000.
const benchStateMaxSteps = 1 << 24

// stateConfig is the configuration of every search of the table: the
// whole state space, as SPIN explores it (failures and races do not stop
// the search, schedules are not minimised).
func stateConfig(f benchFlags) explore.Config {
	return explore.Config{Strategy: explore.Stateful, KeepGoing: true, NoMinimize: true, NoRaces: true,
		Time: f.stateBudget, MaxStates: f.maxStates, ExactStates: f.exactStates,
		MaxSteps: benchStateMaxSteps, Workers: 1}
}

// runStateTable measures the stateful cases whose scenario contains only.
func runStateTable(ctx context.Context, f benchFlags, progress io.Writer) []benchState {
	rows := []benchState{}
	for _, c := range stateCases(f.quick) {
		if !(strings.Contains(c.scenario, f.only) || c.scenario+" "+c.params.String() == f.only) || (f.spinRows && c.spin == nil && !c.beyond) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(progress, "bench: %s %s stateful\n", c.scenario, c.params)
		rows = append(rows, measureState(ctx, c, f))
	}
	return rows
}

// measureState runs one stateful search, repeated while short.
func measureState(ctx context.Context, c stateCase, f benchFlags) benchState {
	row := benchState{Scenario: c.scenario, SPIN: c.spin}
	m, err := benchModel(c.scenario, c.params)
	row.Params = m.Params
	if err != nil {
		row.Error = err.Error()
		return row
	}
	cfg := stateConfig(f)
	row.Load = loadAverage()
	var rep *explore.Report
	cpu := processCPU()
	row.PeakHeap = peakHeap(func() { rep, err = explore.Explore(ctx, m, cfg) })
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.fill(rep, cfg)
	row.Seconds, row.Repeats = meanSeconds(ctx, m, cfg, rep, f.minTime)
	row.CPUSeconds = (processCPU() - cpu).Seconds() / float64(row.Repeats)
	if row.SPIN != nil && row.SPIN.CPU > 0 && row.CPUSeconds > 0 && row.Capped == "" {
		row.CPURatio = row.CPUSeconds / row.SPIN.CPU
	}
	if row.Seconds > 0 {
		row.StatesPerSec = float64(row.States) / row.Seconds
	}
	if row.SPIN != nil && row.SPIN.Seconds > 0 && row.Capped == "" {
		row.Ratio = row.Seconds / row.SPIN.Seconds
	}
	return row
}

// fill copies the report's verdict and state counts into the row.
func (s *benchState) fill(rep *explore.Report, cfg explore.Config) {
	s.Verdict, s.Executions = rep.Verdict, rep.Executions
	for _, f := range rep.Failures {
		s.Failures = append(s.Failures, f.Kind.String())
	}
	s.Failing = failingExecutions(rep)
	if rep.Budget {
		s.Capped = "time"
		if cfg.MaxStates > 0 && rep.States >= cfg.MaxStates {
			s.Capped = "states"
		}
	}
	s.States, s.StatesMet, s.MaxDepth = rep.States, rep.Generated, rep.MaxDepth
	s.BytesPerState, s.Exact, s.Collision = rep.StateBytes, rep.Exact, rep.Collision
}

// stateHeader are the columns of the table.
var stateHeader = []string{"scenario", "params", "verdict", "states", "states met", "seconds", "CPU s", "states/s",
	"bytes/state", "peak heap", "SPIN states", "SPIN s", "ratio", "SPIN CPU s", "CPU ratio"}

func (r *benchReport) stateRows() [][]string {
	rows := make([][]string, 0, len(r.States))
	for _, s := range r.States {
		if s.Error != "" {
			rows = append(rows, []string{s.Scenario, s.Params, "error: " + s.Error, "", "", "", "", "", "", "", "", "", "", "", ""})
			continue
		}
		spinStates, spinSecs, ratio, spinCPU, cpuRatio := "-", "-", "-", "-", "-"
		if s.SPIN != nil {
			spinStates, spinSecs = commas(s.SPIN.States), strconv.FormatFloat(s.SPIN.Seconds, 'f', 2, 64)
			if s.SPIN.CPU > 0 {
				spinCPU = strconv.FormatFloat(s.SPIN.CPU, 'f', 2, 64)
			}
		}
		if s.Ratio > 0 {
			ratio = strconv.FormatFloat(s.Ratio, 'f', 2, 64)
		}
		if s.CPURatio > 0 {
			cpuRatio = strconv.FormatFloat(s.CPURatio, 'f', 2, 64)
		}
		cpu := "-"
		if s.CPUSeconds > 0 {
			cpu = strconv.FormatFloat(s.CPUSeconds, 'f', 3, 64)
		}
		rows = append(rows, []string{s.Scenario, s.Params, s.verdictCell(r.Limits), commas(s.States),
			commas(int(s.StatesMet)), strconv.FormatFloat(s.Seconds, 'f', 3, 64), cpu, commas(int(s.StatesPerSec)),
			strconv.FormatFloat(s.BytesPerState, 'f', 0, 64), mib(s.PeakHeap), spinStates, spinSecs, ratio, spinCPU, cpuRatio})
	}
	return rows
}

// verdictCell renders the verdict: "complete", "failed: assertion (18)"
// (18 failing executions), "bounded at 2m0s", "bounded at 1,000 states
// (found assertion)".
func (s benchState) verdictCell(l benchLimits) string {
	kinds := strings.Join(s.Failures, ", ")
	switch {
	case s.Capped == "states":
		return "bounded at " + commas(l.MaxStates) + " states" + found(kinds)
	case s.Capped != "":
		return "bounded at " + seconds(l.StateSeconds).String() + found(kinds)
	case kinds != "":
		return "failed: " + kinds + " (" + commas(s.Failing) + ")"
	}
	return s.Verdict
}

// found notes the failures a capped search met: " (found deadlock)".
func found(kinds string) string {
	if kinds == "" {
		return ""
	}
	return " (found " + kinds + ")"
}

// writeStateTable prints the caption and the table.
func (r *benchReport) writeStateTable(w io.Writer, markdown bool) error {
	l := r.Limits
	table := "a visited table of 64-bit fingerprints"
	if l.ExactStates {
		table = "a visited table of whole states (--exact-states)"
	}
	caps := seconds(l.StateSeconds).String() + " of wall time"
	if l.MaxStates > 0 {
		caps += " or " + commas(l.MaxStates) + " states"
	}
	fmt.Fprintf(w, "\nStateful search against SPIN: threadsim's stateful DFS, one worker, with %s and sleep sets, "+
		"explores the whole state space as SPIN does: it keeps going after failures, does not minimise and "+
		"does not look for data races (KeepGoing, NoMinimize, NoRaces), so a \"failed\" row explored every "+
		"state too; the number after its failure kind counts the failing executions. Each search is capped at %s, "+
		"checked between executions and every 1,024 predicted states (one long execution can overrun "+
		"it); a \"bounded\" row stopped there, and its states are a lower bound. States are the distinct states "+
		"stored, states met include revisits, states/s is states stored per second of wall time; bytes/state "+
		"is the table's estimated memory per state, peak heap the largest live heap (table and DFS path). "+
		"Short searches are repeated for at least %s.%s\n", table, caps, seconds(l.MinSeconds), r.collisionNote())
	if r.SPIN != nil {
		fmt.Fprintf(w, "SPIN: %s, %s (%s), %s; states stored and seconds as pan reports them (elapsed, to "+
			"0.01 s), and CPU seconds (user and system) where measured; ratio is threadsim's seconds / SPIN's, CPU ratio threadsim's CPU seconds / SPIN's, when threadsim's search ran to its end (on a shared machine, compare CPU). SPIN "+
			"explored Promela versions of the -threads scenarios, step for step (testdata/spin: processes "+
			"started and joined by init, a statement per primitive operation); the others are the article's "+
			"own programs, on a ThreadPoolExecutor whose locks, queue and semaphore multiply the states. Two "+
			"tools' encodings of one program need not have the same states.\n",
			r.SPIN.Tool, r.SPIN.Source, r.SPIN.CPU, r.sameMachine())
	}
	fmt.Fprintln(w)
	return renderBench(w, markdown, stateHeader, r.stateRows())
}

// sameMachine compares the CPU SPIN ran on with this report's.
func (r *benchReport) sameMachine() string {
	if r.SPIN.CPU == r.Machine.CPU {
		return "the CPU model of this run"
	}
	return "not the CPU model of this run (" + r.Machine.CPU + "): compare seconds with care"
}

// collisionNote states the largest fingerprint collision estimate.
func (r *benchReport) collisionNote() string {
	worst := 0.0
	for _, s := range r.States {
		worst = max(worst, s.Collision)
	}
	if worst == 0 {
		return ""
	}
	return fmt.Sprintf(" The largest estimated probability that two distinct states shared a fingerprint is %.1g.", worst)
}

// meanSeconds returns the mean wall time of the search of first, repeated
// until minTime has passed, and the number of searches.
func meanSeconds(ctx context.Context, m explore.Model, cfg explore.Config, first *explore.Report, minTime time.Duration) (float64, int) {
	total, reps := first.Elapsed, 1
	for total < minTime && ctx.Err() == nil {
		again, err := explore.Explore(ctx, m, cfg)
		if err != nil || again.Executions != first.Executions {
			break // cannot happen: searches are deterministic
		}
		total += again.Elapsed
		reps++
	}
	return total.Seconds() / float64(reps), reps
}

// benchModel builds scenario name with params p (its defaults filled in)
// as a model.
func benchModel(name string, p scenarios.Params) (explore.Model, error) {
	prog, params, err := scenarios.BuildNamed(name, p)
	return explore.Model{Name: name, Params: params.String(), Program: prog}, err
}
