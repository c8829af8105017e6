package scenarios

import (
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// poolName names the article's thread pools: the workers are pool_0,
// pool_1, ... (CPython's default prefix, ThreadPoolExecutor-N, is long for
// a trace column).
const poolName = "pool"

// withPool runs jobs as the article's
//
//	with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
//	    for job in jobs: executor.submit(job)
//	    after()
//
// does: submit each job, run after (the rest of the with block; may be
// nil), then shut the pool down and wait for every job.
func withPool(main *sched.Thread, workers int, after func(*sched.Thread), jobs ...func(*sched.Thread)) {
	prims.WithExecutor(main, poolName, workers, func(ex *prims.Executor) {
		for _, job := range jobs {
			prims.Submit(main, ex, func(t *sched.Thread) (struct{}, error) {
				job(t)
				return struct{}{}, nil
			})
		}
		if after != nil {
			after(main)
		}
	})
}
