package explore

import (
	"context"

	"github.com/threadsim/threadsim/sched"
)

// Minimisation in programs with many threads.
//
// Preemption-bounded DFS proves a schedule minimal level by level, but its
// bound 0 holds every order of the threads (switches at blocking points
// and exits are free): with eight threads that touch one variable, hundreds
// of thousands of executions, so the minimiser's caps run out inside bound 0
// and a schedule found by PCT or random walk, with several preemptions,
// would be returned as it is. Before that proof, Minimize therefore looks
// near the round-robin schedule: delay-bounded search (delay.go) with
// bounds 0, 1, ..., each level a few hundred executions even with many
// threads, keeping the failing execution of fewest preemptions, then
// fewest steps, of the first level that has one. A schedule with d delays
// has at most d preemptions, so a bug that needs one preemption at a place
// the round-robin scheduler passes is found at bound 1. The proof then
// runs with what is left of the caps; when they end before it completes,
// the result is the best found, and the report says it is not proved
// minimal (FailureReport.Unproved).

// delayShare is the part of the minimiser's caps the delay-bounded phase
// may use (1/delayShare of the runs and of the steps).
const delayShare = 4

// nearRoundRobin runs delay-bounded search on m with bounds 0 up to
// maxBound within b, and returns the execution failing with kind k of
// fewest preemptions, then fewest steps, in the first level that has one
// (nil when none does, or the budget ends first).
func nearRoundRobin(ctx context.Context, sc *sched.Scheduler, m Model, k sched.Kind, maxBound int, b *budget) *sched.Result {
	var best *sched.Result
	for bound := 0; bound <= maxBound && !b.exhausted(ctx); bound++ {
		d := newDelaySearch(bound)
		_, _ = d.search(ctx, sc, m.Program, b, func(x *sched.Result) bool {
			if hasKind(x, k) && !cutShort(x, k) && (best == nil || fewer(x, best)) {
				best = x.Clone()
			}
			return false
		})
		if best != nil {
			return best
		}
	}
	return nil
}

// fewer reports whether x has fewer preemptions than y, or as many and
// fewer steps.
func fewer(x, y *sched.Result) bool {
	if x.Preemptions != y.Preemptions {
		return x.Preemptions < y.Preemptions
	}
	return len(x.Trace) < len(y.Trace)
}

// share returns a budget of 1/n of b's caps, for a phase whose use is
// then added to b with spend.
func (b *budget) share(n int) *budget {
	return &budget{runs: max(1, b.runs/n), steps: max(1, b.steps/n)}
}

// spend adds a phase's use to b.
func (b *budget) spend(phase *budget) {
	b.used += phase.used
	b.stepsUsed += phase.stepsUsed
}
