package explore

import (
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// TestLockTracesByBruteForce: on lock programs (nested locks, an RLock
// taken twice, a Condition over a Lock and over an RLock, whose waits
// release and re-acquire the lock), DPOR finds exactly the traces of naive
// DFS, each once, and runs no sleep-set-blocked execution on the first
// three. An acquire does not race with the release before it (the lock was
// held there); these programs check that nothing is lost by it.
func TestLockTracesByBruteForce(t *testing.T) {
	rlock := micro("rlock", func(main *sched.Thread, rec func(string, ...any)) []func(*sched.Thread) {
		l := prims.NewRLock(main, "l")
		x := prims.NewVar(main, "x", 0)
		return []func(*sched.Thread){
			func(t *sched.Thread) { l.Acquire(t); l.Acquire(t); x.Store(t, 1); l.Release(t); l.Release(t) },
			func(t *sched.Thread) { x.Store(t, 2); l.Acquire(t); rec("%d", x.Load(t)); l.Release(t) },
		}
	})
	cond := func(name string, lock prims.Locker) Model {
		return micro(name, func(main *sched.Thread, rec func(string, ...any)) []func(*sched.Thread) {
			c := prims.NewCondition(main, "c", lock)
			flag := prims.NewVar(main, "flag", false)
			return []func(*sched.Thread){
				func(t *sched.Thread) {
					c.Acquire(t)
					for !flag.Load(t) {
						c.Wait(t)
					}
					c.Release(t)
				},
				func(t *sched.Thread) { c.Acquire(t); flag.Store(t, true); c.Notify(t, 1); c.Release(t) },
			}
		})
	}
	cases := []struct {
		m     Model
		noSSB bool
	}{
		{nestedLocks(2), true},
		{philosophers(2, false), true},
		{rlock, true},
		{Model{Name: "cond-lock", Program: func(main *sched.Thread) { cond("", prims.NewLock(main, "l")).Program(main) }}, false},
		{Model{Name: "cond-rlock", Program: func(main *sched.Thread) { cond("", prims.NewRLock(main, "l")).Program(main) }}, false},
	}
	for _, c := range cases {
		all := traceKeys(c.m, newDFS(modeNaive, Unbounded), 50000)
		if all == nil {
			t.Fatalf("%s: naive DFS over budget", c.m.Name)
		}
		d := newDFS(modeDPOR, Unbounded)
		got := traceKeys(c.m, d, 0)
		for k, n := range got {
			if n != 1 || all[k] == 0 {
				t.Errorf("%s: DPOR explored a trace %d times (naive DFS: %d)", c.m.Name, n, all[k])
			}
		}
		if len(got) != len(all) {
			t.Errorf("%s: DPOR finds %d traces, naive DFS %d", c.m.Name, len(got), len(all))
		}
		rep := explore(t, c.m, dpor())
		t.Logf("%s: %d traces, %d executions (%d sleep-set blocked)", c.m.Name, len(all), rep.Executions, rep.SleepBlocked)
		if c.noSSB && rep.SleepBlocked != 0 {
			t.Errorf("%s: %d sleep-set-blocked executions, want 0", c.m.Name, rep.SleepBlocked)
		}
	}
}
