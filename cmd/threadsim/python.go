package main

import (
	"flag"
	"fmt"
	"regexp"
	"strconv"

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

// pythonRandomChoices is the --random-choices flag of explore and run: a
// draw of random.randint, randrange or choice over at most this many
// values is a scheduler choice.
var pythonRandomChoices int

func defineRandomChoicesFlag(fs *flag.FlagSet) {
	fs.IntVar(&pythonRandomChoices, "random-choices", 0, "a .py program's draws of random.randint, randrange and choice "+
		"over at most `N` values are choices the search enumerates (default 0: every draw is seeded)")
}

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
	if pythonRandomChoices < 0 {
		p.Close()
		return model{}, usageErrorf("--random-choices %d: want 0 or more", pythonRandomChoices)
	}
	p.RandomChoices = pythonRandomChoices
	sc := scenarios.Scenario{
		Name:  p.Name(),
		Group: "python",
		Doc:   fmt.Sprintf("the Python program %s, run by CPython %s", p.Path, p.Python.Version),
		Build: func(scenarios.Params) sched.Program { return p.Build() },
	}
	params := scenarios.Params{"src": p.DigestParam()}
	if p.RandomChoices > 0 {
		params["random"] = p.RandomChoices
	}
	return model{scenario: sc, params: params, program: p}, nil
}

// randomParam finds --random-choices in a token's parameters.
var randomParam = regexp.MustCompile(`(?:^|,)random=(\d+)(?:,|$)`)

// programFromSchedule loads the program a token (or the parts of a
// sharded search: what) names and refuses it if its source changed since
// then.
func programFromSchedule(name, params, what string) (model, error) {
	path, check := python.SplitName(name)
	pythonRandomChoices = 0
	if m := randomParam.FindStringSubmatch(params); m != nil {
		pythonRandomChoices, _ = strconv.Atoi(m[1])
	}
	m, err := programModel(path, check)
	if err != nil {
		return model{}, err
	}
	if got := m.params.String(); got != params {
		m.close()
		return model{}, usageErrorf("%s made for another version of %s (its source changed: %s, now %s); explore it again", what, path, params, got)
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
	if p := m.program; p != nil {
		draws := ""
		if p.RandomChoices > 0 {
			draws = fmt.Sprintf(", random draws of up to %d values enumerated", p.RandomChoices)
		}
		return fmt.Sprintf("(source digest %d, CPython %s%s)", p.DigestParam(), p.Python.Version, draws)
	}
	return paramText(m.params.String())
}
