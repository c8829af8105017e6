package main

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"strings"
	"testing"
)

// TestBenchPythonRow measures the lost update as bench --tables python
// does, capped at 20 executions: the row has the executions, the CPU an
// execution costs without the fork server's start (threadsim's share, and
// the Python processes' page faults), the one-core rate that follows from
// it, the twin's CPU, and the table prints their ratio.
func TestBenchPythonRow(t *testing.T) {
	if raceEnabled {
		t.Skip("measures CPU time: run without -race, as .ci/run does")
	}
	row := measurePython(context.Background(), pythonBenchDir()+"/racecond.py", "lost-update", 20)
	if row.Skipped != "" || row.Error != "" {
		t.Fatalf("row %+v", row)
	}
	if row.Executions != 20 || row.Steps < 70 {
		t.Errorf("%d executions of %.1f steps, want 20 of about 77", row.Executions, row.Steps)
	}
	if row.CPUMillis <= 0 || row.StartMillis <= 0 || row.TwinCPUMicros <= 0 || row.PageFaults <= 0 {
		t.Fatalf("CPU or page faults not measured: %+v", row)
	}
	if row.ThreadsimMillis <= 0 || row.ThreadsimMillis >= row.CPUMillis {
		t.Errorf("threadsim's share %.3f ms of %.3f ms", row.ThreadsimMillis, row.CPUMillis)
	}
	if math.Abs(row.OneCoreRate*row.CPUMillis-1000) > 1e-6 {
		t.Errorf("one-core rate %.1f for %.3f ms an execution", row.OneCoreRate, row.CPUMillis)
	}
	// An execution forks CPython and makes about 60 round trips over
	// pipes: it cannot cost less than the twin, nor less than 0.5 ms.
	if row.CPUMillis < 0.5 || row.CPUMillis*1000 < row.TwinCPUMicros {
		t.Errorf("an execution costs %.3f ms of CPU, its twin %.1f µs: the fork server's CPU is not counted", row.CPUMillis, row.TwinCPUMicros)
	}
	var b bytes.Buffer
	rep := benchReport{Python: []benchPython{row}}
	if err := rep.writePythonTable(&b, true); err != nil {
		t.Fatal(err)
	}
	want := cpuRatio(row)
	if cell := regexp.MustCompile(`\|\s*` + want + `\s*\|\n`); !strings.HasSuffix(want, "×") || !cell.MatchString(b.String()) {
		t.Errorf("table without the CPU ratio %q:\n%s", want, b.String())
	}
}
