package explore

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// Finished threads and their histories (sched.Thread.ForgetFinished).

// handOver is n threads that each read x, then write x+1 and keep what
// they read in a Go variable of their own; main joins them. With report,
// main's outcome is what each thread read, which its joiner may read
// after the join (sched/state.go); without it, only x's final value.
func handOver(n int, report, forget bool) Model {
	return Model{Name: "hand-over", Params: fmt.Sprint(n, report, forget), Program: func(main *sched.Thread) {
		if forget {
			main.ForgetFinished()
		}
		x := prims.NewVar(main, "x", 0)
		read := make([]int, n) // read[i] is written by thread i only
		bodies := make([]func(*sched.Thread), n)
		for i := range bodies {
			bodies[i] = func(t *sched.Thread) {
				read[i] = x.Load(t)
				x.Store(t, read[i]+1)
			}
		}
		spawnJoin(main, bodies...)
		if report {
			main.Outcome("read %v, x=%d", read, x.Load(main))
		} else {
			main.Outcome("x=%d", x.Load(main))
		}
	}}
}

// TestJoinerReadsJoinedValues: a joiner may read what the threads it
// joined wrote to Go variables, so a finished thread keeps its history
// in the state unless the model declares ForgetFinished: stateful search
// then finds every outcome naive DFS finds. Declaring it while main reads
// those values breaks the model's contract, and the search loses
// outcomes: the test would fail if histories were dropped without the
// declaration. A model that reads nothing of them loses nothing with it,
// and stores fewer states.
func TestJoinerReadsJoinedValues(t *testing.T) {
	cfg := stateful()
	cfg.NoRaces = true
	exact := cfg
	exact.ExactStates = true
	nv := naive()
	nv.NoRaces = true
	want := outcomeSet(explore(t, handOver(3, true, false), nv))
	for _, c := range []Config{cfg, exact} {
		if got := outcomeSet(explore(t, handOver(3, true, false), c)); got != want {
			t.Errorf("exact %v: stateful finds\n%s\nnaive DFS finds\n%s", c.ExactStates, got, want)
		}
	}
	if broken := outcomeSet(explore(t, handOver(3, true, true), cfg)); broken == want {
		t.Errorf("ForgetFinished while main reads what the threads read: stateful still finds every outcome (%s)", want)
	}
	kept := explore(t, handOver(4, false, false), cfg)
	dropped := explore(t, handOver(4, false, true), cfg)
	if outcomeSet(kept) != outcomeSet(dropped) || dropped.States >= kept.States {
		t.Errorf("ForgetFinished, nothing read: %d states, %s; without it %d states, %s",
			dropped.States, outcomeSet(dropped), kept.States, outcomeSet(kept))
	}
	t.Logf("hand-over n=4, nothing read: %d states with ForgetFinished, %d without", dropped.States, kept.States)
}

// TestForgetFinishedMatchesNaive: on generated programs whose threads
// hand nothing over outside primitives (main's outcome is the variables'
// final values) and which declare ForgetFinished, stateful search finds
// the outcomes and failure kinds of naive DFS.
func TestForgetFinishedMatchesNaive(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		nvars, nlocks, threads, daemon := genProgram(rt)
		m := Model{Name: "generated-forget", Params: fmt.Sprint(threads, daemon), Program: func(main *sched.Thread) {
			main.ForgetFinished()
			vs := make([]*prims.Var[int], nvars)
			for i := range vs {
				vs[i] = prims.NewVar(main, fmt.Sprintf("v%d", i), 0)
			}
			ls := make([]*prims.Lock, nlocks)
			for i := range ls {
				ls[i] = prims.NewLock(main, fmt.Sprintf("L%d", i))
			}
			ev := prims.NewEvent(main, "E")
			var bodies []func(*sched.Thread)
			for i, ops := range threads {
				body := func(t *sched.Thread) {
					var seen []int // the thread's own: nobody else reads it
					runGenOps(t, ops, vs, ls, ev, &seen, nil)
				}
				if i == daemon {
					main.GoDaemon("", body)
				} else {
					bodies = append(bodies, body)
				}
			}
			spawnJoin(main, bodies...)
			var b strings.Builder
			for _, v := range vs {
				fmt.Fprint(&b, " ", v.Load(main))
			}
			main.Outcome("final%s", b.String())
		}}
		oracle := smallOracle(t, rt, m, 1000)
		want := outcomeSet(oracle)
		if got := explore(t, m, stateful()); outcomeSet(got) != want || got.Verdict != oracle.Verdict {
			rt.Fatalf("stateful finds %s (%s)\nnaive DFS finds %s (%s)", outcomeSet(got), got.Verdict, want, oracle.Verdict)
		}
	})
}
