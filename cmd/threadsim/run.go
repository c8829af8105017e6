package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/threadsim/threadsim/explore"
)

func init() {
	registerCommand(command{name: "run", order: 2, run: runRun,
		usage: "run SCENARIO|PROGRAM.py [--python PATH] [--check FILE.py:FUNC] [--seed N] [--clock lazy|eager] [--param k=v ...] [--trace] [--json] [--html FILE] [--mermaid FILE]"})
}

// runFlags are the flags of run.
type runFlags struct {
	seed   uint64
	clock  string
	params paramFlag
	trace  bool
	json   bool
	all    bool
	views  viewFlags
}

// runRun runs one execution of a scenario under a seeded random schedule
// and prints its log, outcome and failure.
func runRun(e *env, args []string) int {
	f := runFlags{params: paramFlag{}}
	fs := newFlagSet("run")
	fs.Uint64Var(&f.seed, "seed", 0, "seed of the random schedule (0: pick one and print it)")
	fs.StringVar(&f.clock, "clock", lazyClock, "clock `policy`: lazy (time moves only when no thread can run, as in a real run) "+
		"or eager (the clock may fire between any two steps, as exploration assumes)")
	fs.Var(f.params, "param", "set a scenario parameter `k=v` (repeatable)")
	fs.BoolVar(&f.trace, "trace", false, "print every step, one column per thread")
	fs.BoolVar(&f.json, "json", false, "print one JSON document instead of text")
	definePythonFlag(fs)
	defineCheckFlag(fs)
	defineRandomChoicesFlag(fs)
	fs.BoolVar(&f.all, "all-steps", false, "with --trace, show the steps inside primitives too")
	f.views.define(fs, "the execution")
	pos, err := parseArgs(e, fs, commands["run"].usage, args)
	if err != nil {
		return e.helpOrFail(err)
	}
	if f.clock != lazyClock && f.clock != eagerClock {
		return e.fail(usageErrorf("invalid value %q for flag -clock: want lazy or eager", f.clock))
	}
	m, err := modelFromArgs(pos, f.params)
	if err != nil {
		return e.fail(err)
	}
	defer m.close()
	if err := f.views.check(); err != nil {
		return e.fail(err)
	}
	if f.seed == 0 {
		f.seed = rand.Uint64N(1<<53) + 1
	}
	start := time.Now()
	e.json = f.json
	res := m.execute(e, newClockChooser(f.seed, f.clock))
	x := execution{model: m, strategy: "random", seed: f.seed, clock: f.clock, result: res, elapsed: time.Since(start),
		token: explore.ScheduleOf(m.exploreModel(), "random", res).Token()}
	f.views.allSteps = f.all
	if err := x.writeViews(f.views); err != nil {
		return e.fail(err)
	}
	return e.showExecution(x, traceMode(f.trace, f.all), f.json)
}

// showExecution prints one execution, as text or JSON, and returns 1 if
// it failed or raced.
func (e *env) showExecution(x execution, trace traceLevel, asJSON bool) int {
	var err error
	if asJSON {
		err = writeJSON(e.out, x.report(trace != noTrace))
	} else {
		err = x.writeText(e.out, trace)
	}
	if err != nil {
		return e.fail(err)
	}
	return executionStatus(x.result)
}

// writeText prints the header, the log, the steps if asked, the verdict
// and the replay token.
func (x execution) writeText(w io.Writer, trace traceLevel) error {
	fmt.Fprintf(w, "%s %s: %s\n\n", x.model.scenario.Name, x.model.paramsText(), x.how())
	writeLogs(w, x.result)
	fmt.Fprintln(w)
	if trace != noTrace {
		if err := writeSwimlanes(w, x.result, trace == allSteps); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	writeVerdict(w, x.result)
	if x.token != "" {
		fmt.Fprintf(w, "replay: threadsim replay %s\n", x.token)
	}
	return nil
}

// writeViews draws the execution into the --html and --mermaid files.
func (x execution) writeViews(v viewFlags) error {
	title := fmt.Sprintf("%s %s: %s", x.model.scenario.Name, x.model.paramsText(), x.how())
	return v.write(x.result, title)
}

func paramText(p string) string {
	if p == "" {
		return "(no parameters)"
	}
	return "(" + p + ")"
}

// traceLevel says which steps --trace prints.
type traceLevel int

const (
	noTrace traceLevel = iota
	compact            // without the steps inside primitives
	allSteps
)

func traceMode(trace, all bool) traceLevel {
	switch {
	case !trace:
		return noTrace
	case all:
		return allSteps
	}
	return compact
}
