package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/scenarios/python"
)

// benchPython is one Python program explored beside its Go twin, in the
// same run: DFS on one worker, going on after failures, capped at the
// same number of executions.
type benchPython struct {
	Program string `json:"program"`
	Python  string `json:"python,omitempty"`
	Twin    string `json:"twin"`
	// Executions each search ran, its steps per execution, and its rate.
	Executions int     `json:"executions"`
	Steps      float64 `json:"steps_per_execution"`
	Seconds    float64 `json:"seconds"`
	Rate       float64 `json:"executions_per_s"`
	TwinSteps  float64 `json:"twin_steps_per_execution"`
	TwinRate   float64 `json:"twin_executions_per_s"`
	Skipped    string  `json:"skipped,omitempty"`
	Error      string  `json:"error,omitempty"`
}

// pythonBenchCases: the article's lost update, the speed target
// (at least 150 executions/s on one worker), and the correct pipeline.
var pythonBenchCases = []struct{ file, twin string }{
	{"racecond.py", "lost-update"},
	{"prodcom_lock.py", "pipeline-lock k=2"},
}

// pythonBenchDir is where the programs are, from the module root or
// from cmd/threadsim (go test).
func pythonBenchDir() string {
	for _, d := range []string{"testdata/python", "../../testdata/python"} {
		if m, _ := filepath.Glob(d + "/racecond.py"); len(m) > 0 {
			return d
		}
	}
	return "testdata/python"
}

func runPythonTable(ctx context.Context, f benchFlags, progress io.Writer) []benchPython {
	runs := 400
	if f.quick {
		runs = 60
	}
	var rows []benchPython
	for _, c := range pythonBenchCases {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(progress, "bench: python %s\n", c.file)
		rows = append(rows, measurePython(ctx, filepath.Join(pythonBenchDir(), c.file), c.twin, runs))
	}
	return rows
}

func measurePython(ctx context.Context, path, twin string, runs int) benchPython {
	row := benchPython{Program: filepath.Base(path), Twin: twin}
	p, err := python.Load(path, "", "")
	if errors.Is(err, python.ErrNoPython) {
		row.Skipped = "no python3"
		return row
	}
	if err != nil {
		row.Error = err.Error()
		return row
	}
	defer p.Close()
	row.Python = p.Python.Version
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true, NoMinimize: true,
		Runs: runs, Workers: 1, NoRaces: true}
	start := time.Now()
	rep, err := explore.Explore(ctx, explore.Model{Name: p.Name(), Params: p.Params(), Program: p.Build()}, cfg)
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Seconds = time.Since(start).Seconds()
	row.Executions, row.Rate = rep.Executions, elapsedRate(rep.Executions, time.Since(start))
	row.Steps = float64(rep.Steps) / float64(max(rep.Executions, 1))
	row.TwinSteps, row.TwinRate, err = measureTwin(ctx, twin, cfg)
	if err != nil {
		row.Error = err.Error()
	}
	return row
}

// measureTwin runs the Go twin ("name k=v") under cfg, repeated for at
// least a second for a stable rate.
func measureTwin(ctx context.Context, twin string, cfg explore.Config) (float64, float64, error) {
	name, kv, _ := cutSpace(twin)
	given := paramFlag{}
	if kv != "" {
		if err := given.Set(kv); err != nil {
			return 0, 0, err
		}
	}
	sc, ok := scenarios.Lookup(name)
	if !ok {
		return 0, 0, fmt.Errorf("no scenario %s", name)
	}
	params, err := sc.Resolve(given)
	if err != nil {
		return 0, 0, err
	}
	m := explore.Model{Name: sc.Name, Params: params.String(), Program: sc.Build(params)}
	var n, steps int64
	start := time.Now()
	for time.Since(start) < time.Second && ctx.Err() == nil {
		rep, err := explore.Explore(ctx, m, cfg)
		if err != nil {
			return 0, 0, err
		}
		n += int64(rep.Executions)
		steps += rep.Steps
	}
	return float64(steps) / float64(max(n, 1)), float64(n) / time.Since(start).Seconds(), nil
}

func cutSpace(s string) (string, string, bool) {
	for i := range s {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

var pythonHeader = []string{"program", "python", "Go twin", "executions", "steps/exec", "exec/s",
	"twin steps/exec", "twin exec/s", "twin/python"}

func (r *benchReport) writePythonTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nPython programs (unmodified CPython, one fork per execution) against their Go twins in the same "+
		"run: DFS on one worker going on after failures, both capped at the same executions (the twin repeated "+
		"for a second).\n\n")
	var rows [][]string
	for _, p := range r.Python {
		switch {
		case p.Skipped != "":
			rows = append(rows, []string{p.Program, "-", p.Twin, "skipped: " + p.Skipped, "", "", "", "", ""})
		case p.Error != "":
			rows = append(rows, []string{p.Program, p.Python, p.Twin, "error: " + p.Error, "", "", "", "", ""})
		default:
			rows = append(rows, []string{p.Program, p.Python, p.Twin, commas(p.Executions),
				strconv.FormatFloat(p.Steps, 'f', 1, 64), strconv.FormatFloat(p.Rate, 'f', 0, 64),
				strconv.FormatFloat(p.TwinSteps, 'f', 1, 64), strconv.FormatFloat(p.TwinRate, 'f', 0, 64),
				strconv.FormatFloat(p.TwinRate/p.Rate, 'f', 0, 64) + "x"})
		}
	}
	return renderBench(w, markdown, pythonHeader, rows)
}
