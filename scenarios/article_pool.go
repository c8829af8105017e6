package scenarios

import "github.com/threadsim/threadsim/sched"

// withPool runs jobs as the article's
//
//	with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
//	    for job in jobs: executor.submit(job)
//	    after(main)
//
// does: submit each job, run after (the rest of the with block; may be
// nil), then shut the pool down and wait for every job.
func withPool(main *sched.Thread, workers int, after func(*sched.Thread), jobs ...func(*sched.Thread)) {
	threads := make([]*sched.Thread, 0, len(jobs))
	for _, job := range jobs {
		threads = append(threads, main.Go("", job))
	}
	if after != nil {
		after(main)
	}
	for _, t := range threads {
		main.Join(t)
	}
}
