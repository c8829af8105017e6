package main

import (
	"fmt"
	"os"
	"time"

	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/scenarios/python"
	"github.com/threadsim/threadsim/sched"
)

// model is a scenario with its parameters resolved.
type model struct {
	scenario scenarios.Scenario
	params   scenarios.Params
	program  *python.Program // a .py program (python.go), or nil
}

// modelFromArgs resolves the scenario named by the one positional
// argument and its --param values.
func modelFromArgs(pos []string, given paramFlag) (model, error) {
	name, err := exactlyOne(pos, "scenario name")
	if err != nil {
		return model{}, err
	}
	if pythonCheck != "" && !python.IsProgram(name) {
		return model{}, usageErrorf("--check applies to Python programs (FILE.py), not to scenario %s", name)
	}
	if pythonRandomChoices != 0 && !python.IsProgram(name) {
		return model{}, usageErrorf("--random-choices applies to Python programs (FILE.py), not to scenario %s", name)
	}
	if python.IsProgram(name) {
		if len(given) > 0 {
			return model{}, usageErrorf("--param applies to scenarios, not to the Python program %s", name)
		}
		return programModel(name, pythonCheck)
	}
	s, err := lookupScenario(name)
	if err != nil {
		return model{}, err
	}
	p, err := resolveParams(s, given)
	if err != nil {
		return model{}, err
	}
	return model{scenario: s, params: p}, nil
}

// execute runs one execution with details recorded. A model that blocks
// outside the simulator makes it print one line, with the schedule so far,
// and exit with status 3.
func (m model) execute(e *env, c sched.Chooser) *sched.Result {
	s := sched.New(sched.Options{Detail: true, StuckAfter: e.stuckAfter, OnStuck: m.onStuck(e, "random", nil),
		Interrupt: e.ctx.Done()})
	defer s.Close()
	return s.Run(m.scenario.Build(m.params), c).Clone()
}

// onStuck reports a model stuck outside the simulator (sched's watchdog)
// with the command that replays its schedule up to there, and the
// failures found before it (nil: none looked for), and exits: a stuck
// goroutine cannot be unwound.
func (m model) onStuck(e *env, strategy string, before *foundSoFar) func(string, []int) {
	return func(report string, decisions []int) {
		token := m.token(strategy, decisions)
		fmt.Fprint(e.err, before.stuckReport(report, token))
		if e.json {
			writeJSON(e.out, stuckJSON(m, report, token, before))
		}
		os.Exit(exitStuck)
	}
}

// execution is one execution to show: by run or replay.
type execution struct {
	model    model
	strategy string // "random" or "replay"
	// found, for explore's views, says which failure of which search the
	// replayed execution is.
	found   string
	seed    uint64
	clock   string // run's clock policy
	result  *sched.Result
	token   string
	elapsed time.Duration
}

// how says how the execution was chosen.
func (x execution) how() string {
	if x.found != "" {
		return x.found
	}
	if x.strategy == "replay" {
		return "replayed schedule"
	}
	return fmt.Sprintf("random schedule, seed %d, %s clock", x.seed, x.clock)
}
