package explore

import (
	"sync"
	"sync/atomic"
)

// Breadth-first search on W workers. Job k (bfsSearch.nextJob) is known
// once the nodes before it are, so the search hands out jobs in order, at
// most bfsAhead per worker beyond the first job it has not taken; workers
// make their runs on their own schedulers, knowing nothing of the table
// (so every run computes its state's options and races), and the search
// takes each job's runs in job order. A run depends on its path alone, so
// what is taken, and the report, are one worker's: only which runs were
// made ahead and thrown away (the ones after a stop or a cut) differ.

// bfsAhead is how many jobs per worker may be handed out beyond the first
// one not taken: enough to keep the workers busy while the search takes
// results in order, few enough that the runs kept waiting stay small.
const bfsAhead = 8

type bfsDone struct {
	job  int
	j    bfsJob
	runs []bfsReached
}

// parallel runs the search on workers workers and reports whether it was
// exhaustive.
func (s *bfsSearch) parallel(workers int) bool {
	window := bfsAhead * workers
	jobs := make(chan bfsDone, window)
	results := make(chan bfsDone, window)
	var quit, noRaces atomic.Bool // noRaces: the search looks for no races (any more)
	noRaces.Store(s.search.raceOn)
	var wg sync.WaitGroup
	for range workers {
		w := &bfsWorker{m: s.m, sc: stateScheduler(s.cfg), exact: s.cfg.ExactStates, ahead: true}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.sc.Close()
			for d := range jobs {
				if !quit.Load() {
					w.run(d.j, nil, noRaces.Load, func(o bfsReached) bool {
						d.runs = append(d.runs, o)
						if o.r.Failure != nil {
							// Written down at once (with its job's index for a
							// run's): a later run that ends the process cannot
							// lose it.
							s.col.announce(d.job, summarize(o.r))
						}
						return quit.Load()
					})
				}
				results <- d
			}
		}()
	}
	defer func() {
		quit.Store(true)
		close(jobs)
		wg.Wait()
	}()
	pending := map[int]bfsDone{}
	taken, handed := 0, 0
	for {
		for handed-taken < window {
			j, ok := s.nextJob()
			if !ok {
				break
			}
			jobs <- bfsDone{job: handed, j: j}
			handed++
		}
		if taken == handed {
			return true // every job taken, and no node has another
		}
		d := <-results
		pending[d.job] = d
		for d, ok := pending[taken]; ok; d, ok = pending[taken] {
			delete(pending, taken)
			taken++
			for _, o := range d.runs {
				if stop, cut := s.take(d.j.parent, o); stop || cut {
					return false
				}
			}
			noRaces.Store(s.search.raceOn)
		}
	}
}
