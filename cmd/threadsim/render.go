package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// writeLogs prints the lines the model logged, stamped with virtual time
// as the article's logging format does: "00:00:00.100: Thread 0: finishing".
func writeLogs(w io.Writer, r *sched.Result) {
	for _, l := range r.Logs {
		fmt.Fprintf(w, "%s: %s\n", sched.FormatTime(l.Time), l.Text)
	}
}

// writeVerdict prints the outcome, the failure with every thread's state,
// and the data races of one execution. An execution that did not end
// within the step limit is undecided, no failure (undecidedNote).
func writeVerdict(w io.Writer, r *sched.Result) {
	if r.Outcome != "" {
		fmt.Fprintf(w, "outcome: %s\n", r.Outcome)
	}
	switch {
	case notEnded(r):
		fmt.Fprintf(w, "UNDECIDED: %s\n%s\n", r.Failure.Describe(), undecidedNote)
	case r.Failure != nil:
		fmt.Fprintf(w, "FAILED: %s\n", r.Failure.Describe())
	}
	for _, msg := range raceMessages(r) {
		fmt.Fprintf(w, "FAILED: %s\n", msg)
	}
	if !r.Failed() {
		fmt.Fprintln(w, "ok: no failure in this execution")
	}
}

// notEnded reports whether execution r stopped at the step limit: it did
// not end, which one execution cannot tell from an unfair schedule.
func notEnded(r *sched.Result) bool {
	return r.Failure != nil && r.Failure.Kind == sched.StepLimit
}

// executionStatus is the exit status of one execution: a failure or race,
// else undecided if it did not end, else none.
func executionStatus(r *sched.Result) int {
	switch {
	case len(r.Races) > 0 || r.Failure != nil && !notEnded(r):
		return exitFailure
	case notEnded(r):
		return exitUndecided
	}
	return exitOK
}

// raceMessages returns one line per race, naming the object and both
// accesses.
func raceMessages(r *sched.Result) []string {
	out := make([]string, len(r.Races))
	for i, race := range r.Races {
		out[i] = explore.RaceMessage(r, race)
	}
	return out
}

// indent prefixes every line of s with pad.
func indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
