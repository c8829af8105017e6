package main

import (
	"fmt"
	"io"
	"os"

	"github.com/threadsim/threadsim/explore"
)

// progress is the status line of a long exploration, rewritten in place on
// stderr, and shown only when stderr is a terminal and the output is not
// JSON.
type progress struct {
	w     io.Writer
	on    bool
	shown bool
}

func newProgress(w io.Writer, asJSON bool) *progress {
	return &progress{w: w, on: !asJSON && isTerminal(w)}
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
	p.shown = true
	fmt.Fprintf(p.w, "\r%d executions, %d failure kinds, %.1fs (Ctrl-C stops with a partial report)",
		pr.Executions, pr.Failures, pr.Elapsed.Seconds())
}

// clear erases the status line.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
