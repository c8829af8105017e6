package main

import (
	"flag"
	"fmt"

	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/scenarios/python"
	"github.com/threadsim/threadsim/sched"
)

// pythonPath is the --python flag of explore, run and replay: the
// interpreter that runs Python programs ("": python3 on PATH).
var pythonPath string

// pythonCheck is the --check flag of explore and run: a property
// FILE.py:FUNC over a Python program's output and main globals.
var pythonCheck string

func definePythonFlag(fs *flag.FlagSet) {
	fs.StringVar(&pythonPath, "python", "", "the CPython (3.11+) that runs a .py program (default: python3 on PATH)")
}

func defineCheckFlag(fs *flag.FlagSet) {
	fs.StringVar(&pythonCheck, "check", "", "a .py program's property `FILE.py:FUNC`: FUNC(lines printed, main globals) "+
		"runs when the program ends; an AssertionError or False fails the execution")
}

// programModel loads a Python program as a model: a scenario named by its
// path whose one parameter, src, is its source digest.
func programModel(path, check string) (model, error) {
	p, err := python.Load(path, pythonPath, check)
	if err != nil {
		return model{}, usageErrorf("%v", err)
	}
	sc := scenarios.Scenario{
		Name:  p.Name(),
		Group: "python",
		Doc:   fmt.Sprintf("the Python program %s, run by CPython %s", p.Path, p.Python.Version),
		Build: func(scenarios.Params) sched.Program { return p.Build() },
	}
	return model{scenario: sc, params: scenarios.Params{"src": p.DigestParam()}, program: p}, nil
}

// programFromSchedule loads the program a token names and refuses it if
// its source changed since the token was made.
func programFromSchedule(name, params string) (model, error) {
	path, check := python.SplitName(name)
	m, err := programModel(path, check)
	if err != nil {
		return model{}, err
	}
	if got := m.params.String(); got != params {
		m.close()
		return model{}, usageErrorf("the token was made for another version of %s (its source changed: %s, now %s); explore it again", path, params, got)
	}
	return m, nil
}

// close ends a Python program's fork servers.
func (m model) close() {
	if m.program != nil {
		m.program.Close()
	}
}

// paramsText is how a report's header names the model's parameters: a
// scenario's "(k=v,...)"; for a Python program, the digest of its source
// that its tokens carry as src=N, labelled, and the CPython that runs it.
func (m model) paramsText() string {
	if m.program != nil {
		return fmt.Sprintf("(source digest %d, CPython %s)", m.program.DigestParam(), m.program.Python.Version)
	}
	return paramText(m.params.String())
}
