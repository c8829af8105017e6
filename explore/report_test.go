package explore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// TestKeepGoingCountsBothKinds: the unlocked counter both races and fails
// its assertion; KeepGoing counts each kind's failing executions.
func TestKeepGoingCountsBothKinds(t *testing.T) {
	rep := explore(t, lostUpdate(2, true), Config{Strategy: DFS, Preemptions: Unbounded, KeepGoing: true})
	if rep.Verdict != Failed || rep.Complete != 4 || len(rep.Failures) != 2 {
		t.Fatalf("verdict %s, %d complete, failures %+v", rep.Verdict, rep.Complete, rep.Failures)
	}
	as, dr := rep.Failures[0], rep.Failures[1]
	if as.Kind != sched.Assertion || as.Count != 2 || dr.Kind != sched.DataRace || dr.Count != 4 {
		t.Errorf("failures %v×%d, %v×%d; want assertion×2 (the two lost updates), data-race×4", as.Kind, as.Count, dr.Kind, dr.Count)
	}
	want := []OutcomeCount{{"x=1", 2}, {"x=2", 2}}
	if len(rep.Outcomes) != 2 || rep.Outcomes[0] != want[0] || rep.Outcomes[1] != want[1] {
		t.Errorf("outcomes %v, want %v", rep.Outcomes, want)
	}
}

func TestStopsAtFirstFailure(t *testing.T) {
	rep := explore(t, lostUpdate(3, true), Config{Strategy: DFS, Preemptions: Unbounded, NoRaces: true})
	if rep.Verdict != Failed || rep.Failures[0].Count != 1 || rep.Executions != rep.Failures[0].Run+1 {
		t.Errorf("verdict %s after %d executions, failure %+v", rep.Verdict, rep.Executions, rep.Failures[0])
	}
}

func TestBudgetMakesBounded(t *testing.T) {
	rep := explore(t, lockInc(4), Config{Strategy: DFS, Preemptions: Unbounded, Runs: 5})
	if rep.Verdict != Bounded || !rep.Budget || rep.Executions != 5 {
		t.Errorf("verdict %s, budget %v, %d executions", rep.Verdict, rep.Budget, rep.Executions)
	}
	rep = explore(t, lockInc(3), Config{Strategy: DFS, Preemptions: 0})
	if rep.Verdict != Bounded || rep.Cut == 0 || rep.Bound != 0 {
		t.Errorf("bound 0: verdict %s, %d cut", rep.Verdict, rep.Cut)
	}
	rep = explore(t, lockInc(3), Config{Strategy: DFS, Preemptions: Unbounded, Iterative: true})
	if rep.Verdict != Complete || rep.Cut == 0 {
		t.Errorf("iterative: verdict %s at bound %d, %d cut", rep.Verdict, rep.Bound, rep.Cut)
	}
	t.Logf("lockinc(3) iterative: complete at bound %d after %d executions", rep.Bound, rep.Executions)
	rep = explore(t, lockInc(3), Config{Strategy: Random, Runs: 50})
	if rep.Verdict != Bounded || rep.Executions != 50 {
		t.Errorf("random: verdict %s, %d executions", rep.Verdict, rep.Executions)
	}
}

func TestProgressIsCalled(t *testing.T) {
	var calls []Progress
	cfg := Config{Strategy: Random, Runs: 100, Progress: func(p Progress) { calls = append(calls, p) }, ProgressEvery: time.Nanosecond}
	if _, err := Explore(context.Background(), lockInc(2), cfg); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 || !calls[len(calls)-1].Done || calls[len(calls)-1].Executions != 100 {
		t.Errorf("%d progress calls, last %+v", len(calls), calls[len(calls)-1])
	}
}

func TestUnknownStrategy(t *testing.T) {
	if _, err := Explore(context.Background(), lockInc(2), Config{Strategy: "sideways"}); err == nil {
		t.Error("no error for an unknown strategy")
	}
}

// TestNondeterministicModel: a model whose threads depend on state kept
// across executions is reported, not explored wrongly.
func TestNondeterministicModel(t *testing.T) {
	runs := 0
	m := Model{Name: "nondet", Program: func(main *sched.Thread) {
		runs++
		x := prims.NewVar(main, "x", 0)
		y := prims.NewVar(main, "y", 0)
		a := main.Go("", func(t *sched.Thread) { x.Store(t, 1) })
		b := main.Go("", func(t *sched.Thread) {
			if runs%2 == 0 {
				y.Store(t, 1)
			} else {
				t.Yield()
			}
			x.Store(t, 2)
		})
		x.Store(main, 3)
		main.Join(a)
		main.Join(b)
	}}
	rep, err := Explore(context.Background(), m, Config{Strategy: DFS, Preemptions: Unbounded, NoRaces: true})
	if rep != nil {
		t.Logf("%d executions", rep.Executions)
	}
	if err == nil || !strings.Contains(err.Error(), "not deterministic") {
		t.Errorf("err = %v, want a nondeterminism report", err)
	}
}

// TestPCTHitRate (DPOR-NOTES §8.6): on the lost update, PCT with d = 2
// finds the bug in at least 1/(n·k) of its runs, n counting the threads.
func TestPCTHitRate(t *testing.T) {
	rep := explore(t, lostUpdate(2, true), Config{Strategy: PCT, Depth: 2, Seed: 5, Runs: 2000, KeepGoing: true, NoRaces: true, NoMinimize: true})
	hits := rep.Failures[0].Count
	n, k := 3, rep.K
	t.Logf("PCT d=2: %d of %d runs fail, k=%d, bound 1/(n·k)=%.4f", hits, rep.Executions, k, 1/float64(n*k))
	if float64(hits)/float64(rep.Executions) < 1/float64(n*k) {
		t.Errorf("hit rate %d/%d below 1/(%d·%d)", hits, rep.Executions, n, k)
	}
}
