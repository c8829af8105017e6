package explore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// TestRoundRobinOrder: the options in the round-robin scheduler's order,
// by hand: the thread whose turn it is, the threads after it, those before
// it, and the clock last; a thread that passed the turn comes after the
// others.
func TestRoundRobinOrder(t *testing.T) {
	clk := sched.ClockID
	for _, tc := range []struct {
		options []sched.ThreadID
		turn    sched.ThreadID
		passed  bool
		want    []sched.ThreadID
	}{
		{[]sched.ThreadID{0, 1, 2}, sched.NoThread, false, []sched.ThreadID{0, 1, 2}},
		{[]sched.ThreadID{0, 1, 2, 3}, 2, false, []sched.ThreadID{2, 3, 0, 1}},
		{[]sched.ThreadID{0, 1, 3}, 2, false, []sched.ThreadID{3, 0, 1}}, // 2 blocked: the next after it
		{[]sched.ThreadID{0, 1, 2, 3}, 2, true, []sched.ThreadID{3, 0, 1, 2}},
		{[]sched.ThreadID{1, 3, clk}, 3, false, []sched.ThreadID{3, 1, clk}},
		{[]sched.ThreadID{clk}, 3, false, []sched.ThreadID{clk}},
		{[]sched.ThreadID{0, 4, clk}, 2, true, []sched.ThreadID{4, 0, clk}},
	} {
		got := roundRobin(nil, &sched.Choice{Options: tc.options}, tc.turn, tc.passed)
		if !slices.Equal(got, tc.want) {
			t.Errorf("options %v, turn %v, passed %v: order %v, want %v", tc.options, tc.turn, tc.passed, got, tc.want)
		}
	}
}

// delayMeter replays decisions and counts the delays they take: the
// position of each chosen thread in the round-robin order.
type delayMeter struct {
	decisions []int
	i, delays int
	turn      sched.ThreadID
}

func (d *delayMeter) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		if c.N <= 1 {
			return 0
		}
		d.i++
		return d.decisions[d.i-1]
	}
	ring := roundRobin(nil, c, d.turn, passesTurn(c.Sched, d.turn))
	dec := 0
	if c.N > 1 {
		dec = d.decisions[d.i]
		d.i++
	}
	t := c.Pick(dec)
	d.delays += slices.Index(ring, t)
	if t != sched.ClockID {
		d.turn = t
	}
	return dec
}

// clockYield has a deadline (a sleep), a yield, a timed acquire and a
// random draw: every way the clock, passing the turn and data enter a
// schedule.
func clockYield() Model {
	return Model{Name: "clock-yield", Program: func(main *sched.Thread) {
		x := prims.NewAtomic(main, "x", 0)
		l := prims.NewLock(main, "l")
		spawnJoin(main,
			func(t *sched.Thread) {
				l.Acquire(t)
				t.Sleep(10 * time.Millisecond)
				l.Release(t)
			},
			func(t *sched.Thread) {
				t.Yield()
				if l.AcquireTimeout(t, 5*time.Millisecond) {
					l.Release(t)
				}
				x.Store(t, t.Random(2))
			})
		main.Outcome("x=%d", x.Load(main))
	}}
}

// TestDelayBoundAgainstNaive: delay-bounded search with bound K runs
// exactly the schedules of every interleaving (naive DFS) whose delays,
// counted independently by replaying them, add up to at most K, each
// once; and bound 0 is one execution (one per value of a draw).
func TestDelayBoundAgainstNaive(t *testing.T) {
	for _, m := range []Model{lostUpdate(2, false), lockInc(2), philosophers(2, false), clockYield()} {
		sc := sched.New(sched.Options{})
		var all [][]int
		_, err := newDFS(modeNaive, Unbounded).search(context.Background(), sc, m.Program, &budget{},
			func(r *sched.Result, _ bool) bool { all = append(all, slices.Clone(r.Decisions)); return false })
		if err != nil {
			t.Fatal(err)
		}
		delays := make([]int, len(all))
		for i, ds := range all {
			meter := &delayMeter{decisions: ds, turn: sched.NoThread}
			sc.Run(m.Program, meter)
			delays[i] = meter.delays
		}
		for bound := range 4 {
			want := map[string]bool{}
			for i, ds := range all {
				if delays[i] <= bound {
					want[fmt.Sprint(ds)] = true
				}
			}
			got := map[string]bool{}
			runs := 0
			_, err := newDelaySearch(bound).search(context.Background(), sc, m.Program, &budget{}, func(r *sched.Result) bool {
				runs++
				got[fmt.Sprint(r.Decisions)] = true
				return false
			})
			if err != nil {
				t.Fatal(err)
			}
			if runs != len(got) || len(got) != len(want) || (bound == 0 && m.Name != "clock-yield" && runs != 1) {
				t.Errorf("%s bound %d: %d runs, %d distinct schedules, want %d", m.Name, bound, runs, len(got), len(want))
			}
			for s := range want {
				if !got[s] {
					t.Errorf("%s bound %d: schedule %s (within the bound) not explored", m.Name, bound, s)
					break
				}
			}
			t.Logf("%s bound %d: %d of %d interleavings", m.Name, bound, runs, len(all))
		}
		sc.Close()
	}
}

// TestIterativeDelayVerdicts: iterative delay bounding ends complete when
// a level cuts nothing, bounded with the bound it reached when the budget
// ends, and failed at the first bound with a failure; a fixed bound that
// cuts is bounded.
func TestIterativeDelayVerdicts(t *testing.T) {
	rep := explore(t, lockInc(2), Config{Strategy: Delay, Delays: Unbounded, Iterative: true})
	if rep.Verdict != Complete || rep.Cut == 0 {
		t.Errorf("lockinc(2): %s at bound %d with %d cuts, want complete after cutting lower levels", rep.Verdict, rep.Bound, rep.Cut)
	}
	rep = explore(t, lockInc(4), Config{Strategy: Delay, Delays: Unbounded, Iterative: true, Runs: 50})
	if rep.Verdict != Bounded || !rep.Budget || rep.Bound != 2 || rep.Executions != 50 {
		t.Errorf("lockinc(4), 50 runs: %s at bound %d after %d executions, want bounded at bound 2 after 50",
			rep.Verdict, rep.Bound, rep.Executions)
	}
	rep = explore(t, lockInc(3), Config{Strategy: Delay, Delays: 1})
	if rep.Verdict != Bounded || rep.Budget || rep.Cut == 0 || rep.Bound != 1 {
		t.Errorf("lockinc(3), bound 1: %s at bound %d, budget %v, %d cuts", rep.Verdict, rep.Bound, rep.Budget, rep.Cut)
	}
	rep = explore(t, lostUpdate(3, true), Config{Strategy: Delay, Delays: Unbounded, Iterative: true, NoRaces: true})
	if rep.Verdict != Failed || rep.Bound != 1 || rep.Failures[0].Preemptions != 1 {
		t.Errorf("lost update: %s at bound %d, want failed at bound 1 with 1 preemption", rep.Verdict, rep.Bound)
	}
}

// TestDelayReportsAreDeterministic: the same model gives the same report,
// failure token included.
func TestDelayReportsAreDeterministic(t *testing.T) {
	cfg := Config{Strategy: Delay, Delays: Unbounded, Iterative: true, NoRaces: true, KeepGoing: true, Runs: 300}
	a, b := explore(t, lostUpdate(3, true), cfg), explore(t, lostUpdate(3, true), cfg)
	if a.Executions != b.Executions || a.Failures[0].Token != b.Failures[0].Token || a.Failures[0].Count != b.Failures[0].Count {
		t.Errorf("two runs differ: %d/%s/%d against %d/%s/%d", a.Executions, a.Failures[0].Token, a.Failures[0].Count,
			b.Executions, b.Failures[0].Token, b.Failures[0].Count)
	}
}

// TestMinimizeSaysWhenUnproved: the lost update's minimisation proves its
// one-preemption schedule minimal with the default caps, and says it did
// not when a cap of one execution's steps stops it first.
func TestMinimizeSaysWhenUnproved(t *testing.T) {
	cfg := Config{Strategy: Random, Seed: 7, Runs: 1000, NoRaces: true}
	f := explore(t, lostUpdate(3, true), cfg).Failures[0]
	if f.Preemptions != 1 || f.Unproved {
		t.Errorf("default caps: %d preemptions, unproved %v; want 1, proved", f.Preemptions, f.Unproved)
	}
	cfg.MinimizeSteps = 1
	if f := explore(t, lostUpdate(3, true), cfg).Failures[0]; !f.Unproved {
		t.Errorf("one execution's steps: %d preemptions, reported as proved minimal", f.Preemptions)
	}
}
