package scenarios

import (
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// lastzero is the benchmark Abdulla et al. (POPL 2014) use to show where
// source-DPOR explores sleep-set-blocked runs and optimal DPOR does not.

func init() {
	register(Scenario{
		Name:    "lastzero",
		Group:   "benchmark",
		Section: "Abdulla et al., POPL 2014: optimal DPOR",
		Doc: "An array a[0..N] of zeros. A reader scans down from a[N], reading each element, and " +
			"stops at the first that reads 0; writer j (1..N) reads a[j-1] and writes that value " +
			"plus one into a[j]. Optimal DPOR explores one execution per trace, (N+3)·2^(N-2) " +
			"(12 for N = 3, 64 for N = 5, 3,328 for N = 10); source-DPOR also runs sleep-set-blocked " +
			"ones. The elements are atomics, as in the published form, so no data race stops the " +
			"count. The outcome is the index where the reader stopped; no property is checked.",
		Primitives: []string{"Thread", "Atomic"},
		Params:     []Param{{Name: "n", Default: 5, Doc: "highest index N (N writers)", Min: 1, Max: 16}},
		Expect:     Expect{Note: "no property: counts (N+3)·2^(N-2) traces"},
		Build:      buildLastZero,
	})
}

func buildLastZero(p Params) sched.Program {
	n := p["n"]
	elems, writers := numbered("a[", "]", 0, n+1), numbered("writer", "", 1, n)
	return func(main *sched.Thread) {
		main.ForgetLog() // no property, and nothing prints
		a := make([]*prims.Var[int], n+1)
		for i := range a {
			a[i] = prims.NewAtomic(main, elems[i], 0)
		}
		stop := -1 // written by the reader only
		threads := make([]*sched.Thread, 0, n+1)
		threads = append(threads, main.Go("reader", func(t *sched.Thread) {
			i := n
			for a[i].Load(t) != 0 {
				i--
			}
			stop = i
		}))
		for j := 1; j <= n; j++ {
			threads = append(threads, main.Go(writers[j-1], func(t *sched.Thread) {
				a[j].Store(t, a[j-1].Load(t)+1)
			}))
		}
		joinAll(main, threads)
		main.Outcome("zero at %d", stop)
	}
}
