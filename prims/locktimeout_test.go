package prims_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// A timed acquire whose lock is released before its deadline succeeds in
// CPython: the release wakes it, however late it then runs. The clock
// firing that deadline afterwards must not turn it into a timeout.
func TestLockTimeoutAfterReleaseBeforeDeadline(t *testing.T) {
	forRandomSeeds(t, seeds, same(func(main *sched.Thread) {
		l := prims.NewLock(main, "lock")
		l.Acquire(main)
		var got bool
		w := main.Go("", func(t *sched.Thread) { got = l.AcquireTimeout(t, 10*time.Millisecond) })
		main.Sleep(5 * time.Millisecond)
		l.Release(main)
		released := main.Now() // the time of the release step
		main.Join(w)
		main.Assert(got || released >= 10*time.Millisecond, "released at %v, the acquire with a 10ms timeout returned false", released)
	}), nil)
}
