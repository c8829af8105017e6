package explore

import (
	"fmt"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// FormatTrace renders an execution as text, one step a line:
//
//	12 00:00:01.000 Thread-2     write   Var 'x' = 1    [preempts]
//
// then the log lines, the races and the failure with every thread's state.
// Run the execution with sched.Options.Detail for the values.
func FormatTrace(r *sched.Result) string {
	var b strings.Builder
	for _, e := range r.Trace {
		fmt.Fprintf(&b, "%4d %s %-12s %-16s %s", e.Step, sched.FormatTime(e.Time), r.ThreadName(e.Thread), e.Op, stepObject(r, e))
		if e.Detail != "" {
			fmt.Fprintf(&b, " = %s", e.Detail)
		}
		if e.Preemption {
			b.WriteString("   [preempts]")
		}
		b.WriteByte('\n')
	}
	for _, l := range r.Logs {
		fmt.Fprintf(&b, "log %s %s: %s\n", sched.FormatTime(l.Time), r.ThreadName(l.Thread), l.Text)
	}
	for _, race := range r.Races {
		b.WriteString(RaceMessage(r, race) + "\n")
	}
	if r.Failure != nil {
		b.WriteString(r.Failure.Describe() + "\n")
	}
	return b.String()
}

// stepObject names what a step touched: the thread it started for a
// start (whose object is the starting thread's own), else its object.
func stepObject(r *sched.Result, e sched.Event) string {
	if e.Child != sched.NoThread {
		return "Thread '" + r.ThreadName(e.Child) + "'"
	}
	return r.ObjectName(e.Obj)
}
