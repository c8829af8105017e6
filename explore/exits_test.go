package explore

import (
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// aliveAfterStart: main starts B, which returns at once, then A, which
// asks whether B is alive: B's exit may come before or after.
func aliveAfterStart() Model {
	return Model{Name: "alive-after-start", Program: func(main *sched.Thread) {
		var alive bool
		b := main.Go("B", func(*sched.Thread) {})
		a := main.Go("A", func(t *sched.Thread) { alive = t.IsAlive(b) })
		main.Join(a)
		main.Join(b)
		main.Outcome("alive=%v", alive)
	}}
}

// pollBeforeStart: A polls B (a join with timeout 0) from before B starts
// to after: B's exit becomes pending under A's pending step.
func pollBeforeStart() Model {
	return Model{Name: "poll-before-start", Program: func(main *sched.Thread) {
		var alive bool
		b := main.NewThread(sched.ThreadSpec{Name: "B"}, func(*sched.Thread) {})
		a := main.Go("A", func(t *sched.Thread) {
			t.JoinTimeout(b, 0)
			alive = t.IsAlive(b)
		})
		main.Start(b)
		main.Join(a)
		main.Join(b)
		main.Outcome("alive=%v", alive)
	}}
}

// daemonCut: main starts a daemon that fails after a yield, and returns:
// main's exit ends the program, before or after the daemon fails. (An
// exit that ends the program also ends the execution right after the
// ample step, whose state settleAmple then expands: the restart is not
// what finds the failure here, but a daemon does set ExitsSeen.)
func daemonCut() Model {
	return Model{Name: "daemon-cut", Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		main.GoDaemon("D", func(t *sched.Thread) {
			t.Yield()
			t.Assert(x.Load(t) != 0, "D ran")
		})
	}}
}

// TestAmpleExitsKeepEveryOutcome: stateful search takes a non-daemon
// thread's exit alone only until an execution observes an exit otherwise
// than by joining (is_alive, a poll) or runs a daemon; then it starts
// again without doing so, and finds naive DFS's outcomes. Without the
// restart (mutExitsUnseen), the models that observe an exit lose one.
func TestAmpleExitsKeepEveryOutcome(t *testing.T) {
	for _, m := range []Model{aliveAfterStart(), pollBeforeStart(), daemonCut()} {
		t.Run(m.Name, func(t *testing.T) {
			want := outcomeSet(explore(t, m, naive()))
			got := explore(t, m, stateful())
			if outcomeSet(got) != want || !got.ExitsSeen {
				t.Errorf("stateful finds %s (exits seen: %v), naive DFS %s", outcomeSet(got), got.ExitsSeen, want)
			}
			if m.Name == "daemon-cut" {
				return
			}
			mutExitsUnseen = true
			defer func() { mutExitsUnseen = false }()
			if got := outcomeSet(explore(t, m, stateful())); got == want {
				t.Errorf("without the restart, stateful still finds %s: the test cannot fail", got)
			}
		})
	}
}

// TestAmpleExitsStoreFewerStates: on the lost update, whose threads are
// only joined, the exits are taken alone (no restart) and the search
// stores fewer states than without (ExitsSeen forced), with the same
// outcomes.
func TestAmpleExitsStoreFewerStates(t *testing.T) {
	cfg := stateful()
	cfg.NoRaces = true
	m := lostUpdate(4, false)
	reduced := explore(t, m, cfg)
	cfg.exitsSeen = true
	kept := explore(t, m, cfg)
	if reduced.ExitsSeen || outcomeSet(reduced) != outcomeSet(kept) || reduced.States >= kept.States {
		t.Fatalf("exits alone: %d states, %s (exits seen: %v); exits expanded: %d states, %s",
			reduced.States, outcomeSet(reduced), reduced.ExitsSeen, kept.States, outcomeSet(kept))
	}
	t.Logf("lost update n=4: %d states with exits alone, %d without", reduced.States, kept.States)
}
