// Command threadsim lists, runs, explores and replays threadsim's built-in
// scenarios: the programs of the Python threading article and the classic
// benchmarks of the model-checking literature.
//
// Usage:
//
//	threadsim list
//	threadsim run SCENARIO [--seed N] [--clock lazy|eager] [--param k=v ...] [--trace] [--json]
//	threadsim explore SCENARIO [--strategy dfs|odpor|random|pct] [--runs N] [--time D] ...
//	threadsim replay TOKEN [--trace] [--json]
//
// Exit status: 0 when no failure was found, 1 when one was, 2 for bad usage,
// 3 when the model broke the simulator's contract: it blocked outside the
// simulator (a real channel, mutex, sleep or I/O, or a loop without a
// step), or ended the process itself (os.Exit, a stack overflow, a panic
// in a goroutine of its own), 4 when a stateless search found no failure
// but an execution that did not end within the step limit, or run's or
// replay's one execution did not end within it (undecided:
// maybe an unfair schedule, no failure of the program; stateful search
// decides it). run, explore and replay run models in a
// supervised child process (supervise.go) on every Unix, so that even
// then one line says what the model did and no failure found before is
// lost; on Windows they run in the command's own process
// (supervise_other.go says why).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
)

func main() {
	args := os.Args[1:]
	tuneGC()
	if needsSupervisor(args) {
		os.Exit(supervise(args, os.Stdout, os.Stderr))
	}
	if records != nil {
		debug.SetMaxStack(maxModelStack)
		watchLifeline()
	}
	code := run(args, os.Stdout, os.Stderr)
	recordDone()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	e := &env{ctx: ctx, out: stdout, err: stderr}
	if len(args) == 0 {
		e.usage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		e.usage(stdout)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		return e.fail(usageErrorf("unknown command %q (commands: %s)", name, strings.Join(commandNames(), ", ")))
	}
	e.cmd = c.name
	d, err := stuckAfter()
	if err != nil {
		return e.fail(err)
	}
	e.stuckAfter = d
	return c.run(e, args[1:])
}

// usage prints the list of subcommands.
func (e *env) usage(w io.Writer) {
	io.WriteString(w, "threadsim: a deterministic scheduler simulator and model checker for small threaded programs\n\nUsage:\n")
	for _, name := range commandNames() {
		io.WriteString(w, "  threadsim "+commands[name].usage+"\n")
	}
	io.WriteString(w, "\nRun 'threadsim COMMAND -h' for a command's flags.\n")
	io.WriteString(w, "\nExit status: 0 no failure found, 1 a failure found, 2 bad usage,\n"+
		"3 the model blocked outside the simulator (a real channel, mutex, sleep or I/O)\n"+
		"  or ended the process itself (os.Exit, a stack overflow),\n"+
		"4 undecided: no failure, but an execution did not end within the step limit\n"+
		"  (a stateless search cannot tell it from an unfair schedule: --strategy stateful decides).\n")
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return commands[a].order - commands[b].order })
	return names
}
