package scenarios

import (
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's "Using a ThreadPoolExecutor": the three threads of
// multiple-threads, run by a pool with map.

func init() {
	register(Scenario{
		Name:    "executor",
		Group:   "article",
		Section: "Using a ThreadPoolExecutor",
		Doc: "executor.py: with ThreadPoolExecutor(max_workers=n) as executor: executor.map(" +
			"thread_function, range(n)); each call logs 'Thread i: starting', sleeps 2 s and logs " +
			"'Thread i: finishing'. map submits every call at once and the with block's exit " +
			"(shutdown(wait=True)) joins the workers. Property: every thread has printed 'finishing' " +
			"when the with block ends. Outcome: the finishing order. Exhaustive exploration passes and " +
			"reaches every finishing order. Parameter n: workers and calls, default 2: the article's 3 " +
			"is beyond exhaustive search in seconds (the pool's own locks, queue and idle semaphore " +
			"multiply the interleavings; explore --param n=3 --preemptions 1 covers all 6 orders in " +
			"about 20 s, or use --strategy random).",
		Primitives: []string{"ThreadPoolExecutor", "map", "sleep"},
		Params:     []Param{{Name: "n", Default: 2, Doc: "workers, and calls to thread_function", Min: 1, Max: 4}},
		Expect:     Expect{Note: "the with block waits for every call"},
		Build:      buildExecutor,
	})
}

func buildExecutor(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		// The property and the outcome read the "finishing" lines only.
		tr := watchLog(main, isFinishingLine)
		names := make([]int, n)
		for i := range names {
			names[i] = i
		}
		call := func(t *sched.Thread, name int) (struct{}, error) {
			threadFunction(tr, name)(t)
			return struct{}{}, nil
		}
		prims.WithExecutor(main, poolName, n, func(ex *prims.Executor) {
			prims.Map(main, ex, call, names)
		})
		for i := range n {
			main.Assert(tr.has(finishingLine(i)), "the with block ended before Thread %d printed 'finishing'", i)
		}
		main.Outcome("%s", finishingOrder(tr))
	}
}
