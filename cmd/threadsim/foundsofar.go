package main

import (
	"fmt"
	"strings"
	"sync"

	"github.com/threadsim/threadsim/explore"
)

// foundSoFar keeps the failures an exploration has found so far, as replay
// commands, so that a model stuck later (which ends the process) loses
// none of them. The stuck report comes from sched's watchdog goroutine.
type foundSoFar struct {
	mu    sync.Mutex
	lines []string
}

// add records a failure as it is found (explore.Config.OnFailure).
func (f *foundSoFar) add(r explore.FailureReport) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := fmt.Sprintf("%s: threadsim replay %s", r.Kind, r.Token)
	f.lines = append(f.lines, line)
	record("found " + line) // to the supervisor, before anything can end the process
}

// list returns the failures found so far, as replay commands.
func (f *foundSoFar) list() []string {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.lines...)
}

// stuckReport is what a stuck model prints: the first line of sched's
// report with the command that replays the schedule up to there, the
// report's further lines (the model's details, such as a Python stack),
// then each failure found before, not minimised.
func (f *foundSoFar) stuckReport(report, token string) string {
	var b strings.Builder
	first, details, _ := strings.Cut(report, "\n")
	fmt.Fprintf(&b, "%s (the schedule up to there: threadsim replay %s)\n", first, token)
	if details = strings.TrimSuffix(details, "\n"); details != "" {
		b.WriteString(details + "\n")
	}
	if f == nil {
		return b.String()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, line := range f.lines {
		fmt.Fprintf(&b, "found before, not minimised: %s\n", line)
	}
	return b.String()
}
