package prims_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// wantCaught runs prog, in which main catches what raise raises and then
// goes on with after (which checks that the primitive still works: its
// internal lock was released). The execution must not fail, and the
// exception must be CPython's, to the letter.
func wantCaught(t *testing.T, want string, raise func(main *sched.Thread), after func(main *sched.Thread)) {
	t.Helper()
	var got *sched.Exception
	forSeeds(t, 1, same(func(main *sched.Thread) {
		got = main.Try(func() { raise(main) })
		if after != nil {
			after(main)
		}
	}), nil)
	if got == nil || got.Error() != want {
		t.Fatalf("caught %v, want %q", got, want)
	}
}

// lock_tests BaseLockTests.test_timeout: a negative timeout other than
// the default raises ValueError.
func TestLockNegativeTimeoutCatchable(t *testing.T) {
	var l *prims.Lock
	wantCaught(t, "ValueError: timeout value must be a non-negative number",
		func(main *sched.Thread) {
			l = prims.NewLock(main, "l")
			l.AcquireTimeout(main, -time.Second)
		},
		func(main *sched.Thread) { l.Acquire(main); l.Release(main) })
}

// Releasing an unlocked Lock is RuntimeError "release unlocked lock".
func TestLockReleaseUnlockedCatchable(t *testing.T) {
	wantCaught(t, "RuntimeError: release unlocked lock",
		func(main *sched.Thread) { prims.NewLock(main, "l").Release(main) }, nil)
}

// lock_tests RLockTests.test_release_unacquired.
func TestRLockReleaseUnacquiredCatchable(t *testing.T) {
	wantCaught(t, "RuntimeError: cannot release un-acquired lock",
		func(main *sched.Thread) { prims.NewRLock(main, "r").Release(main) }, nil)
}

// lock_tests ConditionTests.test_unacquired_wait and
// test_unacquired_notify.
func TestConditionUnacquiredCatchable(t *testing.T) {
	wantCaught(t, "RuntimeError: cannot wait on un-acquired lock",
		func(main *sched.Thread) { prims.NewCondition(main, "c", nil).Wait(main) }, nil)
	wantCaught(t, "RuntimeError: cannot notify on un-acquired lock",
		func(main *sched.Thread) { prims.NewCondition(main, "c", nil).Notify(main, 1) }, nil)
}

// lock_tests BaseSemaphoreTests.test_constructor: Semaphore(value=-1).
func TestSemaphoreConstructorCatchable(t *testing.T) {
	wantCaught(t, "ValueError: semaphore initial value must be >= 0",
		func(main *sched.Thread) { prims.NewSemaphore(main, "s", -1) }, nil)
}

// lock_tests BoundedSemaphoreTests.test_release_unacquired: the check is
// made under the semaphore's lock, which the with-statement releases, so
// the semaphore still works after the exception was caught.
func TestBoundedSemaphoreReleaseUnacquiredCatchable(t *testing.T) {
	var s *prims.BoundedSemaphore
	wantCaught(t, "ValueError: Semaphore released too many times",
		func(main *sched.Thread) {
			s = prims.NewBoundedSemaphore(main, "s", 1)
			s.Release(main)
		},
		func(main *sched.Thread) {
			main.Assert(s.Acquire(main), "acquire after the caught over-release")
			s.Release(main)
		})
}

// test_queue's queue_join_test: "Did not detect task count going
// negative". all_tasks_done's lock is released on the way out, so the
// queue still works.
func TestQueueTaskDoneTooManyCatchable(t *testing.T) {
	var q *prims.Queue[int]
	wantCaught(t, "ValueError: task_done() called too many times",
		func(main *sched.Thread) {
			q = prims.NewQueue[int](main, "q", 0)
			q.TaskDone(main)
		},
		func(main *sched.Thread) {
			q.Put(main, 1)
			x, err := q.Get(main)
			main.Assert(x == 1 && err == nil, "the queue after the caught task_done")
		})
}

// test_queue test_negative_timeout_raises_exception, for Queue and
// SimpleQueue.
func TestQueueNegativeTimeoutCatchable(t *testing.T) {
	var q *prims.Queue[int]
	wantCaught(t, "ValueError: 'timeout' must be a non-negative number",
		func(main *sched.Thread) {
			q = prims.NewQueue[int](main, "q", 1)
			q.GetTimeout(main, -time.Second)
		},
		func(main *sched.Thread) { q.Put(main, 1) })
	wantCaught(t, "ValueError: 'timeout' must be a non-negative number",
		func(main *sched.Thread) { prims.NewSimpleQueue[int](main, "q").GetTimeout(main, -time.Second) }, nil)
}

// lock_tests BarrierTests.test_action_exception: the action raises in the
// last thread to arrive, which gets the action's exception; the others get
// BrokenBarrierError, a RuntimeError, and the barrier is broken.
func TestBarrierActionException(t *testing.T) {
	forSeeds(t, seeds/4, same(func(main *sched.Thread) {
		b := prims.NewBarrier(main, "b", 3, func(t *sched.Thread) { t.Raise("RuntimeError", "action") }, 0)
		results := make([]string, 3)
		ts := bunch(main, 3, func(t *sched.Thread, i int) {
			exc := t.Try(func() {
				_, err := b.Wait(t)
				t.Reraise(err)
			})
			results[i] = exc.Error()
			t.Assert(exc.Matches("RuntimeError"), "%v is no RuntimeError", exc)
		})
		joinAll(main, ts)
		action, broken := 0, 0
		for _, r := range results {
			switch r {
			case "RuntimeError: action":
				action++
			case "BrokenBarrierError":
				broken++
			}
		}
		main.Assert(action == 1 && broken == 2, "results %v, want one action exception and two BrokenBarrierError", results)
		main.Assert(b.Broken(main), "the barrier is not broken")
	}), nil)
}

// test_concurrent_futures FutureTests.test_result_with_exception: result()
// raises the call's exception, here one the call raised rather than
// returned; the worker that ran it goes on with the next call.
func TestExecutorTaskRaises(t *testing.T) {
	forSeeds(t, seeds/4, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		bad, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) {
			t.Raise("OSError", "boom")
			return 0, nil
		})
		good, _ := prims.Submit(main, ex, func(*sched.Thread) (int, error) { return 7, nil })
		exc := main.Try(func() { bad.Get(main) })
		main.Assert(exc != nil && exc.Error() == "OSError: boom", "result() raised %v", exc)
		main.Assert(good.Get(main) == 7, "the next call's result")
		ex.Shutdown(main, true, false)
	}), nil)
}
