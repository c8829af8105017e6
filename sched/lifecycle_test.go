package sched_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/sched"
)

// checked are the options of the lifecycle tests: the state fingerprint
// is kept and recomputed at every scheduling point, so a thread object
// whose state is left out of its encoding fails the execution.
var checked = sched.Options{State: true, CheckState: true}

// caught runs block in t and returns the message of what it raised.
func caught(t *sched.Thread, block func()) string {
	if exc := t.Try(block); exc != nil {
		return exc.Error()
	}
	return "nothing raised"
}

func noFailure(t *testing.T, r *sched.Result) {
	t.Helper()
	if r.Failure != nil {
		t.Fatalf("failure: %s", r.Failure.Describe())
	}
}

// test_threading ThreadingExceptionTests.test_start_thread_again.
func TestStartThreadAgain(t *testing.T) {
	var got string
	r := runFirst(t, checked, func(main *sched.Thread) {
		u := main.NewThread(sched.ThreadSpec{}, func(*sched.Thread) {})
		main.Start(u)
		got = caught(main, func() { main.Start(u) })
		main.Join(u)
	})
	noFailure(t, r)
	if got != "RuntimeError: threads can only be started once" {
		t.Fatalf("second start raised %q", got)
	}
}

// test_threading ThreadingExceptionTests.test_joining_inactive_thread and
// test_joining_current_thread.
func TestJoiningInactiveAndCurrentThread(t *testing.T) {
	var inactive, current, nilThread string
	r := runFirst(t, checked, func(main *sched.Thread) {
		u := main.NewThread(sched.ThreadSpec{}, func(*sched.Thread) {})
		inactive = caught(main, func() { main.Join(u) })
		current = caught(main, func() { main.Join(main.CurrentThread()) })
		nilThread = caught(main, func() { main.JoinTimeout(nil, time.Second) })
	})
	noFailure(t, r)
	want := []string{"RuntimeError: cannot join thread before it is started", "RuntimeError: cannot join current thread",
		"RuntimeError: cannot join thread before it is started"}
	if diff := cmp.Diff(want, []string{inactive, current, nilThread}); diff != "" {
		t.Fatalf("join errors (-want +got):\n%s", diff)
	}
}

// test_threading ThreadingExceptionTests.test_daemonize_active_thread, and
// the daemon flag set before the start (test_repr_daemon).
func TestDaemonizeActiveThread(t *testing.T) {
	var got, before, after string
	r := runFirst(t, checked, func(main *sched.Thread) {
		u := main.NewThread(sched.ThreadSpec{}, func(t *sched.Thread) { t.Sleep(time.Hour) })
		main.SetDaemon(u, true)
		before = main.Repr(u)
		main.Start(u)
		after = main.Repr(u)
		got = caught(main, func() { main.SetDaemon(u, false) })
	})
	noFailure(t, r)
	if got != "RuntimeError: cannot set daemon status of active thread" {
		t.Fatalf("daemon after start raised %q", got)
	}
	if before != "<Thread(Thread-1, initial daemon)>" || after != "<Thread(Thread-1, started daemon 1001)>" {
		t.Fatalf("repr %q then %q", before, after)
	}
}

// test_threading ThreadTests.test_various_ops: before start a thread is
// initial, not alive, with no ident or native_id; started, it has them;
// joined, it is stopped. repr as CPython prints it (3.11 prints the same
// format; 3.13 decides "stopped" from the thread handle).
func TestVariousOps(t *testing.T) {
	var reprs []string
	var idents []any
	var alive []bool
	r := runFirst(t, checked, func(main *sched.Thread) {
		u := main.NewThread(sched.ThreadSpec{Target: "worker"}, func(t *sched.Thread) { t.Sleep(time.Second) })
		id, ok := u.Ident()
		nid, nok := u.NativeID()
		idents = append(idents, id, ok, nid, nok)
		reprs = append(reprs, main.Repr(u))
		alive = append(alive, main.IsAlive(u))
		main.Start(u)
		id, ok = u.Ident()
		idents = append(idents, id, ok)
		reprs = append(reprs, main.Repr(u))
		alive = append(alive, main.IsAlive(u))
		main.Join(u)
		reprs = append(reprs, main.Repr(u), main.Repr(main))
		alive = append(alive, main.IsAlive(u))
	})
	noFailure(t, r)
	wantReprs := []string{"<Thread(Thread-1 (worker), initial)>", "<Thread(Thread-1 (worker), started 1001)>",
		"<Thread(Thread-1 (worker), stopped 1001)>", "<_MainThread(MainThread, started 1000)>"}
	if diff := cmp.Diff(wantReprs, reprs); diff != "" {
		t.Fatalf("reprs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{int64(0), false, int64(0), false, int64(1001), true}, idents); diff != "" {
		t.Fatalf("idents (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{false, true, false}, alive); diff != "" {
		t.Fatalf("is_alive (-want +got):\n%s", diff)
	}
}

// test_threading ThreadTests.test_name: the default name is "Thread-N",
// numbered at construction (a thread created and never started takes a
// number), with " (target)" for a target; an explicit name is kept.
// Go numbers in the same sequence.
func TestThreadNames(t *testing.T) {
	var names []string
	r := runFirst(t, checked, func(main *sched.Thread) {
		a := main.NewThread(sched.ThreadSpec{Target: "func"}, func(*sched.Thread) {})
		b := main.NewThread(sched.ThreadSpec{}, func(*sched.Thread) {})
		c := main.NewThread(sched.ThreadSpec{Name: "named", Target: "func"}, func(*sched.Thread) {})
		d := main.Go("", func(*sched.Thread) {})
		names = append(names, a.Name(), b.Name(), c.Name(), d.Name(), main.MainThread().Name())
		main.Join(d)
	})
	noFailure(t, r)
	want := []string{"Thread-1 (func)", "Thread-2", "named", "Thread-3", "MainThread"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("names (-want +got):\n%s", diff)
	}
}

// A thread created with NewThread inherits its creator's daemon flag
// (daemon=None), and a daemon left running at exit is frozen.
func TestNewThreadInheritsDaemon(t *testing.T) {
	var flags []bool
	r := runFirst(t, checked, func(main *sched.Thread) {
		d := main.NewThread(sched.ThreadSpec{}, func(t *sched.Thread) {
			inner := t.NewThread(sched.ThreadSpec{}, func(*sched.Thread) {})
			flags = append(flags, inner.Daemon())
		})
		flags = append(flags, d.Daemon())
		main.SetDaemon(d, true)
		main.Start(d)
		main.Join(d)
	})
	noFailure(t, r)
	if diff := cmp.Diff([]bool{false, true}, flags); diff != "" {
		t.Fatalf("daemon flags (-want +got):\n%s", diff)
	}
}

// test_threading ThreadTests.test_enumerate_after_join and the module
// functions: enumerate lists the started, unfinished threads (main
// included, a thread created but not started excluded), active_count is
// its length, get_ident is current_thread().ident, main_thread is main.
func TestModuleFunctions(t *testing.T) {
	var counts []int
	var names []string
	var ident bool
	r := runFirst(t, checked, func(main *sched.Thread) {
		idle := main.NewThread(sched.ThreadSpec{Name: "idle"}, func(*sched.Thread) {})
		u := main.NewThread(sched.ThreadSpec{Name: "worker"}, func(t *sched.Thread) {
			id, _ := t.CurrentThread().Ident()
			ident = t.GetIdent() == id && t.MainThread() == main
			t.Sleep(time.Second)
		})
		counts = append(counts, main.ActiveCount())
		main.Start(u)
		for _, th := range main.Enumerate() {
			names = append(names, th.Name())
		}
		counts = append(counts, main.ActiveCount())
		main.Join(u)
		counts = append(counts, main.ActiveCount())
		_ = idle
	})
	noFailure(t, r)
	if diff := cmp.Diff([]int{1, 2, 1}, counts); diff != "" {
		t.Fatalf("active_count (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"MainThread", "worker"}, names); diff != "" {
		t.Fatalf("enumerate (-want +got):\n%s", diff)
	}
	if !ident {
		t.Fatal("get_ident() is not current_thread().ident, or main_thread() is not main")
	}
}

// Starting is two steps, the check on the new thread's object and the
// start on the starter's: the trace shows both, and the new thread runs
// after them.
func TestStartSteps(t *testing.T) {
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		u := main.NewThread(sched.ThreadSpec{Name: "w"}, func(t *sched.Thread) { t.Yield() })
		main.Start(u)
		main.Join(u)
	})
	noFailure(t, r)
	var got []string
	for _, e := range r.Trace {
		got = append(got, r.ThreadName(e.Thread)+" "+e.Op+" "+r.ObjectName(e.Obj))
	}
	want := []string{"MainThread start Thread 'w'", "MainThread start Thread 'MainThread'", "w yield ", "w exit Thread 'w'",
		"MainThread join Thread 'w'", "MainThread exit Thread 'MainThread'"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("trace (-want +got):\n%s", diff)
	}
}

var reprPattern = regexp.MustCompile(`^<Thread\(Thread-\d+, (initial|started|stopped)( daemon)?( \d+)?\)>$`)

// Every repr a thread shows over its life fits CPython's pattern, under
// random schedules.
func TestReprPatternUnderSchedules(t *testing.T) {
	runSeeds(t, 50, func(main *sched.Thread) {
		us := []*sched.Thread{main.NewThread(sched.ThreadSpec{}, func(t *sched.Thread) { t.Yield() }),
			main.NewThread(sched.ThreadSpec{}, func(t *sched.Thread) { t.Yield() })}
		main.SetDaemon(us[1], true)
		for _, u := range us {
			main.Go("", func(t *sched.Thread) {
				r := t.Repr(u)
				t.Assert(reprPattern.MatchString(r), "repr %q", r)
			})
			main.Start(u)
		}
	}, func(seed uint64, r *sched.Result) {
		if r.Failure != nil {
			t.Fatalf("seed %d: %s", seed, r.Failure.Describe())
		}
	})
}
