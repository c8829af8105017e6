package explore

import (
	"context"

	"github.com/threadsim/threadsim/sched"
)

// Minimize searches for a schedule of m that fails with kind k with the
// fewest preemptions, then the fewest steps, among those no longer than s
// with fewer preemptions than s or as many and fewer steps: a minimised
// trace is never longer than the one found (a stateful search's failure
// with many preemptions has schedules with fewer that take thousands of
// steps more). It runs preemption-
// bounded DFS (full expansion with sleep sets kept out after cuts, which
// finds every trace within the bound) with bounds 0, 1, ... up to s's
// preemption count; at the first bound where an execution fails with k it
// explores that whole level and keeps the shortest. maxRuns and maxSteps
// cap the executions and the steps they take, together (0: 20000 and
// 2,000,000); past either the best schedule found so far is returned.
// The caps count work, not time, so that the result is the same on any
// machine. The result replays with Replay; ok is false when s itself does
// not fail with k.
func Minimize(ctx context.Context, m Model, s Schedule, k sched.Kind, opts sched.Options, maxRuns, maxSteps int) (best Schedule, r *sched.Result, ok bool) {
	sc := sched.New(opts)
	defer sc.Close()
	orig, err := replayOn(sc, m, s.Decisions)
	if err != nil || !hasKind(orig, k) {
		return s, orig, false
	}
	if maxRuns <= 0 {
		maxRuns = DefaultMinimizeRuns
	}
	if maxSteps <= 0 {
		maxSteps = DefaultMinimizeSteps
	}
	best, r = s, orig
	capped := opts
	capped.MaxSteps = max(orig.Steps, len(orig.Trace))
	sc2 := sched.New(capped)
	defer sc2.Close()
	b := &budget{runs: maxRuns, steps: maxSteps}
	for bound := 0; bound <= orig.Preemptions && !b.exhausted(ctx); bound++ {
		var found *sched.Result
		d := newDFS(modeSleep, bound)
		_, _ = d.search(ctx, sc2, m.Program, b, func(x *sched.Result, blocked bool) bool {
			if !blocked && hasKind(x, k) && !cutShort(x, k) && (found == nil || len(x.Trace) < len(found.Trace)) {
				found = x.Clone()
			}
			return false
		})
		if found != nil {
			if found.Preemptions < r.Preemptions || len(found.Trace) < len(r.Trace) {
				best.Decisions, best.Shape, r = found.Decisions, ShapeOf(found), found
			}
			break
		}
	}
	return best, r, true
}

// cutShort reports an execution the cap on its length stopped, which
// shows a step-limit failure whatever kind k it had before.
func cutShort(x *sched.Result, k sched.Kind) bool {
	return k != sched.StepLimit && x.Failure != nil && x.Failure.Kind == sched.StepLimit
}

// The default caps of a minimisation.
const (
	DefaultMinimizeRuns  = 20000
	DefaultMinimizeSteps = 2000000
)

// minimizeFailure replaces f's schedule by a minimal one, and returns the
// stepDigests of its execution (nil when f is unchanged).
func minimizeFailure(ctx context.Context, m Model, cfg Config, f *FailureReport) []uint32 {
	best, r, ok := Minimize(ctx, m, f.Schedule, f.Kind, cfg.options(), cfg.MinimizeRuns, cfg.MinimizeSteps)
	if !ok || (r.Preemptions == f.Preemptions && len(r.Trace) == f.Steps) {
		return nil
	}
	f.Schedule, f.Token = best, best.Token()
	f.Preemptions, f.Steps, f.Minimized = r.Preemptions, len(r.Trace), true
	if k := f.Kind; k == sched.DataRace && len(r.Races) > 0 {
		f.Message = RaceMessage(r, r.Races[0])
	} else if r.Failure != nil && r.Failure.Kind == k {
		f.Message = r.Failure.Error()
	}
	return stepDigests(r)
}
