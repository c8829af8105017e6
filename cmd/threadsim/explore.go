package main

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/threadsim/threadsim/explore"
)

func init() {
	registerCommand(command{name: "explore", order: 3, run: runExplore,
		usage: "explore SCENARIO|PROGRAM.py [--python PATH] [--check FILE.py:FUNC] [--strategy dfs|odpor|random|pct|stateful|bfs|delay] [--runs N] [--time D] [--seed S] " +
			"[--preemptions K] [--delays K] [--iterative] [--workers W] [--keep-going] [--uncaught-ok] [--max-states N] [--exact-states] [--full-expansion] [--param k=v ...] " +
			"[--json] [--html FILE] [--mermaid FILE]"})
}

// maxWorkers caps --workers: each worker keeps a scheduler with its
// coroutines, and more workers than CPUs run no faster.
const maxWorkers = 256

// exploreFlags are the flags of explore.
type exploreFlags struct {
	cfg    explore.Config
	params paramFlag
	json   bool
	all    bool
	shard  shardFlag
	// workersSet: --workers was given, which partitions dfs, odpor and
	// naive (for any number, 1 included, so that the report is the same).
	workersSet bool
	views      viewFlags
}

func (f *exploreFlags) define() *flag.FlagSet {
	fs := newFlagSet("explore")
	fs.StringVar(&f.cfg.Strategy, "strategy", explore.DFS, "search `strategy`: dfs (exhaustive, source-DPOR), odpor (exhaustive, optimal DPOR), random, pct, "+
		"stateful (exhaustive over states, finds livelocks), bfs (exhaustive over states, shortest failures) "+
		"or delay (schedules within --delays deviations from round robin); "+
		"the liveness scenarios, whose executions need not end, default to stateful")
	fs.IntVar(&f.cfg.Runs, "runs", 0, "stop after N executions (0: dfs runs to the end; random and pct run 1000)")
	fs.DurationVar(&f.cfg.Time, "time", 0, "stop after this much wall time, such as 30s (0: no limit)")
	fs.Uint64Var(&f.cfg.Seed, "seed", 0, "seed of random and pct (0: pick one and print it)")
	fs.IntVar(&f.cfg.Preemptions, "preemptions", explore.Unbounded, "dfs: explore only schedules with at most K preemptions (-1: no bound)")
	fs.BoolVar(&f.cfg.Iterative, "iterative", false, "dfs: raise the preemption bound from 0 up to --preemptions; "+
		"delay: raise the delay bound from 0 up to --delays")
	fs.IntVar(&f.cfg.Delays, "delays", explore.Unbounded, "delay: explore only schedules with at most K delays, "+
		"deviations from the round-robin scheduler (-1: no bound)")
	fs.IntVar(&f.cfg.Workers, "workers", 0, "parallel workers (0: one per CPU); the report does not depend on them")
	fs.IntVar(&f.cfg.Split, "split", splitUnset, "dfs, odpor and naive: partition the search into about N units searched in parallel "+
		"(-1: the default with --workers or --shard, 16 units, 2 for odpor; 0: no partition, one worker, the default otherwise)")
	fs.Var(&f.shard, "shard", "explore only share `i/n` of the search (0 <= i < n); with --json, print a part for 'threadsim merge'")
	fs.BoolVar(&f.cfg.KeepGoing, "keep-going", false, "go on after a failure and count the failing executions")
	fs.IntVar(&f.cfg.MaxSteps, "max-steps", 0, "step limit of one execution (0: the default, 20000)")
	fs.IntVar(&f.cfg.Depth, "depth", 0, "pct: the bug depth d (0: 3)")
	fs.BoolVar(&f.cfg.NoRaces, "no-races", false, "do not report data races")
	fs.BoolVar(&f.cfg.UncaughtExceptionsOK, "uncaught-ok", false,
		"an exception that ends a thread other than main is no failure (the program relies on it; it is still printed)")
	fs.IntVar(&f.cfg.MaxStates, "max-states", 0, "stateful and bfs: stop after storing N states (0: no limit)")
	fs.BoolVar(&f.cfg.ExactStates, "exact-states", false, "stateful and bfs: compare whole states, not 64-bit fingerprints")
	fs.BoolVar(&f.cfg.FullExpansion, "full-expansion", false, "stateful: explore every awake thread from every new state (no ample sets)")
	fs.Var(f.params, "param", "set a scenario parameter `k=v` (repeatable)")
	fs.BoolVar(&f.json, "json", false, "print one JSON document instead of tables")
	definePythonFlag(fs)
	defineCheckFlag(fs)
	defineRandomChoicesFlag(fs)
	fs.BoolVar(&f.all, "all-steps", false, "show the steps inside primitives in traces")
	f.views.define(fs, "the first failure's minimal trace")
	return fs
}

// splitUnset is --split's default: a partition with --workers or
// --shard, none otherwise.
const splitUnset = -2

// check rejects flag values that parse but make no sense.
func (f *exploreFlags) check() error {
	c := &f.cfg
	switch c.Strategy {
	case explore.DFS, explore.ODPOR, explore.Random, explore.PCT, explore.Naive, explore.Delay:
	case explore.Stateful, explore.BFS:
		if c.Preemptions != explore.Unbounded || c.Delays != explore.Unbounded || c.Iterative {
			return usageErrorf("-preemptions, -delays and -iterative do not apply to %s: it explores every state", c.Strategy)
		}
	default:
		return usageErrorf("invalid value %q for flag -strategy: want dfs, odpor, random, pct, stateful, bfs or delay", c.Strategy)
	}
	switch {
	case c.Runs < 0:
		return usageErrorf("invalid value %d for flag -runs: must be >= 0", c.Runs)
	case c.Time < 0:
		return usageErrorf("invalid value %v for flag -time: must be >= 0", c.Time)
	case c.Preemptions < explore.Unbounded:
		return usageErrorf("invalid value %d for flag -preemptions: must be >= 0, or -1 for no bound", c.Preemptions)
	case c.Delays < explore.Unbounded:
		return usageErrorf("invalid value %d for flag -delays: must be >= 0, or -1 for no bound", c.Delays)
	case c.Workers < 0, c.MaxSteps < 0, c.Depth < 0, c.MaxStates < 0:
		return usageErrorf("-workers, -max-steps, -max-states and -depth must be >= 0")
	case c.Workers > maxWorkers:
		return usageErrorf("invalid value %d for flag -workers: at most %d (workers beyond the CPUs only take memory)", c.Workers, maxWorkers)
	case c.FullExpansion && c.Strategy != explore.Stateful:
		return usageErrorf("-full-expansion applies to the stateful strategy only (%s has no ample sets)", c.Strategy)
	}
	if c.Split == splitUnset {
		c.Split = 0
		if f.workersSet || f.shard.total > 0 {
			c.Split = explore.AutoSplit
		}
	}
	if c.Split < explore.AutoSplit {
		return usageErrorf("invalid value %d for flag -split: must be >= 0, or -1 to choose it from the model", c.Split)
	}
	c.Shard, c.Shards = f.shard.index, f.shard.total
	switch c.Strategy {
	case explore.Stateful, explore.BFS:
		if c.Shards > 0 {
			return usageErrorf("-shard does not apply to %s: its state table is not split", c.Strategy)
		}
		c.Split = 0
	case explore.Random, explore.PCT:
		if c.Shards > 0 && c.Seed == 0 {
			return usageErrorf("-shard with the %s strategy needs -seed: every shard makes its runs of the same search", c.Strategy)
		}
		c.Split = 0
	case explore.Delay:
		if c.Split != 0 {
			c.Split = explore.AutoSplit // its cut is fixed (part_delay.go)
		}
	}
	if c.Seed == 0 && (c.Strategy == explore.Random || c.Strategy == explore.PCT) {
		c.Seed = rand.Uint64N(1<<53) + 1
	}
	return nil
}

// runExplore explores a scenario and prints the summary, each failure's
// minimal trace and its replay token.
func runExplore(e *env, args []string) int {
	f := exploreFlags{params: paramFlag{}}
	fs := f.define()
	pos, err := parseArgs(e, fs, commands["explore"].usage, args)
	if err != nil {
		return e.helpOrFail(err)
	}
	f.workersSet = flagGiven(fs, "workers")
	m, err := modelFromArgs(pos, f.params)
	if err != nil {
		return e.fail(err)
	}
	if !flagGiven(fs, "strategy") && m.scenario.Expect.Stateful {
		f.cfg.Strategy = explore.Stateful
		fmt.Fprintf(e.err, "threadsim explore: %s's executions need not end, which only stateful search decides: "+
			"exploring with --strategy stateful\n", m.scenario.Name)
	}
	if err := f.check(); err != nil {
		return e.fail(err)
	}
	if err := f.views.check(); err != nil {
		return e.fail(err)
	}
	warnIgnoredFlags(e.err, fs, f.cfg.Strategy)
	warnShardsDoNotSplit(e.err, f.cfg)
	defer m.close()
	p := newProgress(e.err, f.json)
	f.cfg.Progress = p.update
	before := &foundSoFar{}
	f.cfg.OnStuck, f.cfg.OnFailure = m.onStuck(e, f.cfg.Strategy, before), before.add
	f.cfg.StuckAfter, e.json = e.stuckAfter, f.json
	rep, err := explore.Explore(e.ctx, m.exploreModel(), f.cfg)
	p.clear()
	interrupted := e.ctx.Err() != nil
	if rep == nil {
		if err == nil {
			err = errors.New("exploration returned no report")
		}
		return e.fail(err)
	}
	if err != nil && !interrupted {
		return e.fail(err)
	}
	if werr := e.writeExploration(m, rep, f, interrupted); werr != nil {
		return e.fail(werr)
	}
	f.views.allSteps = f.all
	if werr := writeFirstFailureViews(m, rep, f.views); werr != nil {
		return e.fail(werr)
	}
	return exploreStatus(rep)
}

// exploreStatus is the exit status of a search: a failure found, else an
// execution left undecided, else none.
func exploreStatus(rep *explore.Report) int {
	switch {
	case len(rep.Failures) > 0:
		return exitFailure
	case rep.Undecided != nil:
		return exitUndecided
	}
	return exitOK
}

// writeExploration prints the report as tables or JSON.
func (e *env) writeExploration(m model, rep *explore.Report, f exploreFlags, interrupted bool) error {
	if f.json && f.shard.total > 0 {
		return e.writePart(m, rep, f, interrupted)
	}
	if f.json {
		return writeJSON(e.out, exploreReport(m, rep, interrupted))
	}
	if f.shard.total > 0 {
		fmt.Fprintf(e.out, "shard %s: this report covers the shard's share of the search; 'threadsim merge' makes the whole report from every shard's --json part\n", f.shard.String())
	}
	return writeExploreText(e.out, m, rep, interrupted, f.all)
}

// elapsedRate is executions per second, 0 for an instant run.
func elapsedRate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// writeFirstFailureViews draws the first failure's minimal schedule,
// replayed with details, into the --html and --mermaid files.
func writeFirstFailureViews(m model, rep *explore.Report, v viewFlags) error {
	if !v.wanted() || len(rep.Failures) == 0 {
		return nil
	}
	f := rep.Failures[0]
	x, err := replayToken(f.Token, m.scenario.Name)
	if err != nil {
		return err
	}
	defer x.model.close()
	x.found = fmt.Sprintf("%s found by explore (%s), its minimal schedule", f.Kind, rep.Strategy)
	return x.writeViews(v)
}
