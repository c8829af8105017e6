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
//
// Rates are given twice. Per wall second, as the user waits; per CPU
// second, the rate one core gives: threadsim and the Python processes
// (the fork server and its children) take turns, one waiting for the
// other's message, so an execution costs their CPU times added, and on a
// shared machine wall time also counts the other processes' turns. The
// fork server's start (an interpreter importing the runtime, once per
// run) is measured apart and left out of the Python figures.
type benchPython struct {
	Program string `json:"program"`
	Python  string `json:"python,omitempty"`
	Twin    string `json:"twin"`
	// Executions each search ran, its steps per execution, and its rate.
	Executions int     `json:"executions"`
	Steps      float64 `json:"steps_per_execution"`
	Seconds    float64 `json:"seconds"`
	Rate       float64 `json:"executions_per_s"`
	// CPUMillis is the CPU time of an execution, threadsim's and
	// Python's; OneCoreRate is 1000/CPUMillis; ThreadsimMillis is
	// threadsim's share.
	CPUMillis       float64 `json:"cpu_ms_per_execution,omitempty"`
	OneCoreRate     float64 `json:"one_core_executions_per_s,omitempty"`
	ThreadsimMillis float64 `json:"threadsim_cpu_ms_per_execution,omitempty"`
	// PageFaults are the Python processes' page faults an execution,
	// the fork server's and its child's: copy-on-write after the fork,
	// mostly.
	PageFaults float64 `json:"python_page_faults_per_execution,omitempty"`
	// StartMillis is the CPU time of a fork server's start.
	StartMillis float64 `json:"server_start_cpu_ms,omitempty"`
	TwinSteps   float64 `json:"twin_steps_per_execution"`
	TwinRate    float64 `json:"twin_executions_per_s"`
	// TwinCPUMicros is the CPU time of one of the twin's executions.
	TwinCPUMicros float64 `json:"twin_cpu_us_per_execution,omitempty"`
	Skipped       string  `json:"skipped,omitempty"`
	Error         string  `json:"error,omitempty"`
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
	startCPU, startFaults, err := serverStart(path)
	if errors.Is(err, python.ErrNoPython) {
		row.Skipped = "no python3"
		return row
	}
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.StartMillis = ms(startCPU)
	children, faults := childrenUsage()
	p, err := python.Load(path, "", "")
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Python = p.Python.Version
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true, NoMinimize: true,
		Runs: runs, Workers: 1, NoRaces: true}
	start, self := time.Now(), processCPU()
	rep, err := explore.Explore(ctx, explore.Model{Name: p.Name(), Params: p.Params(), Program: p.Build()}, cfg)
	elapsed, self := time.Since(start), processCPU()-self
	p.Close() // the server is reaped: its CPU and its children's are counted
	if err != nil {
		row.Error = err.Error()
		return row
	}
	n := max(rep.Executions, 1)
	row.Seconds = elapsed.Seconds()
	row.Executions, row.Rate = rep.Executions, elapsedRate(rep.Executions, elapsed)
	row.Steps = float64(rep.Steps) / float64(n)
	childrenNow, faultsNow := childrenUsage()
	if cpu := self + childrenNow - children - startCPU; cpu > 0 {
		row.CPUMillis = ms(cpu) / float64(n)
		row.OneCoreRate = 1000 / row.CPUMillis
		row.ThreadsimMillis = ms(self) / float64(n)
		row.PageFaults = float64(faultsNow-faults-startFaults) / float64(n)
	}
	row.TwinSteps, row.TwinRate, row.TwinCPUMicros, err = measureTwin(ctx, twin, cfg)
	if err != nil {
		row.Error = err.Error()
	}
	return row
}

// serverStart is the CPU time and the page faults of a fork server that
// starts and checks the program at path: an interpreter that imports the
// runtime. The first start after the runtime is written out reads cold
// files and is not the one measured.
func serverStart(path string) (time.Duration, int64, error) {
	var cpu time.Duration
	var faults int64
	for range 2 {
		cpu, faults = childrenUsage()
		p, err := python.Load(path, "", "")
		if err != nil {
			return 0, 0, err
		}
		p.Close()
	}
	cpuNow, faultsNow := childrenUsage()
	return cpuNow - cpu, faultsNow - faults, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// measureTwin runs the Go twin ("name k=v") under cfg, repeated for at
// least a second for a stable rate: its steps per execution, executions
// per second and CPU microseconds per execution.
func measureTwin(ctx context.Context, twin string, cfg explore.Config) (float64, float64, float64, error) {
	name, kv, _ := cutSpace(twin)
	given := paramFlag{}
	if kv != "" {
		if err := given.Set(kv); err != nil {
			return 0, 0, 0, err
		}
	}
	sc, ok := scenarios.Lookup(name)
	if !ok {
		return 0, 0, 0, fmt.Errorf("no scenario %s", name)
	}
	params, err := sc.Resolve(given)
	if err != nil {
		return 0, 0, 0, err
	}
	m := explore.Model{Name: sc.Name, Params: params.String(), Program: sc.Build(params)}
	var n, steps int64
	start, cpu := time.Now(), processCPU()
	for time.Since(start) < time.Second && ctx.Err() == nil {
		rep, err := explore.Explore(ctx, m, cfg)
		if err != nil {
			return 0, 0, 0, err
		}
		n += int64(rep.Executions)
		steps += rep.Steps
	}
	perExec := float64(max(n, 1))
	return float64(steps) / perExec, float64(n) / time.Since(start).Seconds(),
		float64(processCPU()-cpu) / float64(time.Microsecond) / perExec, nil
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
	"CPU ms/exec", "exec/s, one core", "twin steps/exec", "twin exec/s", "twin CPU µs/exec", "twin exec/s, one core",
	"Python/twin CPU"}

func (r *benchReport) writePythonTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nPython programs (unmodified CPython, one fork per execution) against their Go twins in the same "+
		"run: DFS on one worker going on after failures, both capped at the same executions (the twin repeated "+
		"for a second). CPU is threadsim's and the Python processes' together (they take turns), without the "+
		"fork server's start; \"one core\" is executions per CPU second.\n\n")
	var rows [][]string
	blank := func(cells ...string) []string { return append(cells, make([]string, len(pythonHeader)-len(cells))...) }
	for _, p := range r.Python {
		switch {
		case p.Skipped != "":
			rows = append(rows, blank(p.Program, "-", p.Twin, "skipped: "+p.Skipped))
		case p.Error != "":
			rows = append(rows, blank(p.Program, p.Python, p.Twin, "error: "+p.Error))
		default:
			rows = append(rows, []string{p.Program, p.Python, p.Twin, commas(p.Executions),
				fixed(p.Steps, 1), fixed(p.Rate, 0), fixed(p.CPUMillis, 2), fixed(p.OneCoreRate, 0),
				fixed(p.TwinSteps, 1), commas(int(p.TwinRate)), fixed(p.TwinCPUMicros, 1),
				commas(int(1e6 / max(p.TwinCPUMicros, 1e-9))), cpuRatio(p)})
		}
	}
	return renderBench(w, markdown, pythonHeader, rows)
}

// cpuRatio is how many times the twin's CPU an execution of the program
// takes, "-" where either was not measured.
func cpuRatio(p benchPython) string {
	if p.CPUMillis <= 0 || p.TwinCPUMicros <= 0 {
		return "-"
	}
	return commas(int(p.CPUMillis*1000/p.TwinCPUMicros+0.5)) + "×"
}

func fixed(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
