package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/threadsim/threadsim/scenarios"
)

// newFlagSet returns a flag set that reports errors to the command
// instead of printing them.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("threadsim "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseArgs parses flags anywhere among the arguments ("run NAME --seed 3"
// as well as "run --seed 3 NAME") and returns the positional arguments.
// -h prints the flags to stdout and returns flag.ErrHelp.
func parseArgs(e *env, fs *flag.FlagSet, synopsis string, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printHelp(e.out, fs, synopsis)
				return nil, err
			}
			return nil, usageErrorf("%v (see 'threadsim %s -h')", err, e.cmd)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func printHelp(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintf(w, "Usage: threadsim %s\n\nFlags:\n", synopsis)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// paramFlag collects repeated --param k=v flags.
type paramFlag map[string]string

func (p paramFlag) String() string { return "" }

func (p paramFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want k=v, got %q", s)
	}
	p[k] = v
	return nil
}

// exactlyOne checks that there is one positional argument, named what.
func exactlyOne(pos []string, what string) (string, error) {
	switch len(pos) {
	case 0:
		return "", usageErrorf("missing %s", what)
	case 1:
		return pos[0], nil
	}
	return "", usageErrorf("want one %s, got %d arguments: %s", what, len(pos), strings.Join(pos, " "))
}

// lookupScenario finds a scenario or suggests the nearest name.
func lookupScenario(name string) (scenarios.Scenario, error) {
	s, ok := scenarios.Lookup(name)
	if ok {
		return s, nil
	}
	if near := scenarios.Suggest(name); near != "" {
		return s, usageErrorf("unknown scenario %q (did you mean %q? 'threadsim list' shows them all)", name, near)
	}
	return s, usageErrorf("unknown scenario %q ('threadsim list' shows them all)", name)
}

// resolveParams checks --param values against the scenario.
func resolveParams(s scenarios.Scenario, given paramFlag) (scenarios.Params, error) {
	p, err := s.Resolve(given)
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	return p, nil
}
