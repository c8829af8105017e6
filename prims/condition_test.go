package prims_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// lock_tests 21: wait_without_lock, and notify too, on a default Condition
// (RLock) and on Condition(Lock()) where the heuristic's non-blocking
// acquire succeeds.
func TestConditionWaitWithoutLock(t *testing.T) {
	for _, lock := range []string{"RLock", "Lock"} {
		t.Run(lock, func(t *testing.T) {
			newCond := func(main *sched.Thread) *prims.Condition {
				if lock == "Lock" {
					return prims.NewCondition(main, "cond", prims.NewLock(main, "lock"))
				}
				return prims.NewCondition(main, "cond", nil)
			}
			wantMisuse(t, func(main *sched.Thread) { newCond(main).Wait(main) },
				"RuntimeError: cannot wait on un-acquired lock")
			wantMisuse(t, func(main *sched.Thread) { newCond(main).WaitTimeout(main, time.Second) },
				"RuntimeError: cannot wait on un-acquired lock")
			wantMisuse(t, func(main *sched.Thread) { newCond(main).Notify(main, 1) },
				"RuntimeError: cannot notify on un-acquired lock")
			wantMisuse(t, func(main *sched.Thread) { newCond(main).NotifyAll(main) },
				"RuntimeError: cannot notify on un-acquired lock")
		})
	}
}

type waitResult struct {
	ok    bool
	phase int
}

// lock_tests 23: notify_n_phases, run twice on the same Condition.
// notify(3) wakes exactly 3, notify(5) wakes the other 2 and the 3 that
// waited again, notify_all the last 2; a woken waiter sees the phase its
// notifier set under the lock; nothing wakes without a notify.
func TestConditionNotifyNPhases(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", nil)
		for range 2 {
			notifyNPhases(main, cond)
		}
	}), nil)
}

func notifyNPhases(main *sched.Thread, cond *prims.Condition) {
	var r1, r2 []waitResult
	phase, ready := 0, 0
	ws := bunch(main, 5, func(t *sched.Thread, _ int) {
		for _, r := range []*[]waitResult{&r1, &r2} {
			cond.Acquire(t)
			ready++
			ok := cond.Wait(t)
			*r = append(*r, waitResult{ok, phase})
			cond.Release(t)
		}
	})
	check := func(r []waitResult, want string) {
		main.Assert(fmt.Sprint(r) == want, "got %v, want %s", r, want)
	}
	step := func(p int, notify func()) {
		cond.Acquire(main)
		notify()
		phase = p
		cond.Release(main)
		quiesce(main)
	}
	quiesce(main)
	main.Assert(ready == 5, "%d workers waiting, want 5", ready)
	step(1, func() { cond.Notify(main, 3) })
	check(r1, "[{true 1} {true 1} {true 1}]")
	check(r2, "[]")
	step(2, func() { cond.Notify(main, 5) })
	check(r1, "[{true 1} {true 1} {true 1} {true 2} {true 2}]")
	check(r2, "[{true 2} {true 2} {true 2}]")
	step(3, func() { cond.NotifyAll(main) })
	check(r1, "[{true 1} {true 1} {true 1} {true 2} {true 2}]")
	check(r2, "[{true 2} {true 2} {true 2} {true 3} {true 3}]")
	joinAll(main, ws)
}

// lock_tests 25: wait_for: the predicate is re-checked on each notify.
func TestConditionWaitFor(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", nil)
		state := 0
		w := main.Go("", func(t *sched.Thread) {
			cond.Acquire(t)
			ok := cond.WaitFor(t, func() bool { return state == 4 })
			t.Assert(ok && state == 4, "wait_for returned %v with state %d", ok, state)
			cond.Release(t)
		})
		for range 4 {
			cond.Acquire(main)
			state++
			cond.Notify(main, 1)
			cond.Release(main)
		}
		main.Join(w)
	}), nil)
}

// lock_tests wait_for_timeout (and python-semantics 2.5): with timeout 0
// the predicate is evaluated twice around one polling wait; with a timeout
// that no notify beats, wait_for returns false after exactly that long.
func TestConditionWaitForTimeout(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", nil)
		calls := 0
		pred := func() bool { calls++; return false }
		cond.Acquire(main)
		main.Assert(!cond.WaitForTimeout(main, pred, 0), "wait_for(timeout=0) of a false predicate returned true")
		main.Assert(calls == 2, "predicate evaluated %d times, want 2", calls)
		start := main.Now()
		main.Assert(!cond.WaitForTimeout(main, pred, 100*time.Millisecond), "wait_for timed out with true")
		main.Assert(main.Now()-start == 100*time.Millisecond, "wait_for took %v, want 100ms", main.Now()-start)
		cond.Release(main)
	}), nil)
}

// python-semantics 1.3, the probe: A waits with timeout 50ms, then B with
// none; main holds the lock past A's deadline and calls notify(1). The
// notify lands on A's entry, still in the deque: A returns false and B is
// not woken.
func TestConditionAbsorbedNotify(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", nil)
		var a, b []bool
		wa := main.Go("A", func(t *sched.Thread) {
			cond.Acquire(t)
			a = append(a, cond.WaitTimeout(t, 50*time.Millisecond))
			cond.Release(t)
		})
		quiesce(main)
		wb := main.Go("B", func(t *sched.Thread) {
			cond.Acquire(t)
			b = append(b, cond.Wait(t))
			cond.Release(t)
		})
		quiesce(main)
		cond.Acquire(main)
		main.Sleep(100 * time.Millisecond) // past A's deadline: A timed out and waits for the lock
		cond.Notify(main, 1)
		cond.Release(main)
		main.Join(wa)
		quiesce(main)
		main.Assert(fmt.Sprint(a, b) == "[false] []", "A got %v, B got %v: want A false and B still waiting", a, b)
		cond.Acquire(main)
		cond.Notify(main, 1)
		cond.Release(main)
		main.Join(wb)
		main.Assert(fmt.Sprint(b) == "[true]", "B got %v after the second notify", b)
	}), nil)
}

// With the clock an option at every step, a notify(1) to a timed waiter A
// and an untimed-enough waiter B wakes at most one of them, never
// spuriously; and every outcome is reachable, the absorbed notify (both
// false) included.
func TestConditionNoSpuriousWakeup(t *testing.T) {
	seen := map[string]bool{}
	var a, b bool
	forRandomSeeds(t, 400, func() sched.Program {
		return func(main *sched.Thread) {
			cond := prims.NewCondition(main, "cond", nil)
			waiter := func(res *bool, d time.Duration) func(*sched.Thread) {
				return func(t *sched.Thread) {
					cond.Acquire(t)
					*res = cond.WaitTimeout(t, d)
					cond.Release(t)
				}
			}
			wa := main.Go("A", waiter(&a, 50*time.Millisecond))
			wb := main.Go("B", waiter(&b, time.Hour))
			main.Sleep(40 * time.Millisecond)
			cond.Acquire(main)
			cond.Notify(main, 1)
			cond.Release(main)
			main.Join(wa)
			main.Join(wb)
		}
	}, func(seed int, r *sched.Result) {
		if a && b {
			t.Fatalf("seed %d: notify(1) woke both waiters", seed)
		}
		seen[fmt.Sprint(a, b)] = true
	})
	for _, o := range []string{"true false", "false true", "false false"} {
		if !seen[o] {
			t.Errorf("outcome A,B = %s never reached; seen %v", o, seen)
		}
	}
}

// python-semantics 2.5, the probe: with a plain Lock held by another
// thread, wait(0.01) from a non-owner does not raise, releases the other
// thread's lock and returns false holding it.
func TestConditionPlainLockOwnershipHeuristic(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		lock := prims.NewLock(main, "lock")
		cond := prims.NewCondition(main, "cond", lock)
		holding, done := prims.NewEvent(main, "holding"), prims.NewEvent(main, "done")
		w := main.Go("", func(t *sched.Thread) {
			lock.Acquire(t)
			holding.Set(t)
			done.Wait(t)
		})
		holding.Wait(main)
		main.Assert(!cond.WaitTimeout(main, 10*time.Millisecond), "wait from a non-owner was notified")
		main.Assert(lock.Locked(main), "the lock is free after the non-owner's wait")
		lock.Release(main)
		done.Set(main)
		main.Join(w)
	}), nil)
}

// python-semantics 1.2: notify takes waiters in FIFO order of their wait.
func TestConditionNotifyFIFO(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", prims.NewLock(main, "lock"))
		var order []int
		var ws []*sched.Thread
		for i := range 3 {
			ws = append(ws, main.Go("", func(t *sched.Thread) {
				cond.Acquire(t)
				cond.Wait(t)
				order = append(order, i)
				cond.Release(t)
			}))
			quiesce(main)
		}
		for range 3 {
			cond.Acquire(main)
			cond.Notify(main, 1)
			cond.Release(main)
			quiesce(main)
		}
		joinAll(main, ws)
		main.Assert(fmt.Sprint(order) == "[0 1 2]", "woken in order %v, want [0 1 2]", order)
	}), nil)
}

// python-semantics 2.5, the probe: waiting inside nested "with cond:"
// releases the RLock completely (another thread takes it meanwhile) and
// restores recursion level 2.
func TestConditionRecursionLevelRestored(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		lock := prims.NewRLock(main, "rlock")
		cond := prims.NewCondition(main, "cond", lock)
		cond.Acquire(main)
		cond.Acquire(main)
		w := main.Go("", func(t *sched.Thread) {
			cond.Acquire(t)
			cond.Notify(t, 1)
			cond.Release(t)
		})
		main.Assert(cond.WaitTimeout(main, time.Hour), "the wait timed out")
		main.Assert(lock.RecursionCount(main) == 2, "recursion level %d after wait, want 2", lock.RecursionCount(main))
		cond.Release(main)
		cond.Release(main)
		main.Join(w)
	}), nil)
}

// ConditionAsRLockTests reacquire: a default Condition is reentrant.
func TestConditionAsRLockReacquire(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", nil)
		cond.Acquire(main)
		cond.Acquire(main)
		cond.Release(main)
		cond.Acquire(main)
		cond.Release(main)
		cond.Release(main)
		main.Join(main.Go("", func(t *sched.Thread) { cond.With(t, func() {}) }))
	}), nil)
}

// A waiter nobody notifies is a deadlock that says so.
func TestConditionDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		cond := prims.NewCondition(main, "cond", nil)
		cond.Acquire(main)
		cond.Wait(main)
	}, sched.Deadlock, "blocked: MainThread")
	ts := threadState(t, f, "MainThread")
	if ts.String() != "MainThread: blocked in wait on Condition 'cond' (not notified)" {
		t.Fatalf("state %q", ts)
	}
}

// A notify that lands before a timed waiter's deadline wakes it with true
// even when the clock reaches the deadline before the waiter runs (the
// release of CPython's waiter lock wakes it however late it runs); one
// that lands after the deadline fired is absorbed, even if the waiter has
// not yet run. Both happen.
func TestConditionNotifyBeforeDeadlineWins(t *testing.T) {
	seen := map[bool]bool{}
	var early, waiting, got bool
	forRandomSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			cond := prims.NewCondition(main, "cond", nil)
			inWait := false
			w := main.Go("", func(t *sched.Thread) {
				cond.Acquire(t)
				inWait = true
				got = cond.WaitTimeout(t, 50*time.Millisecond)
				inWait = false
				cond.Release(t)
			})
			main.Sleep(49 * time.Millisecond)
			cond.Acquire(main)
			waiting = inWait
			cond.Notify(main, 1)
			early = main.Now() < 50*time.Millisecond // the time of the notify step
			cond.Release(main)
			main.Join(w)
		}
	}, func(seed int, _ *sched.Result) {
		if early && waiting && !got {
			t.Fatalf("seed %d: notified before its deadline, the wait returned false", seed)
		}
		if !early && got { // only the waiter's own deadline brings the clock to 50ms
			t.Fatalf("seed %d: notified after its deadline fired, the wait returned true", seed)
		}
		seen[got] = true
	})
	if !seen[true] || !seen[false] {
		t.Fatalf("outcomes reached: %v, want both", seen)
	}
}
