package main

import (
	"fmt"
	"io"
	"os"

	"github.com/threadsim/threadsim/explore"
)

// progress is the status line of a long exploration, rewritten in place on
// stderr, and shown only when stderr is a terminal and the output is not
// JSON, or when THREADSIM_PROGRESS=1 (then one line per update, so that a
// test can wait for the exploration to be under way).
type progress struct {
	w     io.Writer
	on    bool
	lines bool
	shown bool
}

func newProgress(w io.Writer, asJSON bool) *progress {
	if os.Getenv("THREADSIM_PROGRESS") == "1" {
		return &progress{w: w, on: true, lines: true}
	}
	tty := isTerminal(w) || os.Getenv("THREADSIM_STDERR_TTY") == "1" // the supervisor's stderr is one
	return &progress{w: w, on: !asJSON && tty}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// update is explore's Progress callback.
func (p *progress) update(pr explore.Progress) {
	if !p.on || pr.Done {
		return
	}
	p.shown = !p.lines
	end := ""
	if p.lines {
		end = "\n"
	}
	units := ""
	if pr.Workers > 0 {
		units = fmt.Sprintf(" on %d workers, %d/%d units done", pr.Workers, pr.PrefixesDone, pr.Prefixes)
	}
	fmt.Fprintf(p.w, "\r%d executions%s, %d failure kinds, %.1fs (Ctrl-C stops with a partial report)%s",
		pr.Executions, units, pr.Failures, pr.Elapsed.Seconds(), end)
}

// clear erases the status line.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
