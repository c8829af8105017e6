package explore

import (
	"context"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Minimize searches for a schedule of m that fails with kind k with the
// fewest preemptions, then the fewest steps, among those with fewer
// preemptions than s or as many and fewer steps. It runs preemption-
// bounded DFS (full expansion with sleep sets kept out after cuts, which
// finds every trace within the bound) with bounds 0, 1, ... up to s's
// preemption count; at the first bound where an execution fails with k it
// explores that whole level and keeps the shortest. maxRuns caps the
// executions (0: 20000); past it the best schedule found so far is
// returned. The result replays with Replay; ok is false when s itself
// does not fail with k.
func Minimize(ctx context.Context, m Model, s Schedule, k sched.Kind, opts sched.Options, maxRuns int) (best Schedule, r *sched.Result, ok bool) {
	sc := sched.New(opts)
	defer sc.Close()
	orig, err := replayOn(sc, m, s.Decisions)
	if err != nil || !hasKind(orig, k) {
		return s, orig, false
	}
	if maxRuns <= 0 {
		maxRuns = 20000
	}
	best, r = s, orig
	b := &budget{runs: maxRuns}
	for bound := 0; bound <= orig.Preemptions && !b.exhausted(ctx); bound++ {
		var found *sched.Result
		d := newDFS(modeSleep, bound)
		_, _ = d.search(ctx, sc, m.Program, b, func(x *sched.Result, blocked bool) bool {
			if !blocked && hasKind(x, k) && (found == nil || len(x.Trace) < len(found.Trace)) {
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

// minimizeFailure replaces f's schedule by a minimal one.
func minimizeFailure(ctx context.Context, m Model, cfg Config, f *FailureReport) {
	limit := cfg.MinimizeTime
	if limit <= 0 {
		limit = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	opts := cfg.options()
	best, r, ok := Minimize(ctx, m, f.Schedule, f.Kind, opts, cfg.MinimizeRuns)
	if !ok || (r.Preemptions == f.Preemptions && len(r.Trace) == f.Steps) {
		return
	}
	f.Schedule, f.Token = best, best.Token()
	f.Preemptions, f.Steps, f.Minimized = r.Preemptions, len(r.Trace), true
	if k := f.Kind; k == sched.DataRace && len(r.Races) > 0 {
		f.Message = RaceMessage(r, r.Races[0])
	} else if r.Failure != nil && r.Failure.Kind == k {
		f.Message = r.Failure.Error()
	}
}
