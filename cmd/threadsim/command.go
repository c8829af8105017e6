package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Exit statuses.
const (
	exitOK      = 0 // no failure found
	exitFailure = 1 // a failure was found
	exitUsage   = 2 // bad usage: unknown scenario, parameter, flag or token
	exitStuck   = 3 // the model blocked outside the simulator
	// exitUndecided: no failure found, but a stateless search met an
	// execution that did not end within the step limit, which it cannot
	// tell from an unfair schedule (explore.Undecided).
	exitUndecided = 4
)

// command is one subcommand. Each command file registers its own from
// init, so that adding a command touches no other file.
type command struct {
	name  string
	usage string // the synopsis after "threadsim "
	// order places the command in the usage listing.
	order int
	run   func(e *env, args []string) int
}

var commands = map[string]command{}

// registerCommand adds a subcommand; names must be unique.
func registerCommand(c command) {
	if _, dup := commands[c.name]; dup {
		panic("threadsim: duplicate command " + c.name)
	}
	commands[c.name] = c
}

// env is what a command runs with: its writers and the context that
// Ctrl-C cancels.
type env struct {
	ctx context.Context
	out io.Writer
	err io.Writer
	cmd string
	// stuckAfter is sched.Options.StuckAfter for the models the command
	// runs (0: sched's default; see stuck.go).
	stuckAfter time.Duration
	// json: the command prints JSON, so a stuck model's report is also
	// one JSON document on out (stuck.go).
	json bool
}

// usageError is bad input from the user: it is printed as one line and
// the command exits with status 2.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// fail prints err as one line on stderr and returns its exit status: 2 for
// a usage error, 1 otherwise.
func (e *env) fail(err error) int {
	prefix := "threadsim"
	if e.cmd != "" {
		prefix += " " + e.cmd
	}
	fmt.Fprintf(e.err, "%s: %v\n", prefix, err)
	var u *usageError
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailure
}

// helpOrFail returns 0 after -h (the help is printed) and fails otherwise.
func (e *env) helpOrFail(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return e.fail(err)
}

// done fails on an output error, else returns 0.
func (e *env) done(err error) int {
	if err != nil {
		return e.fail(err)
	}
	return exitOK
}
