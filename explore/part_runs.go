package explore

import (
	"fmt"
	"slices"
)

// A random walk's run i depends only on (seed, i) (sample_random.go), and
// a PCT run only on (seed, i) and k, which is learned from the runs below
// pctLearnRuns (sample_pct.go). So runs split among shards by index:
// shard s of n owns the runs whose index is s modulo n and records each
// one's outcome, steps and failures (RunsPart). A PCT shard first makes
// every learning run, to learn k as the single search does, and keeps
// only its own; then it makes its share of the rest. Merge replays the
// runs 0, 1, 2, ... from the parts, as the single search hands them to
// its report, and stops where it stops: at the budget, at the first
// failing run without KeepGoing, or at the first run a shard did not
// make (a shard stopped early by Time, Ctrl-C or a first failure: the
// runs after it count in no report).

// runShare is the runs one process of a sampled search makes, by
// position: every run (shards 0), or a shard's: first every run below
// learn, then the runs from learn on that it owns.
type runShare struct {
	shard, shards int
	learn         int // runs every shard makes
}

// positions is the number of runs below limit the process makes.
func (r runShare) positions(limit int) int {
	if r.shards == 0 {
		return limit
	}
	learn := min(r.learn, limit)
	return learn + shareRuns(limit, r.shard, r.shards) - shareRuns(learn, r.shard, r.shards)
}

// run is the index in the whole search of the run made at position i.
func (r runShare) run(i int) int {
	if r.shards == 0 || i < r.learn {
		return i
	}
	first := r.learn + ((r.shard-r.learn)%r.shards+r.shards)%r.shards
	return first + (i-r.learn)*r.shards
}

// owns reports whether run belongs in this process's report.
func (r runShare) owns(run int) bool {
	return r.shards == 0 || run%r.shards == r.shard
}

// RunsPart is what one shard of a random walk or PCT ran.
type RunsPart struct {
	// Limit is the number of runs of the whole search.
	Limit int `json:"limit"`
	// EpochK is PCT's k in each epoch the shard began, in order (runs
	// [0, 1), [1, 2), [2, 4), ..., then from pctLearnRuns on): every
	// shard makes the learning runs, so the shards agree on it.
	EpochK []int `json:"epoch_k,omitempty"`
	// Outcomes are the distinct outcomes of the shard's runs; Outcome has
	// each run's, as an index into Outcomes, and Steps its steps, in run
	// order (run Shard + k*Shards is the k-th).
	Outcomes []string `json:"outcomes"`
	Outcome  []int    `json:"outcome"`
	Steps    []int    `json:"steps"`
	// Failing lists, for each failure kind, the runs that failed so (by
	// their index in the whole search), and Failures the first of them
	// in full: the first run of a kind in the whole search is the first
	// of its shard.
	Failing  map[string][]int `json:"failing,omitempty"`
	Failures []UnitFailure    `json:"failures,omitempty"`
	index    map[string]int   // Outcomes' indices
}

// record adds run i, execution e, to the part.
func (rp *RunsPart) record(m Model, strategy string, i int, e execution) {
	o, ok := rp.index[e.outcome]
	if !ok {
		if rp.index == nil {
			rp.index = map[string]int{}
		}
		o = len(rp.Outcomes)
		rp.index[e.outcome] = o
		rp.Outcomes = append(rp.Outcomes, e.outcome)
	}
	rp.Outcome = append(rp.Outcome, o)
	rp.Steps = append(rp.Steps, e.steps)
	for k, kind := range e.kinds {
		name := kind.String()
		if rp.Failing == nil {
			rp.Failing = map[string][]int{}
		}
		if len(rp.Failing[name]) == 0 {
			rp.Failures = append(rp.Failures, UnitFailure{Kind: name, Message: e.message[k],
				Token: failureSchedule(m, strategy, e).Token(), Run: i, Count: 1, Preemptions: e.preempt, Steps: e.steps,
				Digests: e.digests})
		}
		rp.Failing[name] = append(rp.Failing[name], i)
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

// mergeRuns counts the runs of a random walk's or PCT's parts in run
// order, as runSampled counts them, and reports whether it reached the
// budget.
func (c *collector) mergeRuns(parts []Part) error {
	n := len(parts)
	byShard := make([]*RunsPart, n)
	for _, p := range parts {
		if p.Runs == nil {
			return fmt.Errorf("shard %d has no runs: not a part of a random walk or PCT", p.Shard)
		}
		byShard[p.Shard] = p.Runs
	}
	limit := byShard[0].Limit
	failures, err := runFailures(byShard)
	if err != nil {
		return err
	}
	for _, rp := range byShard {
		if rp.Limit != limit {
			return fmt.Errorf("parts of different searches: %d and %d runs", limit, rp.Limit)
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

// mergedK is PCT's k in the epoch of run last, the last run the merged
// report counts, from a part that began that epoch.
func mergedK(parts []Part, last int) int {
	e := pctEpoch(max(last, 0))
	for _, p := range parts {
		if e < len(p.Runs.EpochK) {
			return p.Runs.EpochK[e]
		}
	}
	return 0
}

// runFailures lists each failing run's failures, in the order of the
// kinds' names: in full for the first run of a kind in its shard, by kind
// alone (Count 1) for the others.
func runFailures(parts []*RunsPart) (map[int][]UnitFailure, error) {
	out := map[int][]UnitFailure{}
	for _, rp := range parts {
		kinds := make([]string, 0, len(rp.Failing))
		for k := range rp.Failing {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			for n, run := range rp.Failing[k] {
				f := UnitFailure{Kind: k, Run: run, Count: 1}
				if n == 0 {
					j := slices.IndexFunc(rp.Failures, func(f UnitFailure) bool { return f.Kind == k })
					if j < 0 {
						return nil, fmt.Errorf("run %d: no %s failure recorded", run, k)
					}
					f = rp.Failures[j]
				}
				out[run] = append(out[run], f)
			}
		}
	}
	return out, nil
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
