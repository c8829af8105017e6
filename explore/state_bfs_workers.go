package explore

import (
	"sync"
	"sync/atomic"
)

// Breadth-first search on W workers. Job k (bfsSearch.nextJob) is known
// once the nodes before it are, so the search hands out jobs in order, in
// batches of consecutive jobs (a run can take a few microseconds: a batch
// pays one hand-over for many), of up to bfsBatch jobs but at most half a
// worker's share of the jobs ready (so that a narrow level is shared
// out), at most bfsAhead
// batches per worker beyond the first batch it has not taken; workers make
// their runs on their own schedulers, knowing nothing of the table (so
// every run computes its state's options and races), and the search takes
// each job's runs in job order. A run depends on its path alone, so what
// is taken, and the report, are one worker's: only which runs were made
// ahead and thrown away (the ones after a stop or a cut) differ.

// bfsAhead is how many batches per worker may be handed out beyond the
// first one not taken: enough to keep the workers busy while the search
// takes results in order, few enough that the runs kept waiting stay
// small.
const bfsAhead = 4

// bfsBatch is the most jobs a batch holds.
const bfsBatch = 16

// bfsBatchRuns is a batch of consecutive jobs, the first the first-th
// handed out, and the runs a worker made of each.
type bfsBatchRuns struct {
	first int
	jobs  []bfsJob
	runs  [][]bfsReached
}

// parallel runs the search on workers workers and reports whether it was
// exhaustive.
func (s *bfsSearch) parallel(workers int) bool {
	window := bfsAhead * workers
	batches := make(chan *bfsBatchRuns, window)
	results := make(chan *bfsBatchRuns, window)
	var quit, noRaces atomic.Bool // noRaces: the search looks for no races (any more)
	noRaces.Store(s.search.raceOn)
	var wg sync.WaitGroup
	for range workers {
		w := &bfsWorker{m: s.m, sc: stateScheduler(s.cfg), exact: s.cfg.ExactStates, ahead: true}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.sc.Close()
			for b := range batches {
				s.runBatch(w, b, &quit, &noRaces)
				results <- b
			}
		}()
	}
	defer func() {
		quit.Store(true)
		close(batches)
		wg.Wait()
	}()
	pending := map[int]*bfsBatchRuns{}
	taken, handed, inFlight := 0, 0, 0 // jobs taken and handed out; batches out
	for {
		for inFlight < window {
			b := &bfsBatchRuns{first: handed}
			size := min(max(s.ready/(2*workers), 1), bfsBatch) // a narrow level is shared out
			for len(b.jobs) < size {
				j, ok := s.nextJob()
				if !ok {
					break
				}
				b.jobs = append(b.jobs, j)
			}
			if len(b.jobs) == 0 {
				break
			}
			batches <- b
			handed += len(b.jobs)
			inFlight++
		}
		if taken == handed {
			return true // every job taken, and no node has another
		}
		b := <-results
		pending[b.first] = b
		for b, ok := pending[taken]; ok; b, ok = pending[taken] {
			delete(pending, taken)
			taken += len(b.jobs)
			inFlight--
			for k, runs := range b.runs {
				for _, o := range runs {
					if stop, cut := s.take(b.jobs[k].parent, o); stop || cut {
						return false
					}
				}
			}
			noRaces.Store(s.search.raceOn)
		}
	}
}

// runBatch makes the runs of batch b's jobs on worker w, announcing each
// failure at once (with its job's index for a run's: a later run that
// ends the process cannot lose it), until quit.
func (s *bfsSearch) runBatch(w *bfsWorker, b *bfsBatchRuns, quit, noRaces *atomic.Bool) {
	b.runs = make([][]bfsReached, len(b.jobs))
	for k, j := range b.jobs {
		if quit.Load() {
			return
		}
		w.run(j, nil, noRaces.Load, func(o bfsReached) bool {
			b.runs[k] = append(b.runs[k], o)
			if o.r.Failure != nil {
				s.col.announce(b.first+k, summarize(o.r))
			}
			return quit.Load()
		})
	}
}
