package main

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/cmd/threadsim/internal/visual"
	"github.com/threadsim/threadsim/sched"
)

// writeSwimlanes renders an execution's trace as a table with one column
// per thread: step | time | MainThread | Thread-1 | ... | clock. Each step
// fills the cell of the thread that ran it ("acquire Lock 'x' → true"); a
// step marked * preempted a thread that could have gone on. Unless all is
// set, steps on a primitive's inner objects (the Lock 'event.lock' inside
// Event 'event', the queue inside Executor 'pool') are left out, except
// that a preemption among them marks the thread's next step shown; a
// last line counts them.
func writeSwimlanes(w io.Writer, r *sched.Result, all bool) error {
	clock := hasClock(r)
	headers := []string{"step", "time"}
	for _, t := range r.Threads {
		headers = append(headers, t.Name)
	}
	if clock {
		headers = append(headers, "clock")
	}
	t := newTable(w, headers...)
	inner := visual.InnerObjects(r)
	hidden := 0
	preempted := map[sched.ThreadID]bool{} // a hidden step of the thread preempted
	for _, ev := range r.Trace {
		if !all && visual.IsInner(ev, inner) {
			hidden++
			preempted[ev.Thread] = preempted[ev.Thread] || ev.Preemption
			continue
		}
		ev.Preemption = ev.Preemption || preempted[ev.Thread]
		delete(preempted, ev.Thread)
		if err := t.Append(swimlaneRow(r, ev, len(headers))); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if hidden > 0 {
		fmt.Fprintf(w, "(%d steps inside primitives not shown, a * on the next step of their thread if one preempted; --all-steps shows them)\n", hidden)
	}
	return nil
}

func hasClock(r *sched.Result) bool {
	for _, ev := range r.Trace {
		if ev.Thread == sched.ClockID {
			return true
		}
	}
	return false
}

func swimlaneRow(r *sched.Result, ev sched.Event, width int) []string {
	row := make([]string, width)
	row[0] = strconv.Itoa(ev.Step)
	if ev.Preemption {
		row[0] += "*"
	}
	row[1] = sched.FormatTime(ev.Time)
	col := width - 1 // the clock
	if ev.Thread != sched.ClockID {
		col = 2 + int(ev.Thread)
	}
	row[col] = stepText(r, ev) + whereText(ev)
	return row
}

// whereText is the source location a model gave the step (a Python
// program's file:line), or "" (Go models give none).
func whereText(ev sched.Event) string {
	if ev.Where == "" {
		return ""
	}
	loc, _, _ := strings.Cut(ev.Where, " ")
	return " @ " + loc
}

// stepText describes one step: the operation, what it touched and what it
// returned.
func stepText(r *sched.Result, ev sched.Event) string {
	switch {
	case ev.Op == "print":
		return "print " + strconv.Quote(ev.Detail)
	case ev.Child != sched.NoThread:
		return "start " + r.ThreadName(ev.Child)
	case ev.Thread == sched.ClockID:
		return withDetail("fire", ev.Detail)
	}
	text := ev.Op
	if obj := r.ObjectName(ev.Obj); obj != "" && !ownThread(r, ev) {
		text += " " + obj
	}
	return withDetail(text, ev.Detail)
}

// ownThread reports whether the step touches its own thread's object
// (exit), which needs no naming.
func ownThread(r *sched.Result, ev sched.Event) bool {
	return ev.Obj >= 0 && int(ev.Obj) < len(r.Objects) && r.Objects[ev.Obj].Kind == "Thread" &&
		r.Objects[ev.Obj].Name == r.ThreadName(ev.Thread)
}

func withDetail(text, detail string) string {
	if detail == "" {
		return text
	}
	return text + " → " + cleanDetail(detail)
}

// pointer matches a Go pointer printed in a result (an item that is a
// struct pointer): it differs between runs, so it is not shown.
var pointer = regexp.MustCompile(`&?\{?0x[0-9a-f]{4,}[^→]*`)

func cleanDetail(detail string) string {
	detail = strings.ReplaceAll(detail, "\n", " ")
	if pointer.MatchString(detail) {
		return "item"
	}
	return detail
}
