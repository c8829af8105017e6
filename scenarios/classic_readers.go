package scenarios

import (
	"strconv"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

func init() {
	register(Scenario{
		Name:    "readers",
		Group:   "benchmark",
		Section: "Abdulla et al., POPL 2014: optimal DPOR",
		Doc: "One writer writes x once; N readers each read x once. Reads commute with each other, " +
			"so a trace is which readers run before the write: 2^N traces (4, 8, 64 for N = 2, 3, 6), " +
			"while naive search explores (N+1)! interleavings. x is an atomic, so no data race stops " +
			"the count. The outcome is how many readers saw the write; no property is checked.",
		Primitives: []string{"Thread", "Atomic"},
		Params:     []Param{{Name: "n", Default: 3, Doc: "number of readers", Min: 1, Max: 16}},
		Expect:     Expect{Note: "no property: counts 2^N traces"},
		Build:      buildReaders,
	})
}

func buildReaders(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		main.ForgetLog() // no property, and nothing prints
		x := prims.NewAtomic(main, "x", 0)
		saw := make([]int, n) // saw[i] is written by reader i only
		threads := []*sched.Thread{main.Go("writer", func(t *sched.Thread) { x.Store(t, 1) })}
		for i := range n {
			threads = append(threads, main.Go("reader"+strconv.Itoa(i+1), func(t *sched.Thread) {
				saw[i] = x.Load(t)
			}))
		}
		joinAll(main, threads)
		seen := 0
		for _, v := range saw {
			seen += v
		}
		main.Outcome("%d of %d readers saw the write", seen, n)
	}
}
