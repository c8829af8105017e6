package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// Shape is what a schedule records of its execution beyond the decisions,
// so that a replay can tell that it took other steps: the model changed
// since the schedule was made, or it is not deterministic.
type Shape struct {
	// Steps is the number of steps of the execution.
	Steps int
	// Digest is an FNV-1a hash of every step's thread, operation and
	// object, in order (0: not recorded).
	Digest uint32
}

// ShapeOf returns the shape of execution r.
func ShapeOf(r *sched.Result) Shape {
	h := digestSeed
	for i := range r.Trace {
		h = mixEvent(h, &r.Trace[i])
	}
	if h == 0 {
		h = 1
	}
	return Shape{Steps: len(r.Trace), Digest: h}
}

// digestSeed is FNV-1a's offset basis, the digest of no steps.
const digestSeed = uint32(2166136261)

// mixEvent adds step e to digest h: its thread, object and operation.
func mixEvent(h uint32, e *sched.Event) uint32 {
	mix := func(b byte) { h = (h ^ uint32(b)) * 16777619 }
	for _, v := range [2]int32{int32(e.Thread), int32(e.Obj)} {
		mix(byte(v))
		mix(byte(v >> 8))
	}
	for i := 0; i < len(e.Op); i++ {
		mix(e.Op[i])
	}
	mix(0)
	return h
}

// ScheduleOf returns the schedule of execution r of m, with its shape.
func ScheduleOf(m Model, strategy string, r *sched.Result) Schedule {
	s := Schedule{Version: TokenVersion, Model: m.Name, Params: m.Params, Strategy: strategy,
		Decisions: append([]int(nil), r.Decisions...), Shape: ShapeOf(r)}
	if r.Failure != nil && r.Failure.Kind == sched.StepLimit {
		s.Limit = len(r.Trace)
	}
	return s
}

func errDiverged(format string, args ...any) error {
	return fmt.Errorf("replay diverged: "+format+": the model changed since the schedule was made, or it is not deterministic", args...)
}

// checkShape reports a replay whose steps differ from the recorded ones.
func checkShape(want Shape, r *sched.Result) error {
	if want.Digest == 0 {
		return nil
	}
	got := ShapeOf(r)
	switch {
	case got.Steps != want.Steps:
		return errDiverged("the replay took %d steps where the recorded execution took %d", got.Steps, want.Steps)
	case got.Digest != want.Digest:
		return errDiverged("the replay's %d steps are not the recorded execution's (same count, other threads or operations)", got.Steps)
	}
	return nil
}
