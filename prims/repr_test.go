package prims_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// address is the stand-in for id(obj) in a repr.
var address = regexp.MustCompile(`0x7f[0-9a-f]{10}`)

// reprs runs prog once and returns the reprs it collected, with the
// addresses replaced by ADDR.
func reprs(t *testing.T, prog func(main *sched.Thread, add func(string))) []string {
	t.Helper()
	var got []string
	forSeeds(t, 1, same(func(main *sched.Thread) {
		got = nil
		prog(main, func(r string) { got = append(got, address.ReplaceAllString(r, "ADDR")) })
	}), nil)
	return got
}

// repr(Lock) as CPython 3.13 (and 3.11) prints it: the C lock's
// "<unlocked _thread.lock object at 0x...>".
func TestLockRepr(t *testing.T) {
	got := reprs(t, func(main *sched.Thread, add func(string)) {
		l := prims.NewLock(main, "l")
		add(l.Repr(main))
		l.Acquire(main)
		add(l.Repr(main))
	})
	want := []string{"<unlocked _thread.lock object at ADDR>", "<locked _thread.lock object at ADDR>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("reprs (-want +got):\n%s", diff)
	}
}

// lock_tests EventTests.test_repr: "<threading.Event at 0x...: unset>",
// then "set".
func TestEventRepr(t *testing.T) {
	got := reprs(t, func(main *sched.Thread, add func(string)) {
		e := prims.NewEvent(main, "e")
		add(e.Repr(main))
		e.Set(main)
		add(e.Repr(main))
	})
	want := []string{"<threading.Event at ADDR: unset>", "<threading.Event at ADDR: set>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("reprs (-want +got):\n%s", diff)
	}
}

// lock_tests SemaphoreTests.test_repr and BoundedSemaphoreTests.test_repr
// (the text; TestSemaphoreRepr checks the values):
// "value=V", and "value=V/INITIAL" for the bounded one.
func TestSemaphoreReprText(t *testing.T) {
	got := reprs(t, func(main *sched.Thread, add func(string)) {
		s := prims.NewSemaphore(main, "s", 3)
		s.Acquire(main)
		add(s.Repr(main))
		b := prims.NewBoundedSemaphore(main, "b", 3)
		b.Acquire(main)
		add(b.Repr(main))
	})
	want := []string{"<threading.Semaphore at ADDR: value=2>", "<threading.BoundedSemaphore at ADDR: value=2/3>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("reprs (-want +got):\n%s", diff)
	}
}

// lock_tests BarrierTests.test_repr: "waiters=N/PARTIES" while threads
// wait, "broken" once aborted.
func TestBarrierRepr(t *testing.T) {
	got := reprs(t, func(main *sched.Thread, add func(string)) {
		b := prims.NewBarrier(main, "b", 3, nil, 0)
		add(b.Repr(main))
		w := main.Go("", func(t *sched.Thread) { b.Wait(t) })
		for b.NWaiting(main) == 0 {
			main.Yield()
		}
		add(b.Repr(main))
		b.Abort(main)
		add(b.Repr(main))
		main.Join(w)
	})
	want := []string{"<threading.Barrier at ADDR: waiters=0/3>", "<threading.Barrier at ADDR: waiters=1/3>",
		"<threading.Barrier at ADDR: broken>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("reprs (-want +got):\n%s", diff)
	}
}

// A Timer is a Thread: joining it before Start raises CPython's
// RuntimeError instead of dereferencing a thread that does not exist;
// after Start, Join waits for it.
func TestTimerJoinBeforeStart(t *testing.T) {
	var got *sched.Exception
	forSeeds(t, 1, same(func(main *sched.Thread) {
		tm := prims.NewTimer(main, "", time.Second, func(t *sched.Thread) { t.Log("fired") })
		got = main.Try(func() { tm.Join(main) })
		main.Assert(!tm.IsAlive(main), "alive before start")
		tm.Start(main)
		tm.Join(main)
		main.Assert(!tm.IsAlive(main), "alive after join")
	}), nil)
	if got == nil || got.Error() != "RuntimeError: cannot join thread before it is started" {
		t.Fatalf("join before start raised %v", got)
	}
}

// TestTimerLifecycle follows test_threading's Timer and Thread tests
// (test_various_ops, test_start_thread_again, test_daemonize_active_thread)
// for threading.Timer, a Thread subclass: the name is allocated when the
// Timer is constructed ("Thread-N", no target suffix: Timer.__init__
// calls Thread.__init__ without one), the daemon flag is inherited then,
// repr is a Timer's at each stage, and start twice or daemon after start
// raise Thread's RuntimeErrors. The texts are python3 3.11's (the same in
// 3.13: Timer and Thread.start did not change; the ident in 3.11 is the
// pthread_t, here the deterministic stand-in).
func TestTimerLifecycle(t *testing.T) {
	var got []string
	forSeeds(t, 1, same(func(main *sched.Thread) {
		got = got[:0]
		tm := prims.NewTimer(main, "", time.Second, func(t *sched.Thread) { t.Log("fired") })
		other := main.Go("", func(*sched.Thread) {}) // numbered after the Timer
		main.Join(other)
		d := prims.NewTimer(main, "", time.Second, func(*sched.Thread) {})
		d.SetDaemon(main, true)
		got = append(got, tm.Thread().Name(), other.Name(), tm.Repr(main), d.Repr(main))
		tm.Start(main)
		got = append(got, tm.Repr(main))
		got = append(got, exceptionText(main.Try(func() { tm.Start(main) })))
		got = append(got, exceptionText(main.Try(func() { tm.SetDaemon(main, true) })))
		tm.Cancel(main)
		tm.Join(main)
		got = append(got, tm.Repr(main))
		d.Start(main)
		got = append(got, d.Repr(main))
		d.Cancel(main)
		d.Join(main)
	}), nil)
	want := []string{"Thread-1", "Thread-2", "<Timer(Thread-1, initial)>", "<Timer(Thread-3, initial daemon)>",
		"<Timer(Thread-1, started 1002)>",
		"RuntimeError: threads can only be started once", "RuntimeError: cannot set daemon status of active thread",
		"<Timer(Thread-1, stopped 1002)>", "<Timer(Thread-3, started daemon 1003)>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("timer lifecycle (-want +got):\n%s", diff)
	}
}

func exceptionText(e *sched.Exception) string {
	if e == nil {
		return "no exception"
	}
	return e.Error()
}
