package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// execution is what the report needs from one finished execution.
type execution struct {
	outcome string
	kinds   []sched.Kind // failure kinds: Failure.Kind, then DataRace
	message []string     // one message per kind
	steps   int
	preempt int
	// decisions, shape and digests (stepDigests) are set only when the
	// execution failed.
	decisions []int
	shape     Shape
	digests   []uint32
	// strategy, if set, names the strategy in the failure's schedule.
	strategy string
	// choices counts real choice points (for PCT's estimate of k).
	choices int
	// cycle is Schedule.Cycle: 1 + the step a livelock's cycle starts at.
	cycle int
	// limit is Schedule.Limit: the step limit of a step-limit failure.
	limit int
}

// summarize extracts the report data from r, copying decisions only when
// the execution failed.
func summarize(r *sched.Result) execution {
	e := execution{outcome: outcomeOf(r), steps: r.Steps, preempt: r.Preemptions}
	if r.Failure != nil {
		e.kinds = append(e.kinds, r.Failure.Kind)
		e.message = append(e.message, r.Failure.Error())
		if r.Failure.Kind == sched.StepLimit {
			e.limit = r.Steps
		}
	}
	if len(r.Races) > 0 {
		e.kinds = append(e.kinds, sched.DataRace)
		e.message = append(e.message, RaceMessage(r, r.Races[0]))
	}
	if len(e.kinds) > 0 {
		e.decisions = append([]int(nil), r.Decisions...)
		e.shape = ShapeOf(r)
		e.digests = stepDigests(r)
	}
	return e
}

// outcomeOf is the outcome an execution is counted under: what the model
// recorded, or "<kind>" for a failure without one.
func outcomeOf(r *sched.Result) string {
	if r.Outcome == "" && r.Failure != nil {
		return "<" + r.Failure.Kind.String() + ">"
	}
	return r.Outcome
}

// RaceMessage describes a data race in one line.
func RaceMessage(r *sched.Result, race sched.Race) string {
	return fmt.Sprintf("data race on %s: %s %s at step %d and %s %s at step %d are not ordered by happens-before",
		r.ObjectName(race.Obj),
		r.ThreadName(race.First.Thread), race.First.Access, race.First.Step,
		r.ThreadName(race.Second.Thread), race.Second.Access, race.Second.Step)
}

// hasKind reports whether r failed with kind k (DataRace: raced).
func hasKind(r *sched.Result, k sched.Kind) bool {
	if k == sched.DataRace && len(r.Races) > 0 {
		return true
	}
	return r.Failure != nil && r.Failure.Kind == k
}
