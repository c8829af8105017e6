package visual

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// summarize returns the headline and the summary facts of r.
func summarize(r *sched.Result, n names) (verdict, []fact) {
	v := verdict{Class: "ok", Text: "no failure"}
	switch {
	case r.Failure != nil:
		v = verdict{Class: "failure", Text: r.Failure.Error()}
	case len(r.Races) > 0:
		v = verdict{Class: "race", Text: raceText(r, n, r.Races[0])}
	}
	if r.Failure != nil && len(r.Races) > 0 {
		v.Text += "; and " + raceText(r, n, r.Races[0])
	}
	facts := []fact{
		{"steps", itoa(len(r.Trace))},
		{"threads", itoa(len(r.Threads))},
		{"virtual time", sched.FormatTime(r.Time)},
		{"schedule", fmt.Sprint(r.Decisions)},
		{"preemptions", itoa(r.Preemptions)},
	}
	if r.Outcome != "" {
		facts = append(facts, fact{"outcome", r.Outcome})
	}
	return v, facts
}

// raceText says what race rc is in one line.
func raceText(r *sched.Result, n names, rc sched.Race) string {
	return fmt.Sprintf("data race on %s: %s %s at step %d and %s %s at step %d are not ordered",
		n.object(rc.Obj), n.thread(rc.First.Thread), rc.First.Access, rc.First.Step,
		n.thread(rc.Second.Thread), rc.Second.Access, rc.Second.Step)
}
