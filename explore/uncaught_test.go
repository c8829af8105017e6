package explore

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// raisingWorker is a program whose worker raises while another thread
// keeps working on a shared counter under a lock. The hook counts its
// calls before printing as the default does; main joins both threads and
// records how many times the hook ran, the counter, and whether the
// raising worker is still alive.
func raisingWorker() Model {
	return Model{Name: "raising-worker", Program: func(main *sched.Thread) {
		hooks := 0
		main.SetExceptHook(func(t *sched.Thread, exc *sched.Exception) {
			hooks++
			sched.DefaultExceptHook(t, exc)
		})
		lock := prims.NewLock(main, "lock")
		count := prims.NewVar(main, "count", 0)
		bad := main.Go("", func(t *sched.Thread) {
			lock.With(t, func() { count.Store(t, count.Load(t)+10) })
			t.Raise("ValueError", "bug")
		})
		good := main.Go("", func(t *sched.Thread) {
			for i := range 2 {
				lock.With(t, func() { count.Store(t, count.Load(t)+1) })
				t.Log("working %d", i)
			}
		})
		main.Join(bad)
		main.Join(good)
		main.Outcome("hooks=%d count=%d alive=%v", hooks, count.Peek(), main.IsAlive(bad))
	}}
}

// TestUncaughtExceptionEveryInterleaving explores every interleaving of
// raisingWorker: each one reports the exception once (one failing
// execution per execution, the hook run once), join returns in all of
// them, and the outcomes are the same with the failure kind switched off.
func TestUncaughtExceptionEveryInterleaving(t *testing.T) {
	cfg := Config{Strategy: DFS, Preemptions: Unbounded, KeepGoing: true, NoMinimize: true}
	rep, err := Explore(context.Background(), raisingWorker(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Kind != sched.UncaughtException ||
		rep.Failures[0].Count != rep.Complete || rep.Failures[0].Message[len(rep.Failures[0].Message)-15:] != "ValueError: bug" {
		t.Fatalf("failures %+v, want one uncaught ValueError in each of %d executions", rep.Failures, rep.Complete)
	}
	want := []OutcomeCount{{Outcome: "hooks=1 count=12 alive=false", Count: rep.Complete}}
	if diff := cmp.Diff(want, rep.Outcomes); diff != "" {
		t.Fatalf("outcomes mismatch (-want +got):\n%s", diff)
	}
	cfg.UncaughtExceptionsOK = true
	ok, err := Explore(context.Background(), raisingWorker(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ok.Verdict != Complete || ok.Executions != rep.Executions || !cmp.Equal(ok.Outcomes, rep.Outcomes) {
		t.Fatalf("switched off: verdict %s, %d executions, outcomes %v; on: %d executions, outcomes %v",
			ok.Verdict, ok.Executions, ok.Outcomes, rep.Executions, rep.Outcomes)
	}
	t.Logf("%d executions, %d complete", rep.Executions, rep.Complete)
}

// concurrentStart is a program in which main starts a thread that starts
// another with NewThread and Start, while main counts the active threads.
func concurrentStart() Model {
	return Model{Name: "concurrent-start", Program: func(main *sched.Thread) {
		a := main.NewThread(sched.ThreadSpec{Name: "a"}, func(t *sched.Thread) {
			b := t.NewThread(sched.ThreadSpec{Name: "b"}, func(*sched.Thread) {})
			t.Start(b)
			t.Join(b)
		})
		main.Start(a)
		main.Outcome("active=%d", main.ActiveCount())
	}}
}

// TestEnumerateSeesConcurrentStart: exhaustive search covers enumerate
// before, during and after the other thread's start of b and both exits,
// so it finds every count from 1 (both finished) to 3 (both running).
// Start's second step, on the starter's object, is what orders it with
// enumerate's read of that object.
func TestEnumerateSeesConcurrentStart(t *testing.T) {
	rep, err := Explore(context.Background(), concurrentStart(), Config{Strategy: DFS, Preemptions: Unbounded})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range rep.Outcomes {
		got = append(got, o.Outcome)
	}
	if diff := cmp.Diff([]string{"active=1", "active=2", "active=3"}, got); diff != "" || rep.Verdict != Complete {
		t.Fatalf("verdict %s, outcomes (-want +got):\n%s", rep.Verdict, diff)
	}
}

// Stateful search and BFS report the uncaught exception too: its
// execution runs on, and replaying it for the report reaches the same end.
func TestUncaughtExceptionStateful(t *testing.T) {
	for _, strategy := range []string{Stateful, BFS} {
		rep, err := Explore(context.Background(), raisingWorker(), Config{Strategy: strategy})
		if err != nil {
			t.Fatalf("%s: %v", strategy, err)
		}
		if rep.Verdict != Failed || len(rep.Failures) != 1 || rep.Failures[0].Kind != sched.UncaughtException {
			t.Fatalf("%s: verdict %s, failures %+v", strategy, rep.Verdict, rep.Failures)
		}
	}
}
