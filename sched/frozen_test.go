package sched_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// frozenDaemon is a program whose daemon is frozen at exit holding a
// lock, in a sleep; with defers, the daemon's deferred functions try,
// each in turn, everything a model can ask of the scheduler or of a
// primitive, and count how many of them ran.
func frozenDaemon(defers bool, ran *int, hookRan *bool) sched.Program {
	return func(main *sched.Thread) {
		l := prims.NewLock(main, "l")
		v := prims.NewVar(main, "v", 0)
		q := prims.NewQueue[int](main, "q", 0)
		main.GoDaemon("d", func(t *sched.Thread) {
			if defers {
				tries := []func(){
					func() { t.Log("finally") },
					func() { t.Print("finally") },
					func() { l.Release(t) },
					func() { v.Store(t, 7) },
					func() { q.Put(t, 1) },
					func() { t.Outcome("the daemon's finally ran") },
					func() { t.Assert(false, "the daemon's finally ran") },
					func() { t.Fail(sched.Assertion, "the daemon's finally ran") },
					func() { t.Scheduler().Fail(sched.Assertion, "the daemon's finally ran") },
					func() { t.FailStack(sched.Assertion, "the daemon's finally ran", "stack") },
					func() { t.Raise("ValueError", "finally") },
					func() { t.SetResult("finally") },
					func() { t.SetAccess(sched.Write) },
					func() { t.SetWhere("finally.py:1") },
					func() { t.OnEnd(func() { *hookRan = true }) },
					func() { t.AtExit(func(*sched.Thread) { *hookRan = true }) },
					func() { t.Go("late", func(*sched.Thread) { *hookRan = true }) },
					func() { prims.NewLock(t, "late") },
					func() { t.Random(2) },
					func() { t.Checkpoint("finally", 1) },
					func() { t.ForgetLog() },
					func() { t.WatchLog(func(string) bool { return true }) },
					func() { t.ForgetFinished() },
					func() { t.Changed(l.Object()) },
					func() { t.SetExceptHook(nil) },
					func() { t.Yield() },
					func() { panic("a Go panic in a finally") },
					func() { // recovers the unwinding and tries again
						defer func() { recover(); t.Log("again") }()
						t.Log("once")
					},
				}
				for _, try := range tries {
					defer func() { *ran++; try() }()
				}
			}
			l.With(t, func() { t.Sleep(time.Hour) })
		})
		main.Sleep(time.Second)
		main.Log("main ends, value %d", v.Load(main))
		main.Outcome("main ended")
	}
}

// TestFrozenDaemonDeferredFunctionsAreUnobservable: the deferred Go
// functions of a daemon frozen at exit run (Go ends a goroutine no other
// way), but nothing they do is seen (issue 15, item 4): with every one of
// them trying a print, a primitive operation, an outcome, a failure, a
// trace detail, an end hook, a new thread, a draw or a state declaration,
// the execution's trace, log, outcome, failure, decisions and threads are
// those of the same program without them, no hook they register runs, and
// the next execution on the same scheduler is the same as on a new one.
func TestFrozenDaemonDeferredFunctionsAreUnobservable(t *testing.T) {
	for _, opts := range []sched.Options{{Detail: true}, {Detail: true, State: true, CheckState: true}} {
		ran, hookRan := 0, false
		plain := sched.New(opts)
		want := describe(plain.Run(frozenDaemon(false, &ran, &hookRan), sched.FirstChooser{}))
		plain.Close()
		s := sched.New(opts)
		got := describe(s.Run(frozenDaemon(true, &ran, &hookRan), sched.FirstChooser{}))
		if got != want {
			t.Fatalf("State %v: with the daemon's deferred functions the execution is\n%s\nwithout them\n%s", opts.State, got, want)
		}
		if ran != 28 || hookRan {
			t.Fatalf("State %v: %d deferred functions ran (want 28), a hook they registered ran: %v", opts.State, ran, hookRan)
		}
		next := describe(s.Run(frozenDaemon(false, &ran, &hookRan), sched.FirstChooser{}))
		s.Close()
		if next != want {
			t.Fatalf("State %v: the next execution is\n%s\nwant\n%s", opts.State, next, want)
		}
	}
}

// describe is everything an execution shows.
func describe(r *sched.Result) string {
	return fmt.Sprintf("trace %+v\nlogs %+v\noutcome %q\nfailure %v\ndecisions %v\nthreads %+v\nobjects %+v\nraces %+v\ntime %v",
		r.Trace, r.Logs, r.Outcome, r.Failure, r.Decisions, r.Threads, r.Objects, r.Races, r.Time)
}
