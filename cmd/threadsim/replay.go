package main

import (
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

func init() {
	registerCommand(command{name: "replay", order: 4, run: runReplay,
		usage: "replay TOKEN [--scenario NAME] [--python PATH] [--trace] [--json] [--html FILE] [--mermaid FILE]"})
}

// runReplay re-runs exactly the execution a token names and prints it as
// run does.
func runReplay(e *env, args []string) int {
	var trace, asJSON, all bool
	var want string
	var views viewFlags
	fs := newFlagSet("replay")
	views.define(fs, "the execution")
	fs.StringVar(&want, "scenario", "", "check that the token is for this scenario")
	fs.BoolVar(&trace, "trace", false, "print every step, one column per thread")
	fs.BoolVar(&asJSON, "json", false, "print one JSON document instead of text")
	definePythonFlag(fs)
	fs.BoolVar(&all, "all-steps", false, "with --trace, show the steps inside primitives too")
	pos, err := parseArgs(e, fs, commands["replay"].usage, args)
	if err != nil {
		return e.helpOrFail(err)
	}
	tok, err := exactlyOne(pos, "token")
	if err != nil {
		return e.fail(err)
	}
	x, err := replayToken(tok, want)
	if err != nil {
		return e.fail(err)
	}
	defer x.model.close()
	views.allSteps = all
	if err := x.writeViews(views); err != nil {
		return e.fail(err)
	}
	return e.showExecution(x, traceMode(trace, all), asJSON)
}

// replayToken parses tok, checks it against the scenario the user named
// (if any) and replays it with details recorded.
func replayToken(tok, want string) (execution, error) {
	s, err := explore.ParseToken(tok)
	if err != nil {
		return execution{}, &usageError{msg: err.Error()}
	}
	if want != "" && want != s.Model {
		return execution{}, usageErrorf("the token is for scenario %q, not %q", s.Model, want)
	}
	m, err := modelFromSchedule(s)
	if err != nil {
		return execution{}, err
	}
	start := time.Now()
	res, err := explore.Replay(m.exploreModel(), s, sched.Options{Detail: true})
	if err != nil {
		m.close()
		return execution{}, usageErrorf("the token does not fit scenario %s: %v", m.scenario.Name, err)
	}
	return execution{model: m, strategy: "replay", result: res, token: s.Token(), elapsed: time.Since(start)}, nil
}
