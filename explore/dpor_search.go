package explore

import (
	"context"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// budget is a run, step and wall-time limit shared by the levels of a
// search.
type budget struct {
	runs      int // 0: none
	steps     int // 0: none
	deadline  time.Time
	used      int
	stepsUsed int
	// take, when set, reserves one execution of a budget the workers
	// share before it runs (false: none is left), so that W workers stop
	// at the budget and not up to W-1 executions past it.
	take func() bool
}

// newBudget returns the run and time budget of cfg, starting now.
func newBudget(cfg Config) *budget {
	b := &budget{runs: cfg.Runs}
	if cfg.Time > 0 {
		b.deadline = time.Now().Add(cfg.Time)
	}
	return b
}

func (b *budget) exhausted(ctx context.Context) bool {
	return (b.runs > 0 && b.used >= b.runs) || (b.steps > 0 && b.stepsUsed >= b.steps) || ctx.Err() != nil ||
		(!b.deadline.IsZero() && time.Now().After(b.deadline))
}

// search runs d to its end, or until visit returns true or the budget is
// exhausted; it reports whether the whole tree was explored.
func (d *dfs) search(ctx context.Context, sc *sched.Scheduler, p sched.Program, b *budget,
	visit func(r *sched.Result, blocked bool) (stop bool)) (finished bool, err error) {
	for {
		if b.take != nil && !b.take() {
			return false, nil
		}
		r := sc.Run(p, d)
		d.finishPrev(sc)
		d.markEnd(r)
		b.used++
		b.stepsUsed += r.Steps
		if d.err != nil {
			return false, d.err
		}
		if d.mode == modeODPOR && sc.CreationsRace() {
			return false, errCreationsRace
		}
		if d.mode == modeODPOR && !odporOnClock && usesClock(r.Trace) {
			return false, errTimed
		}
		if d.mode == modeODPOR && !odporOnClock && d.weakerStep() {
			return false, errWeaker
		}
		if d.mode == modeDPOR || d.mode == modeODPOR {
			d.analyze(sc, r)
		}
		if visit(r, d.blocked) {
			return false, nil
		}
		if !d.nextBranch() {
			return true, nil
		}
		if b.exhausted(ctx) {
			return false, nil
		}
	}
}

// runDFS explores m exhaustively (DPOR or naive) or with a preemption
// bound, possibly iteratively, on one worker, feeding the collector. It
// reports whether the search was exhaustive.
func runDFS(ctx context.Context, m Model, cfg Config, col *collector) (bool, error) {
	sc := sched.New(cfg.options())
	defer sc.Close()
	b := newBudget(cfg)
	md := dfsMode(cfg)
	if md != modeSleep && cfg.Preemptions < 0 {
		return dfsLevel(ctx, sc, m, col, b, newDFS(md, Unbounded))
	}
	lo := cfg.Preemptions
	if cfg.Iterative {
		lo = 0
	}
	for bound := lo; cfg.Preemptions < 0 || bound <= cfg.Preemptions; bound++ {
		col.rep.Bound = bound
		col.resetOutcomes()
		d := newDFS(md, bound)
		finished, err := dfsLevel(ctx, sc, m, col, b, d)
		if err != nil || !finished || col.failed() {
			return false, err
		}
		if d.cuts == 0 {
			return true, nil
		}
	}
	return false, nil
}

// dfsLevel runs one search and reports whether it explored its whole tree
// (d.cuts says whether a bound cut it).
func dfsLevel(ctx context.Context, sc *sched.Scheduler, m Model, col *collector, b *budget, d *dfs) (bool, error) {
	col.rep.Complete, col.rep.SleepBlocked = 0, 0
	finished, err := d.search(ctx, sc, m.Program, b, func(r *sched.Result, blocked bool) bool {
		run := col.rep.Executions
		if blocked {
			col.rep.SleepBlocked++
			return col.add(run, execution{steps: r.Steps}, false)
		}
		col.rep.Complete++
		return col.add(run, summarize(r), true)
	})
	col.rep.Cut += d.cuts
	col.rep.Budget = col.rep.Budget || (!finished && err == nil && b.exhausted(ctx))
	return finished, err
}
