package main

import (
	"context"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// A claim is a figure the README (or a scenario's documentation) states
// in prose: a pattern whose groups are the figures, and what computes
// them now. TestREADMEClaims compares them; -update rewrites the README's.
type claim struct {
	name    string
	pattern string // groups: the figures, "[\d,]+"
	compute func(t *testing.T) []int
}

var readmeClaims = []claim{
	{"the pipeline with a network never silent, stateful",
		`finds the\s+article's lost message \(([\d,]+) states\), and ` + "`pipeline-queue-fixed`" + ` with the same parameters is\s+complete \(([\d,]+) states`,
		func(t *testing.T) []int {
			p := scenarios.Params{"m": 0, "size": 1, "cycle": 1}
			cfg := explore.Config{Strategy: explore.Stateful, NoMinimize: true}
			fixed := states(t, "pipeline-queue-fixed", p, cfg)
			if s, _ := scenarios.Lookup("pipeline-queue-fixed"); !strings.Contains(s.Doc, commas(fixed)+" states for pipeline-queue-fixed") {
				if *update {
					rewriteScenarioDoc(t, fixed)
				} else {
					t.Errorf("pipeline-queue-fixed's documentation does not say its %s states (-update rewrites it)", commas(fixed))
				}
			}
			return []int{states(t, "pipeline-queue", p, cfg), fixed}
		}},
	{"iterative DFS on semaphore-pool-bug",
		`semaphore-pool-bug needs two preemptions and ([\d,]+) executions`,
		func(t *testing.T) []int {
			rep, err := readBenchReport(bugReport)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range rep.Bugs {
				if b.Scenario == "semaphore-pool-bug" {
					return []int{b.DFS.Executions}
				}
			}
			t.Fatal(bugReport + " has no semaphore-pool-bug row")
			return nil
		}},
	{"the partition of inc n=6",
		"`partitioned into ([\\d,]+) units on 2 workers \\(([\\d,]+) executions\\s+probed the partition\\)` for\\s+`inc`\\s+with\\s+n = 6",
		func(t *testing.T) []int {
			w := workersRow(t, "inc", "n=6")
			return []int{w.Units, w.Probed}
		}},
	{"the times of inc n=6 on workers",
		"`inc` n = 6 took ([\\d,]+) ms on 2 workers against ([\\d,]+) ms on 1 \\(issue\\s+17 asked under 3 s; the sequential search takes ([\\d,]+) ms",
		func(t *testing.T) []int {
			ms := func(s float64) int { return int(math.Round(s * 1000)) }
			w := workersRow(t, "inc", "n=6")
			return []int{ms(w.Two.Seconds), ms(w.One.Seconds), ms(w.Sequential.Seconds)}
		}},
	{"the rounds of inc n=6 and lastzero n=12 on workers",
		"its\\s+(\\d+) rounds took ([\\d,]+) to ([\\d,]+) ms on 2 workers, a speed-up over\\s+1 worker of (\\d+)\\.(\\d+) to (\\d+)\\.(\\d+), and\\s+`lastzero`'s (\\d+)\\.(\\d+) to (\\d+)\\.(\\d+),",
		func(t *testing.T) []int {
			// x.yz as the two numbers x and yz, as the README prints it.
			hundredths := func(v float64) []int { c := int(math.Round(v * 100)); return []int{c / 100, c % 100} }
			inc, last := workersRow(t, "inc", "n=6"), workersRow(t, "lastzero", "n=12")
			if len(inc.Rounds) < 2 || len(last.Rounds) < 2 {
				t.Fatalf("%s: the inc and lastzero rows have %d and %d rounds, want several (bench --repeat)",
					workersReport, len(inc.Rounds), len(last.Rounds))
			}
			two, incUp := inc.roundRange()
			_, lastUp := last.roundRange()
			out := []int{len(inc.Rounds), int(math.Round(two[0] * 1000)), int(math.Round(two[1] * 1000))}
			for _, v := range []float64{incUp[0], incUp[1], lastUp[0], lastUp[1]} {
				out = append(out, hundredths(v)...)
			}
			return out
		}},
	{"a Python program's speed",
		`The lost update takes\s+([\d,]+) µs of CPU an execution, ([\d,]+) executions a second on one core, above the\s+issue's 150; of\s+that, threadsim's share is ([\d,]+) µs \(about 60 replies, those of the program's\s+single-threaded\s+start replayed without a pipe\), and the Python\s+processes\s+take ([\d,]+) page faults`,
		func(t *testing.T) []int {
			rep, err := readBenchReport(pythonReport)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range rep.Python {
				if p.Program != "racecond.py" {
					continue
				}
				if p.OneCoreRate < 150 {
					t.Errorf("%s: the lost update runs %.0f executions a second on one core: the README says it is above 150", pythonReport, p.OneCoreRate)
				}
				round := func(v float64) int { return int(math.Round(v)) }
				return []int{round(p.CPUMillis * 1000), round(p.OneCoreRate), round(p.ThreadsimMillis * 1000), round(p.PageFaults)}
			}
			t.Fatal(pythonReport + " has no racecond.py row")
			return nil
		}},
}

// workersRow is the saved workers table's row of scenario with params.
func workersRow(t *testing.T, scenario, params string) benchWorkers {
	t.Helper()
	rep, err := readBenchReport(workersReport)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Workers {
		if w.Scenario == scenario && w.Params == params {
			return w
		}
	}
	t.Fatalf("%s has no %s %s row", workersReport, scenario, params)
	return benchWorkers{}
}

// workersReport is the saved bench report of the README's workers table.
const workersReport = "testdata/bench-workers.json"

// pythonReport is the saved bench report of the README's Python table.
const pythonReport = "testdata/bench-python.json"

// states runs a stateful search of a scenario and returns the states it
// stored.
func states(t *testing.T, name string, p scenarios.Params, cfg explore.Config) int {
	t.Helper()
	prog, params, err := scenarios.BuildNamed(name, p)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := explore.Explore(context.Background(), explore.Model{Name: name, Params: params.String(), Program: prog}, cfg)
	if err != nil {
		t.Fatalf("%s %s: %v", name, params, err)
	}
	return rep.States
}

// TestREADMEClaims checks the figures the README states in prose.
func TestREADMEClaims(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("searches of up to 400,000 states: run without -race and -short")
	}
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, c := range readmeClaims {
		re := regexp.MustCompile(c.pattern)
		m := re.FindStringSubmatchIndex(doc)
		if m == nil {
			t.Errorf("%s: the README no longer says %q", c.name, c.pattern)
			continue
		}
		got := c.compute(t)
		var b strings.Builder
		last := 0
		for i, v := range got {
			shown := doc[m[2+2*i]:m[3+2*i]]
			if shown != commas(v) && !*update {
				t.Errorf("%s: the README says %s, it is %s now (go test ./cmd/threadsim -run TestREADME -update rewrites it)", c.name, shown, commas(v))
			}
			b.WriteString(doc[last:m[2+2*i]])
			b.WriteString(commas(v))
			last = m[3+2*i]
		}
		b.WriteString(doc[last:])
		doc = b.String()
	}
	if *update && doc != string(data) {
		if err := os.WriteFile(readmePath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// bugReport is the saved bench report of the README's bug table.
const bugReport = "testdata/bench-bugs.json"

// TestBenchBugCountsAreCurrent: the bug-finding table's iterative DFS
// column is a count, exact on any machine, so it is checked against the
// code: each row's executions and bound as huntDFS finds them now. With
// -update the report's figures are rewritten.
func TestBenchBugCountsAreCurrent(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("17,000 executions: run without -race and -short")
	}
	path := bugReport
	rep, err := readBenchReport(path)
	if err != nil {
		t.Fatal(err)
	}
	f := benchFlags{findRuns: rep.Limits.FindRuns}
	changed := false
	for i, b := range rep.Bugs {
		if !b.DFS.Found {
			continue // cut by the wall-time budget: not a count the code fixes
		}
		prog, _, err := scenarios.BuildNamed(b.Scenario, nil)
		if err != nil {
			t.Fatal(err)
		}
		d := huntDFS(context.Background(), explore.Model{Name: b.Scenario, Params: b.Params, Program: prog}, f)
		if d.Executions != b.DFS.Executions || d.Bound != b.DFS.Bound || d.Kind != b.DFS.Kind {
			report := t.Errorf
			if *update {
				report = t.Logf
			}
			report("%s: iterative DFS needs %d executions (bound %d, %s), %s says %d (bound %d, %s)",
				b.Scenario, d.Executions, d.Bound, d.Kind, path, b.DFS.Executions, b.DFS.Bound, b.DFS.Kind)
			d.Seconds = b.DFS.Seconds // not re-measured
			rep.Bugs[i].DFS, changed = d, true
		}
	}
	if *update && changed {
		writeBenchReport(t, path, rep)
	}
}

// writeBenchReport saves rep as bench --json writes it.
func writeBenchReport(t *testing.T, path string, rep *benchReport) {
	t.Helper()
	var b strings.Builder
	if err := writeJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	// A report of other tables than states has "states": null; the
	// saved ones leave it out.
	text := strings.Replace(b.String(), ",\n  \"states\": null\n}", "\n}", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// rewriteScenarioDoc puts the state count of pipeline-queue-fixed in the
// scenario's documentation, where it says "N " + "states for
// pipeline-queue-fixed".
func rewriteScenarioDoc(t *testing.T, states int) {
	t.Helper()
	const path = "../../scenarios/article_pipeline_queue.go"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`[\d,]+( " \+\n\t"states for pipeline-queue-fixed)`)
	if !re.Match(src) {
		t.Fatalf("%s no longer says how many states pipeline-queue-fixed has", path)
	}
	out := re.ReplaceAll(src, []byte(commas(states)+"$1"))
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
