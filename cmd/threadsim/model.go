package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// model is a scenario with its parameters resolved.
type model struct {
	scenario scenarios.Scenario
	params   scenarios.Params
}

// modelFromArgs resolves the scenario named by the one positional
// argument and its --param values.
func modelFromArgs(pos []string, given paramFlag) (model, error) {
	name, err := exactlyOne(pos, "scenario name")
	if err != nil {
		return model{}, err
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
	rec := &recorder{inner: c}
	s := sched.New(sched.Options{Detail: true, OnStuck: func(report string) {
		if tok := m.token("random", rec.schedule()); tok != "" {
			report += " (the schedule up to there: threadsim replay " + tok + ")"
		}
		fmt.Fprintln(e.err, report)
		os.Exit(exitStuck)
	}})
	defer s.Close()
	return s.Run(m.scenario.Build(m.params), rec).Clone()
}

// recorder keeps the decisions of real choices, so that a stuck model's
// schedule can be printed from the watchdog's goroutine.
type recorder struct {
	inner     sched.Chooser
	mu        sync.Mutex
	decisions []int
}

func (r *recorder) Choose(c *sched.Choice) int {
	d := r.inner.Choose(c)
	if c.N > 1 {
		r.mu.Lock()
		r.decisions = append(r.decisions, d)
		r.mu.Unlock()
	}
	return d
}

func (r *recorder) schedule() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.decisions...)
}

// execution is one execution to show: by run or replay.
type execution struct {
	model    model
	strategy string // "random" or "replay"
	seed     uint64
	result   *sched.Result
	token    string
	elapsed  time.Duration
}

// how says how the execution was chosen.
func (x execution) how() string {
	if x.strategy == "replay" {
		return "replayed schedule"
	}
	return fmt.Sprintf("random schedule, seed %d", x.seed)
}
