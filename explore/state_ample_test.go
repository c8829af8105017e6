package explore

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// yieldThenNow: A yields and then reads the clock; B sleeps 1 s. A's
// yield is invisible, but the local code after it reads the time, which
// B's deadline firing changes: A sees 0 s or 1 s.
func yieldThenNow() Model {
	return Model{Name: "yield-then-now", Program: func(main *sched.Thread) {
		var seen time.Duration
		a := main.Go("A", func(t *sched.Thread) { t.Yield(); seen = t.Now() })
		b := main.Go("B", func(t *sched.Thread) { t.Sleep(time.Second) })
		main.Join(a)
		main.Join(b)
		main.Outcome("A saw %v", seen)
	}}
}

// spinBesideFailure: A spins on yields forever, its loop state declared
// with Checkpoint; B reads a variable, then fails an assertion. Once main
// has started both (starts are invisible too), every state has A's
// invisible yield: without the cycle proviso, the search would follow A
// around its loop and never run B.
func spinBesideFailure() Model {
	return Model{Name: "spin-beside-failure", Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		main.Go("A", func(t *sched.Thread) {
			for {
				t.Checkpoint("spin")
				t.Yield()
			}
		})
		main.Go("B", func(t *sched.Thread) { t.Assert(x.Load(t) != 0, "B ran") })
	}}
}

// TestAmpleSetsKeepEveryOutcome: stateful search with ample sets finds the
// outcomes of naive DFS on models whose invisible steps reach further
// (the clock) or loop, and each check of state_ample.go, turned off, loses one.
func TestAmpleSetsKeepEveryOutcome(t *testing.T) {
	cases := []struct {
		m    Model
		want string
		mut  *bool
	}{
		{yieldThenNow(), "[A saw 0s][A saw 1s]", &mutAmpleNoCheck},
		{spinBesideFailure(), "[<assertion>] !assertion", &mutAmpleNoC3},
	}
	for _, c := range cases {
		t.Run(c.m.Name, func(t *testing.T) {
			if got := outcomeSet(explore(t, c.m, stateful())); got != c.want {
				t.Errorf("stateful finds %q, want %q", got, c.want)
			}
			*c.mut = true
			defer func() { *c.mut = false }()
			if got := outcomeSet(explore(t, c.m, stateful())); got == c.want {
				t.Errorf("with the check off, stateful still finds %q: the test cannot fail", got)
			}
		})
	}
}

// TestAmpleSetsStoreFewerStates: on the lost update with logging and a
// sleep, the ample sets take the invisible steps (the prints, after
// ForgetLog, and the woken sleeps) alone, storing fewer states than the
// full expansion with the same outcomes.
func TestAmpleSetsStoreFewerStates(t *testing.T) {
	m := Model{Name: "logged-update", Program: func(main *sched.Thread) {
		main.ForgetLog()
		v := prims.NewVar(main, "value", 0)
		var ts []*sched.Thread
		for i := range 3 {
			ts = append(ts, main.Go("", func(t *sched.Thread) {
				t.Log("Thread %d: starting update", i)
				local := v.Load(t) + 1
				t.Sleep(100 * time.Millisecond)
				v.Store(t, local)
				t.Log("Thread %d: finishing update", i)
			}))
		}
		for _, u := range ts {
			main.Join(u)
		}
		main.Outcome("value=%d", v.Load(main))
	}}
	cfg := stateful()
	cfg.NoRaces = true
	reduced := explore(t, m, cfg)
	cfg.FullExpansion = true
	full := explore(t, m, cfg)
	if outcomeSet(reduced) != outcomeSet(full) {
		t.Fatalf("ample sets find %s, the full expansion %s", outcomeSet(reduced), outcomeSet(full))
	}
	if reduced.States >= full.States {
		t.Errorf("ample sets store %d states, the full expansion %d", reduced.States, full.States)
	}
	t.Logf("%d states with ample sets, %d without", reduced.States, full.States)
}

// TestStatefulModelReadingTheClock: a thread that takes a lock with a
// timeout and then reads the time sees 0 s, or 1 s when the clock fired
// its deadline before it ran. Without the time in the state, the state
// after the acquire is one state either way and one reading is lost: the
// search must start again with the time in its states.
func TestStatefulModelReadingTheClock(t *testing.T) {
	m := Model{Name: "timed-then-now", Program: func(main *sched.Thread) {
		l := prims.NewLock(main, "L")
		var seen time.Duration
		a := main.Go("A", func(t *sched.Thread) {
			if l.AcquireTimeout(t, time.Second) {
				l.Release(t)
			}
			seen = t.Now()
		})
		main.Join(a)
		main.Outcome("A saw %v", seen)
	}}
	nv := naive()
	want := outcomeSet(explore(t, m, nv))
	for _, cfg := range []Config{stateful(), bfs()} {
		if got := outcomeSet(explore(t, m, cfg)); got != want {
			t.Errorf("%s finds %s, naive DFS %s", cfg.Strategy, got, want)
		}
	}
}
