package scenarios

import (
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The counter benchmarks of the DPOR literature (Abdulla et al., POPL 2014,
// and the Nidhugg suite): N threads updating one shared counter, without
// and with a lock around the read and the write.

func init() {
	register(Scenario{
		Name:    "inc",
		Group:   "benchmark",
		Section: "Abdulla et al., POPL 2014: optimal DPOR",
		Doc: "N threads; thread i reads x, then writes x + 2^i in a separate step. " +
			"Every write order and every choice of which earlier write each read sees is a trace: " +
			"(N!)^2 of them (4, 36, 576, 14,400 for N = 2..5), the count an optimal DPOR explores; " +
			"naive search explores (2N)!/2^N interleavings. x is an atomic (sequentially consistent) " +
			"variable, as in the benchmark's published form, so exploration counts traces instead of " +
			"stopping at the data race; the racy version is the scenario lost-update. " +
			"The outcome is the final x; no property is checked, so it passes.",
		Primitives: []string{"Thread", "Atomic"},
		Params:     []Param{{Name: "n", Default: 3, Doc: "number of threads", Min: 1, Max: 6}},
		Expect:     Expect{Note: "no property: counts (N!)^2 traces"},
		Build:      buildInc,
	})
	register(Scenario{
		Name:    "lockinc",
		Group:   "benchmark",
		Section: "Abdulla et al., POPL 2014: optimal DPOR",
		Doc: "N threads; each acquires one Lock, reads x, writes x+1 and releases it. " +
			"Only the order in which the threads enter the critical section matters: N! traces " +
			"(2, 6, 24, 120 for N = 2..5). The lock protects x, so there is no data race, and the " +
			"final x is always N (checked).",
		Primitives: []string{"Thread", "Lock", "Var"},
		Params:     []Param{{Name: "n", Default: 4, Doc: "number of threads", Min: 1, Max: 8}},
		Expect:     Expect{Note: "x = N after every schedule"},
		Build:      buildLockInc,
	})
}

func buildInc(p Params) sched.Program {
	n := p["n"]
	names := numbered("T", "", 0, n)
	return func(main *sched.Thread) {
		main.ForgetLog() // no property, and nothing prints
		x := prims.NewAtomic(main, "x", 0)
		threads := make([]*sched.Thread, n)
		for i := range n {
			threads[i] = main.Go(names[i], func(t *sched.Thread) {
				v := x.Load(t)
				x.Store(t, v+1<<i)
			})
		}
		joinAll(main, threads)
		main.Outcome("x=%d", x.Peek())
	}
}

func buildLockInc(p Params) sched.Program {
	n := p["n"]
	names := numbered("T", "", 0, n)
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads x, and nothing prints
		l := prims.NewLock(main, "lock")
		x := prims.NewVar(main, "x", 0)
		threads := make([]*sched.Thread, n)
		for i := range n {
			threads[i] = main.Go(names[i], func(t *sched.Thread) {
				l.Acquire(t)
				x.Store(t, x.Load(t)+1)
				l.Release(t)
			})
		}
		joinAll(main, threads)
		main.Assert(x.Peek() == n, "x = %d after %d locked increments, want %d", x.Peek(), n, n)
		main.Outcome("x=%d", x.Peek())
	}
}

// joinAll joins every thread in order.
func joinAll(main *sched.Thread, threads []*sched.Thread) {
	for _, t := range threads {
		main.Join(t)
	}
}
