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
// steps more). It first drops s's preemptions one at a time while the
// replay still fails with k (minimize_delay.go; an eighth of the caps),
// then searches near the round-robin schedule: delay-bounded search with
// bounds 0 up to the best preemption count so far, within a quarter of
// the caps, keeping the best failing execution of the first level that
// has one. Then it runs preemption-
// bounded DFS (full expansion with sleep sets kept out after cuts, which
// finds every trace within the bound) with bounds 0, 1, ... up to the
// best count so far; at the first bound where an execution fails with k
// it explores that whole level and keeps the shortest. maxRuns and
// maxSteps cap the executions and the steps they take, together (0: 20000
// and 2,000,000); past either the best schedule found so far is returned.
// The caps count work, not time, so that the result is the same on any
// machine. The result replays with Replay; ok is false when s itself does
// not fail with k.
func Minimize(ctx context.Context, m Model, s Schedule, k sched.Kind, opts sched.Options, maxRuns, maxSteps int) (best Schedule, r *sched.Result, ok bool) {
	x := minimize(ctx, m, s, k, opts, maxRuns, maxSteps)
	return x.best, x.r, x.ok
}

// minimal is the result of a minimisation: proved says that the
// preemption-bounded levels up to the result's ran to their end, so that
// no schedule as long as s or shorter has fewer preemptions, or as many
// and fewer steps.
type minimal struct {
	best       Schedule
	r          *sched.Result
	ok, proved bool
}

func minimize(ctx context.Context, m Model, s Schedule, k sched.Kind, opts sched.Options, maxRuns, maxSteps int) minimal {
	sc := sched.New(opts)
	defer sc.Close()
	orig, err := replayOn(sc, m, s.Decisions)
	if err != nil || !hasKind(orig, k) {
		return minimal{best: s, r: orig}
	}
	if maxRuns <= 0 {
		maxRuns = DefaultMinimizeRuns
	}
	if maxSteps <= 0 {
		maxSteps = DefaultMinimizeSteps
	}
	x := minimal{best: s, r: orig, ok: true}
	capped := opts
	capped.MaxSteps = max(orig.Steps, len(orig.Trace))
	sc2 := sched.New(capped)
	defer sc2.Close()
	b := &budget{runs: maxRuns, steps: maxSteps}
	drop := b.share(dropShare)
	if y := dropPreemptions(ctx, sc2, m, k, orig, drop); fewer(y, x.r) {
		x.best.Decisions, x.best.Shape, x.r = y.Decisions, ShapeOf(y), y
	}
	b.spend(drop)
	near := b.share(delayShare)
	if y := nearRoundRobin(ctx, sc2, m, k, x.r.Preemptions, near); y != nil && fewer(y, x.r) {
		x.best.Decisions, x.best.Shape, x.r = y.Decisions, ShapeOf(y), y
	}
	b.spend(near)
	for bound := 0; bound <= x.r.Preemptions && !b.exhausted(ctx); bound++ {
		var found *sched.Result
		d := newDFS(modeSleep, bound)
		finished, _ := d.search(ctx, sc2, m.Program, b, func(y *sched.Result, blocked bool) bool {
			if !blocked && hasKind(y, k) && !cutShort(y, k) && (found == nil || len(y.Trace) < len(found.Trace)) {
				found = y.Clone()
			}
			return false
		})
		switch {
		case found != nil && finished:
			// The level's shortest is the minimum: no schedule found near
			// round robin is shorter, and one as short gives way to it.
			x.best, x.r, x.proved = s, orig, true
			if fewer(found, orig) {
				x.best.Decisions, x.best.Shape, x.r = found.Decisions, ShapeOf(found), found
			}
		case found != nil && fewer(found, x.r):
			x.best.Decisions, x.best.Shape, x.r = found.Decisions, ShapeOf(found), found
		}
		if found != nil || !finished {
			break
		}
	}
	return x
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

// finishFailures minimises rep's failures when minimise is set, then
// replays each one and marks a failure whose replay differs from the
// execution that found it (NotDeterministic). col holds the found
// executions' step digests, which a minimised failure replaces.
func finishFailures(ctx context.Context, m Model, cfg Config, col *collector, rep *Report, minimise bool) {
	if minimise {
		for i, f := range rep.Failures {
			if d := minimizeFailure(ctx, m, cfg, &rep.Failures[i]); d != nil {
				col.recorded[f.Kind] = d
			}
		}
	}
	for i, f := range rep.Failures {
		if err := checkFailureReplays(m, cfg, f.Schedule, col.recorded[f.Kind]); err != nil {
			rep.Failures[i].NotDeterministic = err.Error()
		}
	}
}

// minimizeFailure replaces f's schedule by a minimal one, and returns the
// stepDigests of its execution (nil when f is unchanged).
func minimizeFailure(ctx context.Context, m Model, cfg Config, f *FailureReport) []uint32 {
	x := minimize(ctx, m, f.Schedule, f.Kind, cfg.options(), cfg.MinimizeRuns, cfg.MinimizeSteps)
	best, r := x.best, x.r
	f.Unproved = x.ok && !x.proved
	if !x.ok || (r.Preemptions == f.Preemptions && len(r.Trace) == f.Steps) {
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
