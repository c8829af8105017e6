package explore

import (
	"fmt"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Unit is what one unit of a partitioned search found: the search below
// one prefix (part_workers.go) at one level of preemption bounding. A report
// is the units merged in order (mergeLevel), whichever worker, process or
// machine ran each one, so it is the same for any number of workers and
// shards.
type Unit struct {
	// Level is the index of the level (0 unless iterative bounding), and
	// Index the prefix's index in the level's depth-first order.
	Level int `json:"level"`
	Index int `json:"index"`
	// Prefix names the prefix by its decisions ("1.0.2").
	Prefix string `json:"prefix"`
	// Finished: the unit explored its whole subtree, or up to its first
	// failing execution without KeepGoing; not when a budget or Ctrl-C
	// stopped it.
	Finished     bool           `json:"finished"`
	Executions   int            `json:"executions"`
	Complete     int            `json:"complete"`
	SleepBlocked int            `json:"sleep_blocked"`
	Cut          int            `json:"cut"`
	Steps        int64          `json:"steps"`
	Outcomes     map[string]int `json:"outcomes"`
	// Failures has the first failing execution of each kind, in the
	// order found.
	Failures []UnitFailure `json:"failures,omitempty"`
	// SourceDPOR: the unit, an odpor unit, ran as source-DPOR because
	// its model's creations race (errCreationsRace) or it uses the clock
	// (errTimed); SourceDPORWhy says which.
	SourceDPOR    bool   `json:"source_dpor,omitempty"`
	SourceDPORWhy string `json:"source_dpor_why,omitempty"`
}

// UnitFailure is the first execution of a unit that failed with a kind,
// and how many did.
type UnitFailure struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Token   string `json:"token"`
	// Run is the execution's index within the unit.
	Run         int `json:"run"`
	Count       int `json:"count"`
	Preemptions int `json:"preemptions"`
	Steps       int `json:"steps"`
	// Digests are the execution's step digests, which the report's
	// check that the failure replays compares with.
	Digests []uint32 `json:"digests,omitempty"`
}

// PartLevel is one level of a partitioned search as every shard sees it:
// its preemption bound, its number of prefixes, and what the top of the
// tree (above the split) cut and blocked, counted once.
type PartLevel struct {
	Bound    int `json:"bound"`
	Prefixes int `json:"prefixes"`
	Cut      int `json:"cut"`
	Blocked  int `json:"blocked"`
	// Probed counts the executions of the probes of units that were then
	// cut deeper (part_workers.go).
	Probed int   `json:"probed"`
	Steps  int64 `json:"steps"`
	// ProbeCut counts the branches the bound cut in the probes of the
	// level's units, those cut deeper included: every shard runs the
	// probes, so every shard sees these cuts, and a shard whose own units
	// cut nothing may stop raising the bound only when they are zero too
	// (mergeLevel, Part.settled). Not part of the report's Cut.
	ProbeCut int `json:"probe_cut,omitempty"`
}

// Part is what one shard of a partitioned search found (Config.Shard of
// Config.Shards): every level it explored and its units, for Merge.
type Part struct {
	Shard  int         `json:"shard"`
	Shards int         `json:"shards"`
	Split  int         `json:"split"`
	Levels []PartLevel `json:"levels"`
	Units  []Unit      `json:"units"`
	// Runs are a random walk's or PCT's runs (part_runs.go).
	Runs *RunsPart `json:"runs,omitempty"`
}

// unitAdd counts execution e in u as collector.add does in a report, and
// reports whether it failed.
func unitAdd(u *Unit, m Model, strategy string, e execution, counted bool) bool {
	u.Executions++
	u.Steps += int64(e.steps)
	if counted {
		u.Outcomes[e.outcome]++
	}
	for i, k := range e.kinds {
		j := slices.IndexFunc(u.Failures, func(f UnitFailure) bool { return f.Kind == k.String() })
		if j < 0 {
			s := failureSchedule(m, strategy, e)
			u.Failures = append(u.Failures, UnitFailure{Kind: k.String(), Message: e.message[i], Token: s.Token(),
				Run: u.Executions - 1, Preemptions: e.preempt, Steps: e.steps, Digests: e.digests})
			j = len(u.Failures) - 1
		}
		u.Failures[j].Count++
	}
	return len(e.kinds) > 0
}

// failureSchedule is the schedule of the failing execution e.
func failureSchedule(m Model, strategy string, e execution) Schedule {
	s := Schedule{Version: TokenVersion, Model: m.Name, Params: m.Params,
		Strategy: strategy, Decisions: e.decisions, Shape: e.shape, Cycle: e.cycle, Limit: e.limit}
	if e.strategy != "" {
		s.Strategy = e.strategy
	}
	return s
}

// addUnit counts the unit u, whose executions follow those counted so
// far, and reports whether the report ends there (a failure without
// KeepGoing).
func (c *collector) addUnit(u *Unit) (stop bool, err error) {
	base := c.rep.Executions
	c.rep.Executions += u.Executions
	c.rep.Steps += u.Steps
	c.rep.Complete += u.Complete
	c.rep.SleepBlocked += u.SleepBlocked
	c.rep.Cut += u.Cut
	c.rep.SourceDPOR = c.rep.SourceDPOR || u.SourceDPOR
	c.rep.SourceDPORWhy = addWhy(c.rep.SourceDPORWhy, u.SourceDPORWhy)
	for o, n := range u.Outcomes {
		c.outcomes[o] += n
	}
	for _, uf := range u.Failures {
		if err := c.addFailure(uf, base+uf.Run); err != nil {
			return false, fmt.Errorf("unit %d: %w", u.Index, err)
		}
	}
	return len(u.Failures) > 0 && !c.cfg.KeepGoing, nil
}

// addFailure counts a failure found by a unit or a shard's run, first
// made by execution run of the report.
func (c *collector) addFailure(uf UnitFailure, run int) error {
	k, ok := sched.ParseKind(uf.Kind)
	if !ok {
		return fmt.Errorf("unknown failure kind %q", uf.Kind)
	}
	f := c.failures[k]
	if f == nil {
		s, err := ParseToken(uf.Token)
		if err != nil {
			return err
		}
		f = &FailureReport{Kind: k, Message: uf.Message, Token: uf.Token, Schedule: s,
			Preemptions: uf.Preemptions, Steps: uf.Steps, Run: run, FirstPreemptions: uf.Preemptions}
		c.failures[k] = f
		c.recorded[k] = uf.Digests
	}
	f.Count += uf.Count
	return nil
}

// mergeLevel counts a level: the top's blocked executions, then the
// units in prefix order (units holds those of the level that ran, in any
// order). It reports whether every prefix was finished, whether a
// failure ends the report, and the branches the bound cut in the level.
func (c *collector) mergeLevel(lv PartLevel, units []Unit) (finished, stop bool, cut int, err error) {
	c.rep.Complete, c.rep.SleepBlocked, c.rep.Bound = 0, 0, lv.Bound
	c.resetOutcomes()
	c.rep.Executions += lv.Blocked + lv.Probed
	c.rep.Probed += lv.Probed
	c.rep.SleepBlocked += lv.Blocked
	c.rep.Steps += lv.Steps
	c.rep.Cut += lv.Cut
	c.rep.Prefixes, c.rep.Unfinished = lv.Prefixes, nil
	cut = lv.Cut
	units = slices.Clone(units)
	slices.SortFunc(units, func(a, b Unit) int { return a.Index - b.Index })
	next := 0
	for i := range units {
		u := &units[i]
		for ; next < u.Index; next++ {
			c.missing(next)
		}
		next = u.Index + 1
		if !u.Finished {
			c.rep.Unfinished = append(c.rep.Unfinished, u.Index)
		}
		cut += u.Cut
		if stop, err = c.addUnit(u); stop || err != nil {
			return false, stop, cut, err
		}
	}
	for ; next < lv.Prefixes; next++ {
		c.missing(next)
	}
	if c.mine != nil {
		// A shard sees the cuts of its own units alone. Another's unit
		// may cut where this shard's cut nothing, and then the next level
		// is needed and its partition may differ; the cuts of the probes,
		// which every shard runs, say when it cannot differ (Part.settled).
		cut += lv.ProbeCut
	}
	return len(c.rep.Unfinished) == 0, false, cut, nil
}

// missing counts unit i, which did not run, as unfinished, unless it is
// another shard's.
func (c *collector) missing(i int) {
	if c.mine == nil || c.mine(i) {
		c.rep.Unfinished = append(c.rep.Unfinished, i)
	}
}

// levelSource gives level l (preemption bound bound) of a partitioned
// search: its header and the units that ran.
type levelSource func(l, bound int) (PartLevel, []Unit, error)

// mergeLevels runs the levels of a partitioned search in mode md as
// runDFS runs its levels, counting each one's units from src, and
// reports whether the search was exhaustive.
func (c *collector) mergeLevels(cfg Config, md mode, src levelSource) (bool, error) {
	if md != modeSleep && cfg.Preemptions < 0 {
		lv, units, err := src(0, Unbounded)
		if err != nil {
			return false, err
		}
		finished, _, cut, err := c.mergeLevel(lv, units)
		return finished && cut == 0, err
	}
	lo := cfg.Preemptions
	if cfg.Iterative {
		lo = 0
	}
	for bound := lo; cfg.Preemptions < 0 || bound <= cfg.Preemptions; bound++ {
		lv, units, err := src(bound-lo, bound)
		if err != nil {
			return false, err
		}
		lv.Bound = bound // a shard that stopped below repeats its last level
		finished, stop, cut, err := c.mergeLevel(lv, units)
		if err != nil || !finished || stop || c.failed() {
			return false, err
		}
		if cut == 0 {
			return true, nil
		}
	}
	return false, nil
}

// dfsMode is the mode of the depth-first search cfg asks for.
func dfsMode(cfg Config) mode {
	switch {
	case cfg.strategy() == Naive:
		return modeNaive
	case cfg.strategy() == ODPOR && cfg.Preemptions < 0 && !cfg.Iterative && !cfg.sourceDPOR:
		return modeODPOR
	case cfg.Preemptions >= 0 || cfg.Iterative:
		return modeSleep
	}
	return modeDPOR
}
