package scenarios

import (
	"strconv"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

func init() {
	register(Scenario{
		Name:    "dining-philosophers",
		Group:   "benchmark",
		Section: "Dijkstra, 1965",
		Doc: "N philosophers around a table with N forks (Locks). Philosopher i takes fork i (left), " +
			"then fork i+1 mod N (right), eats, and puts both down. When every philosopher holds " +
			"a left fork, each waits for a right one forever: a deadlock, reached with a single " +
			"preemption (philosopher 0 takes its left fork, then the others, from the last down, " +
			"each take theirs and block). A trace is which neighbour takes each fork first: the " +
			"2^N - 2 acyclic choices complete, and the all-left cycle is the one deadlock, 2^N - 1 traces " +
			"(3, 7 for N = 2, 3, counted by brute force).",
		Primitives: []string{"Thread", "Lock"},
		Params:     []Param{{Name: "n", Default: 3, Doc: "number of philosophers", Min: 2, Max: 8}},
		Expect:     Expect{Fails: sched.Deadlock, Note: "every philosopher holds its left fork"},
		Build:      func(p Params) sched.Program { return buildPhilosophers(p["n"], false) },
	})
	register(Scenario{
		Name:    "dining-philosophers-fixed",
		Group:   "benchmark",
		Section: "Dijkstra, 1965",
		Doc: "The dining philosophers with the resource-ordering fix: the last philosopher takes " +
			"its right fork first, so every philosopher takes the lower-numbered fork first, no " +
			"cycle of waits can form, and every schedule ends with all philosophers fed (checked). Its traces are the 2^N - 2 " +
			"acyclic choices of which neighbour takes each fork first (2, 6 for N = 2, 3).",
		Primitives: []string{"Thread", "Lock"},
		Params:     []Param{{Name: "n", Default: 3, Doc: "number of philosophers", Min: 2, Max: 8}},
		Expect:     Expect{Note: "no deadlock: forks are taken in a global order"},
		Build:      func(p Params) sched.Program { return buildPhilosophers(p["n"], true) },
	})
}

func buildPhilosophers(n int, fixed bool) sched.Program {
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads who ate, and nothing prints
		forks := make([]*prims.Lock, n)
		for i := range forks {
			forks[i] = prims.NewLock(main, "fork"+strconv.Itoa(i))
		}
		ate := make([]bool, n) // ate[i] is written by philosopher i only
		threads := make([]*sched.Thread, n)
		for i := range n {
			first, second := forks[i], forks[(i+1)%n]
			if fixed && i == n-1 {
				first, second = second, first
			}
			threads[i] = main.Go("philosopher"+strconv.Itoa(i), func(t *sched.Thread) {
				first.Acquire(t)
				second.Acquire(t)
				ate[i] = true // both forks held: eating
				second.Release(t)
				first.Release(t)
			})
		}
		joinAll(main, threads)
		fed := 0
		for _, a := range ate {
			if a {
				fed++
			}
		}
		main.Assert(fed == n, "%d of %d philosophers ate", fed, n)
		main.Outcome("%d fed", fed)
	}
}
