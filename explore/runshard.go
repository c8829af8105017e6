package explore

import (
	"fmt"
	"slices"
)

// A random walk's run i depends only on (seed, i) (random.go), so its
// runs split among shards by index: shard s of n makes the runs whose
// index is s modulo n, in order, and records each one's outcome, steps
// and failures (RunsPart). Merge replays the runs 0, 1, 2, ... from the
// parts, as the single search hands them to its report, and stops where
// it stops: at the budget, at the first failing run without KeepGoing,
// or at the first run a shard did not make (a shard stopped early by
// Time, Ctrl-C or its own first failure: the runs after it count in no
// report). PCT is not split: its estimate of k for the runs of an epoch
// comes from every run before it, which a shard does not make.

// RunsPart is what one shard of a random walk ran.
type RunsPart struct {
	// Limit is the number of runs of the whole search.
	Limit int `json:"limit"`
	// Outcomes are the distinct outcomes of the shard's runs; Outcome has
	// each run's, as an index into Outcomes, and Steps its steps, in run
	// order (run Shard + k*Shards is the k-th).
	Outcomes []string `json:"outcomes"`
	Outcome  []int    `json:"outcome"`
	Steps    []int    `json:"steps"`
	// Failures are the failures of the failing runs, one per kind, Run
	// being the run's index in the whole search.
	Failures []UnitFailure `json:"failures,omitempty"`
}

// record adds run i, execution e, to the part.
func (rp *RunsPart) record(m Model, strategy string, i int, e execution) {
	o := slices.Index(rp.Outcomes, e.outcome)
	if o < 0 {
		o = len(rp.Outcomes)
		rp.Outcomes = append(rp.Outcomes, e.outcome)
	}
	rp.Outcome = append(rp.Outcome, o)
	rp.Steps = append(rp.Steps, e.steps)
	for k, kind := range e.kinds {
		rp.Failures = append(rp.Failures, UnitFailure{Kind: kind.String(), Message: e.message[k],
			Token: failureSchedule(m, strategy, e).Token(), Run: i, Count: 1, Preemptions: e.preempt, Steps: e.steps,
			Digests: e.digests})
	}
}

// shareRuns is the number of runs below limit whose index is shard
// modulo shards.
func shareRuns(limit, shard, shards int) int {
	if limit <= shard {
		return 0
	}
	return (limit-shard-1)/shards + 1
}

// mergeRuns counts the runs of a random walk's parts in run order, as
// runSampled counts them, and reports whether it reached the budget.
func (c *collector) mergeRuns(parts []Part) error {
	n := len(parts)
	byShard := make([]*RunsPart, n)
	for _, p := range parts {
		if p.Runs == nil {
			return fmt.Errorf("shard %d has no runs: not a part of a random walk", p.Shard)
		}
		byShard[p.Shard] = p.Runs
	}
	limit := byShard[0].Limit
	failures := map[int][]UnitFailure{}
	for _, rp := range byShard {
		if rp.Limit != limit {
			return fmt.Errorf("parts of different searches: %d and %d runs", limit, rp.Limit)
		}
		for _, f := range rp.Failures {
			failures[f.Run] = append(failures[f.Run], f)
		}
	}
	i := 0
	for ; i < limit; i++ {
		rp, k := byShard[i%n], i/n
		if k >= len(rp.Outcome) {
			break // a run this shard did not make: the report ends before it
		}
		if rp.Outcome[k] < 0 || rp.Outcome[k] >= len(rp.Outcomes) {
			return fmt.Errorf("shard %d: run %d has no outcome", i%n, i)
		}
		stop, err := c.addRun(i, rp.Outcomes[rp.Outcome[k]], rp.Steps[k], failures[i])
		if err != nil {
			return err
		}
		if stop {
			return nil
		}
	}
	c.rep.Budget = i < limit && !c.failed()
	return nil
}

// addRun counts run i as collector.add does, from its outcome, steps and
// failures, and reports whether the report ends there.
func (c *collector) addRun(i int, outcome string, steps int, fails []UnitFailure) (stop bool, err error) {
	c.rep.Executions++
	c.rep.Steps += int64(steps)
	c.outcomes[outcome]++
	for _, uf := range fails {
		if err := c.addFailure(uf, i); err != nil {
			return false, fmt.Errorf("run %d: %w", i, err)
		}
	}
	return len(fails) > 0 && !c.cfg.KeepGoing, nil
}
