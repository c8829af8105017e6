package prims_test

import (
	"os"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// A timed acquire whose lock is released before its deadline succeeds in
// CPython: the release wakes it, however late it then runs. sched fires
// the deadline of a thread whose operation is already enabled (earliest()
// does not look at Wait.Ready), so the acquire can return false with the
// lock free since before its deadline. Condition and SimpleQueue correct
// for this themselves; Lock and RLock cannot know when the lock was freed.
// Kept runnable as an expected failure until sched skips such deadlines.
func TestLockTimeoutAfterReleaseBeforeDeadline(t *testing.T) {
	if os.Getenv("THREADSIM_EXPECTED_FAILURES") == "" {
		t.Skip("expected failure: sched fires the deadline of an enabled thread (set THREADSIM_EXPECTED_FAILURES=1 to run)")
	}
	forRandomSeeds(t, seeds, same(func(main *sched.Thread) {
		l := prims.NewLock(main, "lock")
		l.Acquire(main)
		var got bool
		w := main.Go("", func(t *sched.Thread) { got = l.AcquireTimeout(t, 10*time.Millisecond) })
		main.Sleep(5 * time.Millisecond)
		released := main.Now()
		l.Release(main)
		main.Join(w)
		main.Assert(got || released >= 10*time.Millisecond, "released at %v, the acquire with a 10ms timeout returned false", released)
	}), nil)
}
