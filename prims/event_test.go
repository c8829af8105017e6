package prims_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// lock_tests 17: notify_all_waiters. Five workers wait twice; nothing
// returns before set(), all ten waits return true after it; the same
// again after a set-then-clear cycle.
func TestEventNotifyAllWaiters(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		e := prims.NewEvent(main, "event")
		for round := range 2 {
			var got []bool
			ws := bunch(main, 5, func(t *sched.Thread, _ int) {
				got = append(got, e.Wait(t))
				got = append(got, e.Wait(t))
			})
			quiesce(main)
			main.Assert(len(got) == 0, "round %d: %d waits returned before set()", round, len(got))
			e.Set(main)
			joinAll(main, ws)
			main.Assert(len(got) == 10 && allTrue(got),
				"round %d: waits returned %v", round, got)
			e.Clear(main)
		}
	}), nil)
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return true
}

// lock_tests 19: set_then_clear_still_wakes (gh-57711): waiters blocked
// when set() runs return true even though clear() follows at once.
func TestEventSetThenClearStillWakes(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		e := prims.NewEvent(main, "event")
		var got []bool
		ws := bunch(main, 5, func(t *sched.Thread, _ int) { got = append(got, e.WaitTimeout(t, time.Hour)) })
		quiesce(main)
		e.Set(main)
		e.Clear(main)
		joinAll(main, ws)
		main.Assert(len(got) == 5 && allTrue(got), "waits returned %v, want 5 true", got)
		main.Assert(!e.IsSet(main), "the flag is set after clear()")
	}), nil)
}

// lock_tests is_set and timeout: is_set follows set and clear; a wait on
// an unset event returns false after its timeout, at once for 0.
func TestEventIsSetAndTimeout(t *testing.T) {
	var got []string
	forSeeds(t, 1, same(func(main *sched.Thread) {
		e := prims.NewEvent(main, "event")
		got = append(got, fmt.Sprint(e.IsSet(main)))
		e.Set(main)
		got = append(got, fmt.Sprint(e.IsSet(main)))
		e.Set(main)
		got = append(got, fmt.Sprint(e.IsSet(main), e.WaitTimeout(main, 0)))
		e.Clear(main)
		got = append(got, fmt.Sprint(e.IsSet(main)))
		for _, d := range []time.Duration{0, 500 * time.Millisecond} {
			start := main.Now()
			ok := e.WaitTimeout(main, d)
			got = append(got, fmt.Sprint(ok, main.Now()-start))
		}
	}), nil)
	if want := "[false true true true false false 0s false 500ms]"; fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

// python-semantics 1.3 and 2.7: Event.wait(timeout) returns the condition
// wait's result, so a waiter whose deadline passed just before a set()
// can return false although the flag is already set when it returns.
func TestEventWaitTimeoutFalseWhileSet(t *testing.T) {
	seen := map[string]bool{}
	var outcome string
	forRandomSeeds(t, 400, func() sched.Program {
		return func(main *sched.Thread) {
			e := prims.NewEvent(main, "event")
			w := main.Go("", func(t *sched.Thread) {
				ok := e.WaitTimeout(t, 50*time.Millisecond)
				outcome = fmt.Sprint(ok, e.IsSet(t))
			})
			main.Sleep(50 * time.Millisecond)
			e.Set(main)
			main.Join(w)
		}
	}, func(seed int, _ *sched.Result) {
		if outcome == "true false" {
			t.Fatalf("seed %d: wait returned true with the flag unset", seed)
		}
		seen[outcome] = true
	})
	for _, o := range []string{"true true", "false true", "false false"} {
		if !seen[o] {
			t.Errorf("outcome (wait, is_set) = %s never reached; seen %v", o, seen)
		}
	}
}

// A thread waiting on an event nobody sets is reported so.
func TestEventDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		prims.NewEvent(main, "ready").Wait(main)
	}, sched.Deadlock, "blocked: MainThread")
	if ts := threadState(t, f, "MainThread"); ts.String() != "MainThread: blocked in wait on Event 'ready' (not set)" {
		t.Fatalf("state %q", ts)
	}
}

// Timer (python-semantics 2.8): it fires after its interval of virtual
// time, counted from when its thread starts.
func TestTimerFires(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		var at time.Duration = -1
		tm := prims.NewTimer(main, "", 10*time.Millisecond, func(t *sched.Thread) { at = t.Now() })
		tm.Start(main)
		main.Join(tm.Thread())
		main.Assert(at == 10*time.Millisecond, "fired at %v, want 10ms", at)
		main.Assert(tm.Thread().Name() == "Thread-1", "timer thread named %q", tm.Thread().Name())
	}), nil)
}

// Timer cancel: before start, during the wait, or after firing; the
// function never runs when cancelled first, and cancelling after it fired
// is a no-op.
func TestTimerCancel(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		calls := 0
		fn := func(*sched.Thread) { calls++ }
		before := prims.NewTimer(main, "before", time.Second, fn)
		before.Cancel(main)
		before.Start(main)
		during := prims.NewTimer(main, "during", time.Second, fn)
		during.Start(main)
		quiesce(main)
		during.Cancel(main)
		main.Join(before.Thread())
		main.Join(during.Thread())
		main.Assert(calls == 0, "a cancelled timer called its function %d times", calls)
		after := prims.NewTimer(main, "after", 0, fn)
		after.Start(main)
		main.Join(after.Thread())
		after.Cancel(main)
		main.Assert(calls == 1, "the zero-interval timer called its function %d times, want 1", calls)
	}), nil)
	wantMisuse(t, func(main *sched.Thread) {
		tm := prims.NewTimer(main, "", 0, func(*sched.Thread) {})
		tm.Start(main)
		tm.Start(main)
	}, "RuntimeError: threads can only be started once")
}

// Timer with the clock free to fire at any step: the function runs
// exactly when the cancel did not come first, and never before its
// interval.
func TestTimerCancelRace(t *testing.T) {
	seen := map[bool]bool{}
	var fired bool
	forRandomSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			fired = false
			tm := prims.NewTimer(main, "", 10*time.Millisecond, func(t *sched.Thread) {
				t.Assert(t.Now() >= 10*time.Millisecond, "fired at %v", t.Now())
				fired = true
			})
			tm.Start(main)
			main.Sleep(10 * time.Millisecond)
			tm.Cancel(main)
			main.Join(tm.Thread())
		}
	}, func(int, *sched.Result) { seen[fired] = true })
	if !seen[true] || !seen[false] {
		t.Fatalf("outcomes (fired) reached: %v, want both", seen)
	}
}
