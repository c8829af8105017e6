package explore

import (
	"context"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Minimisation in programs with many threads.
//
// Preemption-bounded DFS proves a schedule minimal level by level, but its
// bound 0 holds every order of the threads (switches at blocking points
// and exits are free): with eight threads that touch one variable, hundreds
// of thousands of executions, so the minimiser's caps run out inside bound 0
// and a schedule found by PCT or random walk, with several preemptions,
// would be returned as it is. Before that proof, Minimize therefore drops
// the schedule's preemptions one at a time (below), and then looks near
// the round-robin schedule: delay-bounded search (bound_delay.go) with
// bounds 0, 1, ..., each level a few hundred executions even with many
// threads, keeping the failing execution of fewest preemptions, then
// fewest steps, of the first level that has one. A schedule with d delays
// has at most d preemptions, so a bug that needs one preemption at a place
// the round-robin scheduler passes is found at bound 1. The proof then
// runs with what is left of the caps; when they end before it completes,
// the result is the best found, and the report says it is not proved
// minimal (FailureReport.Unproved).

// delayShare and dropShare are the parts of the minimiser's caps the
// delay-bounded phase and the dropping of preemptions may use (1/share
// of the runs and of the steps).
const (
	delayShare = 4
	dropShare  = 8
)

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

// Dropping preemptions (after Jalbert and Sen, FSE 2010): an execution is
// a list of blocks, maximal runs of one thread's steps; a block that ends
// while its thread could go on ends in a preemption. A guided replay runs
// the first unfinished block in the list whose thread can run, so that
// the list as it is replays the execution; dropping a preemption merges
// the preempted block with its thread's next one, so that the thread runs
// on through the steps it took there, and the other blocks keep their
// order. dropPreemptions tries each preemption of the best execution in
// turn and keeps the first replay that still fails with k and has fewer
// preemptions (or as many and fewer steps), until no drop improves it:
// about p executions per preemption removed, whatever the number of
// threads, where the failure is far from round robin.

// block is a maximal run of one thread's steps: end is the number of
// the thread's steps run when the block ends (-1: to the thread's end).
type block struct {
	t   sched.ThreadID
	end int
}

// blocksOf splits r's trace into blocks, and returns the indices of the
// blocks that end in a preemption.
func blocksOf(r *sched.Result) (bs []block, preempted []int) {
	ran := map[sched.ThreadID]int{}
	for i := range r.Trace {
		e := &r.Trace[i]
		if len(bs) == 0 || bs[len(bs)-1].t != e.Thread {
			if e.Preemption && len(bs) > 0 {
				preempted = append(preempted, len(bs)-1)
			}
			bs = append(bs, block{t: e.Thread})
		}
		ran[e.Thread]++
		bs[len(bs)-1].end = ran[e.Thread]
	}
	return bs, preempted
}

// dropped returns bs with block i merged with its thread's next block.
func dropped(bs []block, i int) []block {
	out := slices.Clone(bs)
	t := out[i].t
	for j := i + 1; j < len(out); j++ {
		if out[j].t == t {
			out[i].end = out[j].end
			return slices.Delete(out, j, j+1)
		}
	}
	out[i].end = -1
	return out
}

// guided is the Chooser of a guided replay: blocks in order, and each
// thread's draws as the execution it came from made them.
type guided struct {
	blocks []block
	ran    map[sched.ThreadID]int
	draws  map[sched.ThreadID][]int
}

func (g *guided) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		vals := g.draws[c.Current]
		if len(vals) == 0 || c.N <= 1 {
			return 0
		}
		g.draws[c.Current] = vals[1:]
		return min(vals[0], c.N-1)
	}
	t := c.Default()
	for _, b := range g.blocks {
		if (b.end < 0 || g.ran[b.t] < b.end) && slices.Contains(c.Options, b.t) {
			t = b.t
			break
		}
	}
	g.ran[t]++
	return c.Decision(t)
}

// drawRecorder replays decisions and records each thread's draws.
type drawRecorder struct {
	decisions []int
	i         int
	draws     map[sched.ThreadID][]int
}

func (d *drawRecorder) Choose(c *sched.Choice) int {
	if c.N <= 1 {
		return 0
	}
	v := 0
	if d.i < len(d.decisions) {
		v = d.decisions[d.i]
	}
	d.i++
	if c.Kind == sched.Draw {
		d.draws[c.Current] = append(d.draws[c.Current], v)
	}
	return v
}

// dropPreemptions improves best by dropping its preemptions one at a
// time within b (see above), and returns the best execution found.
func dropPreemptions(ctx context.Context, sc *sched.Scheduler, m Model, k sched.Kind, best *sched.Result, b *budget) *sched.Result {
	for improved := true; improved; {
		improved = false
		rec := &drawRecorder{decisions: best.Decisions, draws: map[sched.ThreadID][]int{}}
		b.used++
		b.stepsUsed += sc.Run(m.Program, rec).Steps
		bs, preempted := blocksOf(best)
		for _, i := range preempted {
			if b.exhausted(ctx) {
				return best
			}
			draws := map[sched.ThreadID][]int{}
			for t, v := range rec.draws {
				draws[t] = slices.Clone(v)
			}
			y := sc.Run(m.Program, &guided{blocks: dropped(bs, i), ran: map[sched.ThreadID]int{}, draws: draws})
			b.used++
			b.stepsUsed += y.Steps
			if hasKind(y, k) && !cutShort(y, k) && fewer(y, best) {
				best, improved = y.Clone(), true
				break
			}
		}
	}
	return best
}
