package explore_test

import (
	"context"
	"fmt"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The lost update: two threads increment a shared counter with a separate
// read and write. DPOR explores its 4 traces, finds the assertion, and
// reports a schedule with the single preemption the bug needs.
func ExampleExplore() {
	m := explore.Model{Name: "lost-update", Params: "n=2", Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		inc := func(t *sched.Thread) { x.Store(t, x.Load(t)+1) }
		a, b := main.Go("", inc), main.Go("", inc)
		main.Join(a)
		main.Join(b)
		main.Outcome("x=%d", x.Peek())
		main.Assert(x.Peek() == 2, "x=%d, want 2", x.Peek())
	}}
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true, NoRaces: true}
	rep, err := explore.Explore(context.Background(), m, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Verdict, rep.Complete, "traces", rep.Outcomes)
	f := rep.Failures[0]
	fmt.Println(f.Kind, "in", f.Count, "traces; minimal schedule:", f.Preemptions, "preemption,", f.Steps, "steps")
	r, _ := explore.Replay(m, f.Schedule, sched.Options{NoRaces: true})
	fmt.Println("replayed:", r.Failure.Message)
	// Output:
	// failed 4 traces [{x=1 2} {x=2 2}]
	// assertion in 2 traces; minimal schedule: 1 preemption, 10 steps
	// replayed: x=1, want 2
}
