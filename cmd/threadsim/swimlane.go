package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// writeSwimlanes renders an execution's trace as a table with one column
// per thread: step | time | MainThread | Thread-1 | ... | clock. Each step
// fills the cell of the thread that ran it ("acquire Lock 'x' → true"); a
// step marked * preempted a thread that could have gone on.
func writeSwimlanes(w io.Writer, r *sched.Result) error {
	clock := hasClock(r)
	headers := []string{"step", "time"}
	for _, t := range r.Threads {
		headers = append(headers, t.Name)
	}
	if clock {
		headers = append(headers, "clock")
	}
	t := newTable(w, headers...)
	for _, ev := range r.Trace {
		if err := t.Append(swimlaneRow(r, ev, len(headers))); err != nil {
			return err
		}
	}
	return t.Render()
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
	row[col] = stepText(r, ev)
	return row
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
	return text + " → " + strings.ReplaceAll(detail, "\n", " ")
}
