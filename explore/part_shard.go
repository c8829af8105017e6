package explore

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Merge makes the report of a whole search from the parts its shards
// found (Report.Part of Explore with Config.Shard i of Config.Shards n,
// for every i): the report Explore gives on one machine with the same
// model and configuration, failures minimised alike; only Elapsed (the
// merge's own time) and Workers differ. cfg is the configuration the
// shards ran with (Shard and Shards aside). A shard that stopped raising
// the preemption bound because neither its share nor any probe (which
// every shard runs) cut anything counts for the higher levels with its
// last one, which they repeat (Part.settled). Missing or
// unfinished prefixes make the report bounded, listing them in
// Unfinished.
func Merge(ctx context.Context, m Model, cfg Config, parts []Part) (*Report, error) {
	if err := checkParts(parts); err != nil {
		return nil, err
	}
	cfg.Shard, cfg.Shards = 0, 0
	col := newCollector(m, cfg)
	col.start = time.Now()
	exhaustive := false
	switch cfg.strategy() {
	case DFS, ODPOR, Naive:
		var err error
		exhaustive, err = col.mergeLevels(cfg, dfsMode(cfg), func(l, _ int) (PartLevel, []Unit, error) {
			return partsLevel(parts, l)
		})
		if err != nil {
			return nil, err
		}
		col.rep.Split = parts[0].Split
	case Delay:
		var err error
		exhaustive, err = col.mergeDelayLevels(cfg, func(l, _ int) (PartLevel, []Unit, error) {
			return partsLevel(parts, l)
		})
		if err != nil {
			return nil, err
		}
	case Random, PCT:
		if err := col.mergeRuns(parts); err != nil {
			return nil, err
		}
		col.rep.Seed = cfg.Seed
		if cfg.strategy() == PCT {
			col.rep.Depth, col.rep.K = cfg.pctDepth(), mergedK(parts, col.rep.Executions-1)
		}
	default:
		return nil, fmt.Errorf("cannot merge %s parts (dfs, odpor, naive, random, pct and delay can be merged)", cfg.strategy())
	}
	col.rep.Budget = col.rep.Budget || (len(col.rep.Unfinished) > 0 && !col.failed())
	rep := col.finish(exhaustive)
	finishFailures(ctx, m, cfg, col, rep, !cfg.NoMinimize)
	return rep, nil
}

// ShardsSplitWork reports whether the shards of c's search (Shard i of
// Shards n) divide its work between them. They do for dfs, naive,
// bounded or iterative odpor, random walk, PCT (each shard also makes the
// runs k is learned from, pctLearnRuns) and delay bounding. They do not
// for unbounded optimal DPOR, whose partition grows from the races every
// unit finds (part_rounds.go), which one shard cannot see: each of its
// shards runs every unit and reports its share, so Merge still gives the
// single report; nor for stateful and bfs, which refuse shards.
func (c Config) ShardsSplitWork() bool {
	switch c.strategy() {
	case DFS, Naive, Random, PCT, Delay:
		return true
	case ODPOR:
		return c.Preemptions >= 0 || c.Iterative
	}
	return false
}

// checkParts checks that parts are the shards 0 to n-1 of one search.
func checkParts(parts []Part) error {
	if len(parts) == 0 {
		return fmt.Errorf("no parts to merge")
	}
	n, split := parts[0].Shards, parts[0].Split
	seen := make([]bool, n)
	for _, p := range parts {
		if p.Shards != n || p.Split != split {
			return fmt.Errorf("parts of different searches: shard %d of %d at split %d, shard %d of %d at split %d",
				parts[0].Shard, n, split, p.Shard, p.Shards, p.Split)
		}
		if p.Shard < 0 || p.Shard >= n {
			return fmt.Errorf("shard %d out of range 0..%d", p.Shard, n-1)
		}
		if seen[p.Shard] {
			return fmt.Errorf("shard %d of %d given twice", p.Shard, n)
		}
		seen[p.Shard] = true
	}
	if i := slices.Index(seen, false); i >= 0 {
		return fmt.Errorf("shard %d of %d is missing", i, n)
	}
	return nil
}

// partsLevel gathers level l from the parts. A part that explored fewer
// levels takes part with its last level when that level finished every
// unit of its share without a cut (a higher bound explores the same
// executions there); otherwise it contributes nothing (its prefixes are
// unfinished).
func partsLevel(parts []Part, l int) (PartLevel, []Unit, error) {
	var lv PartLevel
	have := false
	var units []Unit
	for _, p := range parts {
		from := l
		if l >= len(p.Levels) {
			if len(p.Levels) == 0 || !p.settled() {
				continue
			}
			from = len(p.Levels) - 1
		}
		if have && p.Levels[from].Prefixes != lv.Prefixes {
			return lv, nil, fmt.Errorf("shards %d and %d disagree on level %d's prefixes (%d, %d)",
				parts[0].Shard, p.Shard, l, lv.Prefixes, p.Levels[from].Prefixes)
		}
		if !have {
			lv, have = p.Levels[from], true
		}
		for _, u := range p.Units {
			if u.Level == from {
				units = append(units, u)
			}
		}
	}
	if !have {
		return lv, nil, fmt.Errorf("no shard explored level %d", l)
	}
	return lv, units, nil
}

// settled reports whether the part's last level finished all its units
// with no cut, above the split, in any unit's probe or in its own units,
// and no failure. Then every higher level repeats it for this shard: the
// bound cut nothing in the top or the probes, so the top enumerates the
// same prefixes and the probes run the same executions, which decide the
// same partition, and its own units run the same executions again
// (whatever other shards' units cut beyond their probes).
func (p Part) settled() bool {
	last := len(p.Levels) - 1
	if p.Levels[last].Cut > 0 || p.Levels[last].ProbeCut > 0 {
		return false
	}
	for _, u := range p.Units {
		if u.Level == last && (!u.Finished || u.Cut > 0 || len(u.Failures) > 0) {
			return false
		}
	}
	return true
}
