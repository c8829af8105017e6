package scenarios

import (
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's "Barrier" section: "One use for a Barrier is to allow a
// pool of threads to initialize themselves. Having the threads wait on a
// Barrier after they are initialized will ensure that none of the threads
// start running before all of the threads are finished with their
// initialization." The article gives no code; this is that program.

func init() {
	params := []Param{{Name: "n", Default: 3, Doc: "worker threads", Min: 1, Max: 5}}
	register(Scenario{
		Name:    "barrier-init",
		Group:   "article",
		Section: "Barrier",
		Doc: "n worker threads each log 'Thread i: initialising', set their ready[i] flag (a shared " +
			"variable), wait on Barrier(n), then log 'Thread i: working' and read every worker's " +
			"flag. Property: when a worker starts working, every worker is initialised. Exhaustive " +
			"exploration passes; the barrier also orders the flags' writes before the reads, so " +
			"there is no data race. Parameter n (default 3).",
		Primitives: []string{"Thread", "Barrier", "Var"},
		Params:     params,
		Expect:     Expect{Note: "nobody works before all are initialised"},
		Build:      func(p Params) sched.Program { return buildBarrierInit(p["n"], true) },
	})
	register(Scenario{
		Name:    "barrier-init-bug",
		Group:   "article",
		Section: "Barrier",
		Doc: "barrier-init without the Barrier: a worker that finishes its initialisation starts " +
			"working at once. Property: when a worker starts working, every worker is initialised. " +
			"Exhaustive exploration fails with an assertion (a worker reads another's flag unset), " +
			"and the flags race. Parameter n (default 3).",
		Primitives: []string{"Thread", "Var"},
		Params:     params,
		Expect: Expect{Fails: sched.Assertion, Also: []sched.Kind{sched.DataRace},
			Note: "a worker works before another is initialised"},
		Build: func(p Params) sched.Program { return buildBarrierInit(p["n"], false) },
	})
}

func buildBarrierInit(n int, withBarrier bool) sched.Program {
	return func(main *sched.Thread) {
		tr := forgetLog(main) // the property reads the ready flags, not the log
		var barrier *prims.Barrier
		if withBarrier {
			barrier = prims.NewBarrier(main, "initialised", n, nil, 0)
		}
		ready := make([]*prims.Var[bool], n)
		for i := range n {
			ready[i] = prims.NewVar(main, "ready["+itoa(i)+"]", false)
		}
		workers := make([]*sched.Thread, n)
		for i := range n {
			workers[i] = main.Go("", func(t *sched.Thread) {
				tr.log(t, "Thread %d: initialising", i)
				ready[i].Store(t, true)
				if withBarrier {
					barrier.Wait(t)
				}
				tr.log(t, "Thread %d: working", i)
				for j := range n {
					t.Assert(ready[j].Load(t), "Thread %d started working before Thread %d finished initialising", i, j)
				}
			})
		}
		for _, w := range workers {
			main.Join(w)
		}
		main.Outcome("all initialised before work")
	}
}
