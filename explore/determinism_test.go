package explore

import (
	"errors"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// leaky is a lost update whose main first yields once for every execution
// run before: Go state one execution leaves to the next, as a global
// random source or a package variable would be. No schedule replays.
func leaky() Model {
	calls := 0
	return Model{Name: "leaky", Program: func(main *sched.Thread) {
		calls++
		for range calls {
			main.Yield()
		}
		x := prims.NewVar(main, "x", 0)
		body := func(t *sched.Thread) { x.Store(t, x.Load(t)+1) }
		a, b := main.Go("a", body), main.Go("b", body)
		main.Join(a)
		main.Join(b)
		main.Assert(x.Peek() == 2, "x = %d", x.Peek())
	}}
}

// TestNondeterministicModelsAreNamed: random search does not replay its
// executions, so only replaying the failure's schedule before reporting
// it shows that the token is worthless; the report says so, with the step
// where the replay departed. Stateful search stops with the same words.
func TestNondeterministicModelsAreNamed(t *testing.T) {
	rep, err := Explore(t.Context(), leaky(), Config{Strategy: Random, Seed: 1, Runs: 200, Workers: 1, NoRaces: true, NoMinimize: true})
	if err != nil || len(rep.Failures) != 1 {
		t.Fatalf("random search: %v, %+v", err, rep)
	}
	want := "the model is not deterministic between steps: replaying the failure's schedule, step "
	if got := rep.Failures[0].NotDeterministic; !strings.HasPrefix(got, want) || !strings.Contains(got, "is MainThread yield, not") {
		t.Errorf("random search's failure says %q, want %q... naming MainThread's yield", got, want)
	}
	_, err = Explore(t.Context(), leaky(), Config{Strategy: Stateful, NoRaces: true})
	if !errors.Is(err, ErrNotDeterministic) || strings.Contains(err.Error(), "\n") {
		t.Errorf("stateful search: %v, want one line wrapping ErrNotDeterministic", err)
	}
	deterministic, err := Explore(t.Context(), lostUpdate(2, true), Config{Strategy: Random, Seed: 1, Runs: 200, Workers: 1, NoRaces: true})
	if err != nil || len(deterministic.Failures) == 0 || deterministic.Failures[0].NotDeterministic != "" {
		t.Errorf("a deterministic model: %v, %+v", err, deterministic.Failures)
	}
}

// TestDFSNamesAStepThatChanged: a model whose main thread's first step
// touches another object each execution, with the same threads enabled at
// every point, so only the events tell: depth-first search, replaying the
// path to its branch point (the race of a's and b's stores, after main's
// step), sees the replayed step differ from the one recorded there and
// stops with ErrNotDeterministic naming it (finishPrev).
func TestDFSNamesAStepThatChanged(t *testing.T) {
	calls := 0
	m := Model{Name: "shifty", Program: func(main *sched.Thread) {
		calls++
		x, y := prims.NewVar(main, "x", 0), prims.NewVar(main, "y", 0)
		if calls%2 == 0 {
			y.Store(main, 1)
		} else {
			x.Store(main, 1)
		}
		a := main.Go("a", func(t *sched.Thread) { x.Store(t, 2) })
		b := main.Go("b", func(t *sched.Thread) { x.Store(t, 3) })
		main.Join(a)
		main.Join(b)
	}}
	for _, strategy := range []string{DFS, ODPOR} {
		_, err := Explore(t.Context(), m, Config{Strategy: strategy, Preemptions: Unbounded, Workers: 1, NoRaces: true, NoMinimize: true})
		if !errors.Is(err, ErrNotDeterministic) || !strings.Contains(err.Error(), "step 0 (write) differs from an earlier execution with the same decisions") {
			t.Errorf("%s: %v, want ErrNotDeterministic naming main's store", strategy, err)
		}
	}
}

// readyFlag is a Waiter that is ready or not.
type readyFlag bool

func (f readyFlag) Ready(*sched.Thread) bool { return bool(f) }

// TestDFSNamesOptionsThatChanged: a model whose thread a is enabled from
// step 1 on in one execution and never in the next, with the same events
// up to the branch point (the race of main's and b's stores): depth-first
// search, replaying the path to that point, sees the enabled threads
// differ at step 1, where they first differ, and stops with
// ErrNotDeterministic naming that step (the scheduler compares the
// options of the steps it replays without asking the search).
func TestDFSNamesOptionsThatChanged(t *testing.T) {
	calls := 0
	m := Model{Name: "flaky", Program: func(main *sched.Thread) {
		calls++
		ready := calls%2 == 1
		x := prims.NewVar(main, "x", 0)
		main.Go("a", func(t *sched.Thread) { t.Step(sched.Op{Name: "wait", Wait: readyFlag(ready)}) })
		b := main.Go("b", func(t *sched.Thread) { x.Store(t, 1) })
		main.Yield()
		x.Store(main, 2)
		main.Join(b)
	}}
	for _, strategy := range []string{DFS, ODPOR} {
		calls = 0
		_, err := Explore(t.Context(), m, Config{Strategy: strategy, Preemptions: Unbounded, Workers: 1, NoRaces: true, NoMinimize: true})
		if !errors.Is(err, ErrNotDeterministic) || !strings.Contains(err.Error(), "at step 1, the enabled threads [0] differ from [0 1]") {
			t.Errorf("%s: %v, want ErrNotDeterministic naming step 1's options", strategy, err)
		}
	}
}
