package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// A model can end the process that runs it in ways no recover sees: it
// calls os.Exit, overflows its stack (unbounded recursion), or makes the
// Go runtime throw (concurrent map writes). The commands that run models
// therefore run in a child process of the same binary, watched by a
// supervisor: the child writes each failure to a pipe the moment it is
// found and "done" when it ends as it means to; when it ends otherwise the
// supervisor says in one line what the model did, keeps the failures found
// before, drops the Go runtime's trace, and exits with status 3.

// childEnv marks the supervised child; childFD is its pipe of records,
// lifelineFD the read end of a pipe whose write end only the supervisor
// holds (watchLifeline).
const (
	childEnv   = "THREADSIM_SUPERVISED"
	childFD    = 3
	lifelineFD = 4
)

// maxModelStack caps a supervised child's goroutine stacks, below Go's
// 1 GB: unbounded recursion in a model is reported sooner and cheaper,
// and no model needs that much.
const maxModelStack = 256 << 20

// supervisedCommands are the commands that run models.
var supervisedCommands = map[string]bool{"run": true, "explore": true, "replay": true}

// records is the child's end of the pipe, nil outside a supervised child.
var records = childRecords()

func childRecords() *os.File {
	if os.Getenv(childEnv) != "1" {
		return nil
	}
	closeOnExec(childFD)
	return os.NewFile(childFD, "threadsim-records")
}

// watchLifeline ends the supervised child when its supervisor is gone
// (killed with SIGKILL, say): the supervisor holds the only write end of
// the lifeline pipe, so a read of it returns when the supervisor's
// process ends. Linux and FreeBSD also kill the child then (a parent-death
// signal); on the other Unix systems this is what ends it.
func watchLifeline() {
	closeOnExec(lifelineFD)
	f := os.NewFile(lifelineFD, "threadsim-lifeline")
	go func() {
		io.Copy(io.Discard, f)
		os.Exit(exitInterrupted)
	}()
}

// record writes one line to the supervisor, if any.
func record(line string) {
	if records != nil {
		fmt.Fprintln(records, line)
	}
}

// recordDone tells the supervisor the child ends as it means to.
func recordDone() { record("done") }

// needsSupervisor reports whether args run models outside a supervised
// child.
func needsSupervisor(args []string) bool {
	return canSupervise && len(args) > 0 && supervisedCommands[args[0]] && os.Getenv(childEnv) == "" &&
		os.Getenv("THREADSIM_NO_SUPERVISOR") != "1"
}

// supervise runs args in a child process of this binary and returns the
// exit status to end with.
func supervise(args []string, stdout, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		return run(args, stdout, stderr) // cannot re-run ourselves: run unsupervised
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	if isTerminal(stderr) {
		cmd.Env = append(cmd.Env, "THREADSIM_STDERR_TTY=1")
	}
	return superviseCmd(cmd, args[0], stdout, stderr)
}

// superviseCmd runs cmd, a child that writes records to fd 3, forwarding
// its output and signals, and returns the exit status.
func superviseCmd(cmd *exec.Cmd, name string, stdout, stderr io.Writer) int {
	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "threadsim %s: %v\n", name, err)
		return exitFailure
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintf(stderr, "threadsim %s: %v\n", name, err)
		return exitFailure
	}
	lr, lw, err := os.Pipe()
	if err != nil {
		pw.Close()
		fmt.Fprintf(stderr, "threadsim %s: %v\n", name, err)
		return exitFailure
	}
	defer lw.Close() // the child's lifeline: open until the child has ended
	cmd.Stdin, cmd.Stdout, cmd.ExtraFiles = os.Stdin, stdout, []*os.File{pw, lr}
	setChildAttrs(cmd)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		pw.Close()
		lr.Close()
		fmt.Fprintf(stderr, "threadsim %s: %v\n", name, err)
		return exitFailure
	}
	pw.Close()
	lr.Close()
	var forwarded atomic.Int32
	go func() {
		for s := range sigs {
			forwarded.Add(1)
			cmd.Process.Signal(s)
		}
	}()
	var wg sync.WaitGroup
	var rec childLog
	var crash crashFilter
	wg.Add(2)
	go func() { defer wg.Done(); rec.read(pr) }()
	go func() { defer wg.Done(); crash.copy(stderr, errPipe) }()
	wg.Wait()
	werr := cmd.Wait()
	code := 0
	var exit *exec.ExitError
	if errors.As(werr, &exit) {
		code = exit.ExitCode()
	} else if werr != nil {
		fmt.Fprintf(stderr, "threadsim %s: %v\n", name, werr)
		return exitFailure
	}
	if rec.done || (code == exitStuck && crash.first == "") {
		return code // as it meant to, or sched's own stuck report
	}
	status, what := exitStuck, crash.what(code, exit)
	if killedBySignal(exit) && forwarded.Load() > 0 && crash.first == "" {
		status, what = exitInterrupted, "interrupted again: stopped at once"
	}
	fmt.Fprintf(stderr, "threadsim %s: %s\n", name, what)
	for _, f := range rec.found {
		fmt.Fprintf(stderr, "found before, not minimised: %s\n", f)
	}
	return status
}

// exitInterrupted is the status of a command a second Ctrl-C stopped at
// once, as a shell reports a process SIGINT killed.
const exitInterrupted = 130

// killedBySignal reports whether the child was ended by a signal.
func killedBySignal(exit *exec.ExitError) bool {
	return exit != nil && exit.ProcessState != nil && !exit.Exited()
}

// childLog is what the child recorded: failures found, and whether it
// ended as it meant to.
type childLog struct {
	found []string
	done  bool
}

func (l *childLog) read(r io.ReadCloser) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if line == "done" {
			l.done = true
		} else if f, ok := strings.CutPrefix(line, "found "); ok {
			l.found = append(l.found, f)
		}
	}
}

// crashMarkers begin the Go runtime's own output when a process dies.
var crashMarkers = []string{"runtime: ", "fatal error: ", "panic: ", "goroutine ", "SIGSEGV", "SIGBUS",
	"unexpected fault address", "[signal "}

// crashFilter copies the child's stderr until the Go runtime's trace
// begins, and keeps that trace's first lines to say what happened.
type crashFilter struct {
	inCrash bool
	first   string   // the trace's first line, "" if none
	lines   []string // its first lines
}

func (c *crashFilter) copy(w io.Writer, r io.Reader) {
	br := bufio.NewReader(r)
	var seg []byte
	for {
		b, err := br.ReadByte()
		if err != nil {
			if len(seg) > 0 && c.inCrash {
				c.addLine(seg)
			} else if len(seg) > 0 {
				w.Write(seg)
			}
			return
		}
		seg = append(seg, b)
		end := b == '\n' || b == '\r'
		if c.inCrash { // inside the trace: keep its first lines, drop the rest
			if b == '\n' {
				c.addLine(seg)
				seg = seg[:0]
			}
			continue
		}
		// A segment goes out at its end, or once long enough to tell
		// it from a trace when nothing follows yet (a progress line).
		if !end && (len(seg) < 16 || br.Buffered() > 0) {
			continue
		}
		if isCrash(seg) {
			c.inCrash = true
			if b == '\n' {
				c.addLine(seg)
				seg = seg[:0]
			}
			continue
		}
		w.Write(seg)
		seg = seg[:0]
	}
}

func (c *crashFilter) addLine(seg []byte) {
	line := strings.TrimSpace(string(seg))
	if c.first == "" {
		c.first = line
	}
	if len(c.lines) < 8 {
		c.lines = append(c.lines, line)
	}
}

func isCrash(seg []byte) bool {
	seg = bytes.TrimLeft(seg, "\r\n")
	for _, m := range crashMarkers {
		if bytes.HasPrefix(seg, []byte(m)) {
			return true
		}
	}
	return false
}

// what says in one line how the child ended: its stack overflowed, the
// runtime threw, a goroutine the simulator does not run panicked, it was
// killed, or it exited.
func (c *crashFilter) what(code int, exit *exec.ExitError) string {
	all := strings.Join(c.lines, "\n")
	switch {
	case strings.Contains(all, "stack exceeds") || strings.Contains(all, "stack overflow"):
		return "the model's stack overflowed (unbounded recursion?): a model must return, or loop with operations"
	case strings.HasPrefix(c.first, "fatal error: "):
		return "the Go runtime stopped the model: " + c.first + " (shared Go state outside primitives?)"
	case strings.HasPrefix(c.first, "panic: "):
		return "a goroutine the simulator does not run panicked (a raw go statement in the model?): " + c.first
	case c.first != "":
		return "the model crashed: " + c.first
	case killedBySignal(exit):
		return "the process running the model was killed: " + exit.ProcessState.String()
	}
	return fmt.Sprintf("the model ended the process (os.Exit(%d) in the model?) before the search finished", code)
}
