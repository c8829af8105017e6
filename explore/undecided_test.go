package explore

import (
	"context"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// spinOnFlag is a correct program whose executions need not end: a
// worker spins, yielding, until main sets a flag. Under a fair scheduler
// it ends; an unfair schedule that never runs main again spins for ever.
func spinOnFlag() Model {
	return Model{Name: "spin-until-set", Program: func(main *sched.Thread) {
		flag := prims.NewAtomic(main, "flag", false)
		w := main.Go("spinner", func(t *sched.Thread) {
			for !flag.Load(t) {
				t.Checkpoint("spin") // the loop's head, for stateful search
				t.Yield()
			}
		})
		flag.Store(main, true)
		main.Join(w)
		main.Outcome("ended")
	}}
}

// TestStepLimitIsUndecidedNotAFailure: a stateless search that meets an
// execution which does not end within the step limit reports the
// Undecided verdict, keeps that execution apart from the failures and
// hands nothing to OnFailure (issue 16, item 2: an unfair schedule is no
// failure of the program); stateful search decides the same model: it
// passes.
func TestStepLimitIsUndecidedNotAFailure(t *testing.T) {
	for _, strategy := range []string{DFS, PCT} {
		announced := 0
		cfg := Config{Strategy: strategy, Preemptions: Unbounded, Seed: 1, Workers: 1, Runs: 200, MaxSteps: 300,
			OnFailure: func(FailureReport) { announced++ }}
		rep, err := Explore(context.Background(), spinOnFlag(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Verdict != Undecided || len(rep.Failures) != 0 || announced != 0 {
			t.Fatalf("%s: verdict %q, failures %+v, %d announced; want undecided, none", strategy, rep.Verdict, rep.Failures, announced)
		}
		u := rep.Undecided
		if u == nil || u.Kind != sched.StepLimit || u.Steps != cfg.MaxSteps {
			t.Fatalf("%s: undecided %+v, want the step-limit execution of %d steps", strategy, u, cfg.MaxSteps)
		}
		r, err := Replay(spinOnFlag(), u.Schedule, sched.Options{MaxSteps: cfg.MaxSteps})
		if err != nil || r.Failure == nil || r.Failure.Kind != sched.StepLimit {
			t.Fatalf("%s: the undecided schedule replays to %v, %v; want the step limit", strategy, r.Failure, err)
		}
	}
	rep, err := Explore(context.Background(), spinOnFlag(), Config{Strategy: Stateful, MaxSteps: 300})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != Complete || rep.Undecided != nil {
		t.Fatalf("stateful: verdict %q, failures %+v; want complete", rep.Verdict, rep.Failures)
	}
}

// TestStepLimitBesideAFailureFails: a real failure found with an
// undecided execution makes the verdict Failed; the undecided execution
// is still reported apart.
func TestStepLimitBesideAFailureFails(t *testing.T) {
	m := spinOnFlag()
	spin := m.Program
	m.Program = func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		main.Go("writer", func(t *sched.Thread) { x.Store(t, 1) })
		main.Assert(x.Load(main) == 0, "x was written first")
		spin(main)
	}
	rep, err := Explore(context.Background(), m, Config{Strategy: DFS, Preemptions: Unbounded, KeepGoing: true, NoRaces: true, MaxSteps: 300, NoMinimize: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != Failed || len(rep.Failures) != 1 || rep.Failures[0].Kind != sched.Assertion || rep.Undecided == nil {
		t.Fatalf("verdict %q, failures %+v, undecided %v; want failed by the assertion, and undecided", rep.Verdict, rep.Failures, rep.Undecided != nil)
	}
}

// countForever is a program with no bound on its states: a worker
// counts for ever in a Var; stateful search meets no repeated state, so
// its executions stop at the step limit.
func countForever() Model {
	return Model{Name: "count-forever", Program: func(main *sched.Thread) {
		n := prims.NewVar(main, "n", 0)
		main.Join(main.Go("", func(t *sched.Thread) {
			for {
				n.Store(t, n.Load(t)+1)
			}
		}))
	}}
}

// TestStatefulStepLimitIsUndecided: a stateful or BFS search that stops
// a path at the step limit (its states never repeat) reports it as
// undecided too, not as a failure of the program.
func TestStatefulStepLimitIsUndecided(t *testing.T) {
	for _, strategy := range []string{Stateful, BFS} {
		rep, err := Explore(context.Background(), countForever(), Config{Strategy: strategy, MaxSteps: 200})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Verdict != Undecided || len(rep.Failures) != 0 || rep.Undecided == nil || rep.Undecided.Kind != sched.StepLimit {
			t.Fatalf("%s: verdict %q, failures %+v, undecided %v; want undecided", strategy, rep.Verdict, rep.Failures, rep.Undecided)
		}
	}
}
