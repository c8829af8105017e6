package explore

import (
	"context"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

func stateful() Config { return Config{Strategy: Stateful, NoMinimize: true, KeepGoing: true} }
func bfs() Config      { return Config{Strategy: BFS, NoMinimize: true, KeepGoing: true} }

// TestStatefulMatchesNaive: on generated programs, stateful DFS and BFS
// find the outcomes and failure kinds of naive DFS over every
// interleaving, and exact states and fingerprints store as many states
// and meet as many: exact states run every step, fingerprints predict
// the steps the transition cache knows (state_predict.go), and the two searches
// must be the same search. Some threads watch others with is_alive or a
// poll (addWatchers): the search takes exits alone until it sees one
// watched, then starts again without (sched/exits.go).
func TestStatefulMatchesNaive(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		nvars, nlocks, threads, daemon := genProgram(rt)
		m := genModel(addWatchers(rt, nvars, nlocks, threads, daemon))
		oracle := naiveOracle(t, rt, m, Unbounded)
		want := outcomeSet(oracle)
		got := explore(t, m, stateful())
		if s := outcomeSet(got); s != want || got.Verdict != oracle.Verdict {
			rt.Fatalf("stateful finds %s (%s)\nnaive DFS finds %s (%s)", s, got.Verdict, want, oracle.Verdict)
		}
		if b := explore(t, m, bfs()); outcomeSet(b) != want {
			rt.Fatalf("bfs finds %s\nnaive DFS finds %s", outcomeSet(b), want)
		}
		exact := stateful()
		exact.ExactStates = true
		if x := explore(t, m, exact); x.States != got.States || x.Generated != got.Generated || outcomeSet(x) != want {
			rt.Fatalf("exact states: %d states, %d met, %s; fingerprints (and prediction): %d states, %d met",
				x.States, x.Generated, outcomeSet(x), got.States, got.Generated)
		}
	})
}

// TestStatefulStoresStatesNotTraces: the lost update's executions grow as
// (N!)^2 traces; its states far more slowly, and the search is complete.
func TestStatefulStoresStatesNotTraces(t *testing.T) {
	prev := 0
	for n := 3; n <= 4; n++ {
		cfg := stateful()
		cfg.NoRaces = true
		rep := explore(t, lostUpdate(n, true), cfg)
		if rep.Verdict != Failed || len(rep.Failures) != 1 || rep.Failures[0].Kind != sched.Assertion {
			t.Fatalf("n=%d: verdict %s, failures %+v", n, rep.Verdict, rep.Failures)
		}
		if rep.States <= prev || rep.Complete >= factorial(n)*factorial(n) {
			t.Errorf("n=%d: %d states (previous n: %d), %d complete executions for %d traces",
				n, rep.States, prev, rep.Complete, factorial(n)*factorial(n))
		}
		t.Logf("lost update n=%d: %d states, %d executions, %d met", n, rep.States, rep.Executions, rep.Generated)
		prev = rep.States
	}
}

func factorial(n int) int {
	if n <= 1 {
		return 1
	}
	return n * factorial(n-1)
}

// polite is two threads that each raise a flag, back off while the other's
// is up, and retry: a livelock when they keep meeting.
func polite() Model {
	return Model{Name: "polite", Program: func(main *sched.Thread) {
		flags := []*prims.Var[int]{prims.NewAtomic(main, "a", 0), prims.NewAtomic(main, "b", 0)}
		worker := func(me int) func(*sched.Thread) {
			return func(t *sched.Thread) {
				for {
					t.Checkpoint("retry")
					flags[me].Store(t, 1)
					if flags[1-me].Load(t) == 0 {
						break
					}
					flags[me].Store(t, 0)
				}
				flags[me].Store(t, 0)
			}
		}
		spawnJoin(main, worker(0), worker(1))
	}}
}

func TestLivelockIsAFairCycle(t *testing.T) {
	rep := explore(t, polite(), Config{Strategy: Stateful})
	if len(rep.Failures) != 1 || rep.Failures[0].Kind != sched.Livelock {
		t.Fatalf("want one livelock, got %+v", rep.Failures)
	}
	f := rep.Failures[0]
	if !strings.Contains(f.Message, "a cycle a fair scheduler can repeat forever") || f.Schedule.Cycle == 0 {
		t.Errorf("message %q, cycle %d", f.Message, f.Schedule.Cycle)
	}
	s, err := ParseToken(f.Token)
	if err != nil || s.Cycle != f.Schedule.Cycle {
		t.Fatalf("token %s: %v, cycle %d", f.Token, err, s.Cycle)
	}
	r, err := Replay(polite(), s, sched.Options{})
	if err != nil || r.Failure == nil || r.Failure.Kind != sched.Livelock || r.Failure.Error() != f.Message {
		t.Fatalf("replay: %v, %+v", err, r.Failure)
	}
	// A cycle that does not close is a divergence, not a livelock.
	s.Cycle++
	if _, err := Replay(polite(), s, sched.Options{}); err == nil || !strings.Contains(err.Error(), "replay diverged") {
		t.Errorf("a shifted cycle replays: %v", err)
	}
}

// spinUntilSet is a thread spinning until main, after a sleep, sets an
// event: every spin is a cycle, but an unfair one (the clock is always
// enabled and never fires in it), so it is no livelock.
func spinUntilSet() Model {
	return Model{Name: "spin", Program: func(main *sched.Thread) {
		ev := prims.NewEvent(main, "go")
		spinner := main.Go("spinner", func(t *sched.Thread) {
			for !ev.IsSet(t) {
				t.Checkpoint("spin")
			}
		})
		main.Sleep(time.Second)
		ev.Set(main)
		main.Join(spinner)
	}}
}

func TestTimeLoopIsFiniteAndNotALivelock(t *testing.T) {
	rep := explore(t, spinUntilSet(), Config{Strategy: Stateful})
	if rep.Verdict != Complete || rep.States == 0 {
		t.Fatalf("verdict %s, %d states, failures %+v", rep.Verdict, rep.States, rep.Failures)
	}
	// Stateless search cannot finish it: some schedule spins past the
	// step limit.
	cfg := dpor()
	cfg.MaxSteps, cfg.Runs = 200, 200
	if st := explore(t, spinUntilSet(), cfg); st.Verdict == Complete {
		t.Errorf("stateless DFS is complete on an unbounded loop: %+v", st)
	}
}

// firstRead fails when a reader sees a flag that a writer raises after a
// few yields; the reader looks three times.
func firstRead() Model {
	return Model{Name: "first-read", Program: func(main *sched.Thread) {
		x := prims.NewAtomic(main, "x", 0)
		reader := func(t *sched.Thread) {
			for range 3 {
				t.Assert(x.Load(t) == 0, "saw the flag")
			}
		}
		writer := func(t *sched.Thread) {
			t.Yield()
			t.Yield()
			x.Store(t, 1)
		}
		spawnJoin(main, reader, writer)
	}}
}

func TestBFSFindsAShortestFailure(t *testing.T) {
	shortest := 1 << 30
	sc := sched.New(sched.Options{})
	defer sc.Close()
	d := newDFS(modeNaive, Unbounded)
	_, err := d.search(context.Background(), sc, firstRead().Program, &budget{}, func(r *sched.Result, _ bool) bool {
		if r.Failure != nil {
			shortest = min(shortest, len(r.Trace))
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	rep := explore(t, firstRead(), Config{Strategy: BFS, NoMinimize: true})
	if len(rep.Failures) != 1 || rep.Failures[0].Steps != shortest {
		t.Fatalf("bfs: %+v; the shortest failing execution has %d steps", rep.Failures, shortest)
	}
	dfs := explore(t, firstRead(), Config{Strategy: Stateful, NoMinimize: true})
	t.Logf("shortest %d steps; stateful DFS's first failure %d steps", shortest, dfs.Failures[0].Steps)
}

func TestMaxStatesBoundsTheSearch(t *testing.T) {
	cfg := stateful()
	cfg.MaxStates = 10
	rep := explore(t, lostUpdate(3, false), cfg)
	if rep.Verdict == Complete || !rep.Budget || rep.States < 10 || rep.States > 40 {
		t.Errorf("verdict %s, budget %v, %d states", rep.Verdict, rep.Budget, rep.States)
	}
}

func TestTokenTrailerRoundTrips(t *testing.T) {
	s := Schedule{Model: "m", Strategy: "stateful", Decisions: []int{1, 0}, Shape: Shape{Steps: 9, Digest: 7},
		Cycle: 4, Limit: 9}
	got, err := ParseToken(s.Token())
	if err != nil || got.Cycle != 4 || got.Limit != 9 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	s.Limit = 11 // beyond the execution's steps + 1: not a limit it stopped at
	if _, err := ParseToken(s.Token()); err == nil || !strings.Contains(err.Error(), "bad value after the execution shape") {
		t.Errorf("a limit past the steps parses: %v", err)
	}
}

func TestStepLimitReplaysUnderItsLimit(t *testing.T) {
	rep := explore(t, spinUntilSet(), Config{Strategy: DFS, Preemptions: Unbounded, MaxSteps: 50, NoRaces: true})
	f := rep.Undecided // a stateless search's step limit is undecided, no failure
	if f == nil || f.Kind != sched.StepLimit || f.Schedule.Limit != 50 {
		t.Fatalf("want a step-limit execution at 50 steps, got %+v", f)
	}
	s, err := ParseToken(f.Token)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Replay(spinUntilSet(), s, sched.Options{})
	if err != nil || r.Failure == nil || r.Failure.Kind != sched.StepLimit || len(r.Trace) != 50 {
		t.Fatalf("replay under the default limit: %v, %+v", err, r.Failure)
	}
}

// TestSleepSetsKeepEveryState: sleep sets prune transitions, never states.
// On generated programs (sleeps, timeouts, draws and reads of the clock
// among them), stateful DFS without ample sets stores every state that
// breadth-first search, which takes every transition, stores. Ids are
// given in creation order, so a child spawned while main still starts
// threads has an id, and its states a fingerprint, that depend on the
// interleaving (BFS, taking every order, would store such a state under
// every id it can have): only the thread main starts last spawns (the
// last that is not the daemon, which main starts first).
func TestSleepSetsKeepEveryState(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		nvars, nlocks, threads, daemon := genProgram(rt)
		last := len(threads) - 1
		if last == daemon {
			last--
		}
		for k, ops := range threads {
			for i, o := range ops {
				if o.kind == "spawn" && k != last {
					ops[i].kind = "write"
				}
			}
		}
		m := genModel(nvars, nlocks, threads, daemon)
		dfs := stateful()
		dfs.FullExpansion, dfs.NoRaces = true, true
		b := bfs()
		b.NoRaces = true
		got, want := explore(t, m, dfs), explore(t, m, b)
		if got.States != want.States {
			rt.Fatalf("stateful DFS with sleep sets stores %d states, BFS %d", got.States, want.States)
		}
	})
}
