package explore

import (
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// farReorder is SCTBench's reorder as published: n-1 setters each write
// a = 1 then b = -1, and a checker started last asserts that it read both
// before or both after. It fails only when the checker runs inside the
// first setter's pair, or a setter inside the checker's pair: one
// preemption, but the round-robin scheduler reaches the checker after
// every setter, so that the failure is n-1 delays from it.
func farReorder(n int) Model {
	return Model{Name: "far-reorder", Params: fmt.Sprintf("n=%d", n), Program: func(main *sched.Thread) {
		a, b := prims.NewAtomic(main, "a", 0), prims.NewAtomic(main, "b", 0)
		var bodies []func(*sched.Thread)
		for range n - 1 {
			bodies = append(bodies, func(t *sched.Thread) {
				a.Store(t, 1)
				b.Store(t, -1)
			})
		}
		bodies = append(bodies, func(t *sched.Thread) {
			va, vb := a.Load(t), b.Load(t)
			t.Assert((va == 0 && vb == 0) || (va == 1 && vb == -1), "read a = %d, b = %d", va, vb)
		})
		spawnJoin(main, bodies...)
	}}
}

// TestMinimizeDropsPreemptions: PCT (depth 5, seed 3) finds farReorder's
// failure with 20 threads in a schedule of 4 preemptions, which the
// minimiser brings to one by dropping preemptions: the search near round
// robin cannot reach it (19 delays away) and the preemption-bounded proof
// ends its caps inside bound 0, so without the drops it stays at 4.
func TestMinimizeDropsPreemptions(t *testing.T) {
	if raceEnabled {
		t.Skip("a minimisation of 2,000 executions of 20 threads: too slow under the race detector")
	}
	rep := explore(t, farReorder(20), Config{Strategy: PCT, Depth: 5, Seed: 3, Runs: 3000, Workers: 1,
		MinimizeRuns: DefaultMinimizeRuns / 10})
	if rep.Verdict != Failed {
		t.Fatalf("PCT did not find the failure in %d executions", rep.Executions)
	}
	f := rep.Failures[0]
	t.Logf("found in %d executions with %d preemptions; minimised to %d preemptions, %d steps (unproved %v)",
		rep.Executions, f.FirstPreemptions, f.Preemptions, f.Steps, f.Unproved)
	if f.FirstPreemptions <= 1 || f.Preemptions != 1 || !f.Unproved {
		t.Errorf("%d preemptions minimised to %d (unproved %v), want more than 1 to 1, not proved",
			f.FirstPreemptions, f.Preemptions, f.Unproved)
	}
}

// TestGuidedReplayFollowsBlocks: a guided replay of an execution's blocks,
// none dropped, takes the execution's decisions, draws included.
func TestGuidedReplayFollowsBlocks(t *testing.T) {
	sc := sched.New(sched.Options{})
	defer sc.Close()
	for _, m := range []Model{farReorder(5), lostUpdate(3, true), philosophers(3, false), clockYield()} {
		for seed := range uint64(20) {
			r := sc.Run(m.Program, sched.NewRandomChooser(seed)).Clone()
			rec := &drawRecorder{decisions: r.Decisions, draws: map[sched.ThreadID][]int{}}
			sc.Run(m.Program, rec)
			bs, _ := blocksOf(r)
			g := sc.Run(m.Program, &guided{blocks: bs, ran: map[sched.ThreadID]int{}, draws: rec.draws})
			if fmt.Sprint(g.Decisions) != fmt.Sprint(r.Decisions) {
				t.Fatalf("%s seed %d: guided replay took %v, the execution %v", m.Name, seed, g.Decisions, r.Decisions)
			}
		}
	}
}
