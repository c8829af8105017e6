package explore

import (
	"errors"
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// ErrNotDeterministic is wrapped by the errors and messages that say a
// model did not repeat itself: the same decisions gave other steps, which
// happens when code between two steps reads global randomness, map order,
// the real time, or Go state another execution left behind.
var ErrNotDeterministic = errors.New("the model is not deterministic between steps")

func notDeterministic(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotDeterministic}, args...)...)
}

// stepDigests returns the digest of r's steps up to and including each
// one: the i-th is ShapeOf's digest of the first i+1 steps, before its
// zero fix-up. Two executions first differ at the first index where their
// digests do.
func stepDigests(r *sched.Result) []uint32 {
	ds := make([]uint32, len(r.Trace))
	h := digestSeed
	for i := range r.Trace {
		h = mixEvent(h, &r.Trace[i])
		ds[i] = h
	}
	return ds
}

// firstDifference is the first step at which an execution with step
// digests got departs from one with digests want: the index of the first
// digest that differs, or the shorter length.
func firstDifference(want, got []uint32) int {
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			return i
		}
	}
	return min(len(want), len(got))
}

// checkFailureReplays replays a failure's schedule s, as the report hands
// it out, and says where it departs from the execution that failed, whose
// stepDigests are recorded (nil: unknown): the model is then not
// deterministic (the model is the same, so nothing else can make it
// depart). nil when the replay is that execution.
func checkFailureReplays(m Model, cfg Config, s Schedule, recorded []uint32) error {
	r, err := replay(m, s, cfg.options())
	if err == nil {
		return nil
	}
	if len(recorded) == 0 || r == nil {
		return notDeterministic("replaying the failure's schedule: %v", err)
	}
	got := stepDigests(r)
	i := firstDifference(recorded, got)
	switch {
	case i < len(got) && i < len(recorded):
		return notDeterministic("replaying the failure's schedule, step %d is %s, not the step the failing execution took there",
			i, describeStep(r, &r.Trace[i]))
	case len(got) < len(recorded):
		return notDeterministic("replaying the failure's schedule, the execution stopped at step %d where the failing one went on to step %d (%v)",
			len(got), len(recorded), err)
	}
	return notDeterministic("replaying the failure's schedule, the execution went on past step %d, where the failing one ended (%v)",
		len(recorded), err)
}

// describeStep names step e of r: "pool_0 read Var 'value'", "main yield".
func describeStep(r *sched.Result, e *sched.Event) string {
	d := r.ThreadName(e.Thread) + " " + e.Op
	if e.Obj != sched.NoObject {
		d += " " + r.ObjectName(e.Obj)
	}
	return d
}
