package explore

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Model is a program to explore, with the name and canonical parameters
// ("k=v,k=v", sorted) that tokens carry so that a schedule is replayed
// against the program it came from.
type Model struct {
	Name    string
	Params  string
	Program sched.Program
}

// Strategy names accepted in Config.Strategy.
const (
	// DFS is exhaustive depth-first search with source-DPOR and sleep
	// sets; with Preemptions >= 0 it is preemption-bounded DFS over full
	// expansion with sleep sets (DPOR-NOTES §4.3 baseline).
	DFS = "dfs"
	// ODPOR is exhaustive depth-first search with optimal DPOR (wakeup
	// trees): one execution per Mazurkiewicz trace; with Preemptions >= 0
	// it is the bounded search of DFS.
	ODPOR = "odpor"
	// Naive is exhaustive depth-first search over every interleaving,
	// without reduction: the oracle DPOR is tested against.
	Naive = "naive"
	// Random is a seeded uniform random walk.
	Random = "random"
	// PCT is probabilistic concurrency testing with depth Config.Depth.
	PCT = "pct"
	// Stateful is exhaustive depth-first search over the state graph with
	// a table of visited states and sleep sets (state_search.go); it reports
	// fair cycles as livelocks.
	Stateful = "stateful"
	// BFS is exhaustive breadth-first search over the state graph: the
	// first failure it finds has a shortest schedule (state_bfs.go).
	BFS = "bfs"
	// Delay is delay-bounded search (bound_delay.go): every schedule that
	// deviates at most Config.Delays times from a round-robin scheduler.
	Delay = "delay"
)

// Verdicts of a Report.
const (
	// Complete: the search was exhaustive and found no failure.
	Complete = "complete"
	// Bounded: no failure found, but the search was not exhaustive (a
	// bound or budget cut branches, or the strategy samples).
	Bounded = "bounded"
	// Failed: at least one execution failed.
	Failed = "failed"
	// Undecided: no execution failed, but the search met an execution
	// that did not end within the step limit and stopped there. That is
	// no failure of the program: a stateless search cannot tell a program
	// that never ends from a schedule that is unfair (one that never runs
	// a thread that could run, as a polite back-off that yields for ever
	// to a thread the schedule never picks); stateful search decides it
	// (a fair cycle is a livelock, none means it passes). A stateful or
	// BFS search stops there at a path whose states did not repeat
	// within the limit: executions longer than the limit, or a state
	// space without bound (Report.Undecided).
	Undecided = "undecided"
)

// Config configures Explore. The zero value of a field means its default
// unless stated otherwise.
type Config struct {
	// Strategy is "dfs" (default), "odpor", "naive", "random", "pct",
	// "stateful", "bfs" or "delay".
	Strategy string
	// Seed seeds random and PCT: run i of seed s is the same execution on
	// any number of workers.
	Seed uint64
	// Runs is the execution budget (0: unlimited for DFS, 1000 for random
	// and PCT when Time is also 0).
	Runs int
	// Time is the wall-time budget (0: none).
	Time time.Duration
	// Preemptions bounds DFS: -1 is unbounded (DPOR), b >= 0 explores the
	// schedules with at most b preemptions. The zero value is bound 0; use
	// Unbounded.
	Preemptions int
	// Iterative runs bounded DFS with bounds 0, 1, 2, ... up to
	// Preemptions (or until a level cuts nothing when Preemptions is -1),
	// and the delay strategy with bounds 0, 1, 2, ... up to Delays.
	Iterative bool
	// Delays bounds the delay strategy: -1 is unbounded (every schedule),
	// K >= 0 explores the schedules that deviate at most K times from the
	// round-robin scheduler (bound_delay.go). The zero value is bound 0.
	Delays int
	// Workers run random and PCT executions, and the units of a
	// partitioned depth-first search, in parallel (default
	// runtime.NumCPU()). Reports never depend on Workers (except where a
	// budget or Ctrl-C stopped the search). Stateful and bfs search run
	// on one worker: their table of visited states decides, in search
	// order, which visit of a state explores it, so a split would make
	// the report depend on the workers. Delay bounding runs its units
	// (part_delay.go) on Workers when Split is set and Runs is not.
	Workers int
	// Split partitions a depth-first search (dfs, odpor, naive, bounded
	// or iterative) by prefixes into about Split open units searched by
	// Workers workers (part_prefix.go, part_workers.go): the top of the tree is
	// expanded fully with sleep sets, as deep as the probes of the units
	// say, a function of the program. 0: no partition (one worker);
	// AutoSplit: 16 units, 2 for odpor. The report depends on Split, not
	// on Workers or Shards.
	Split int
	// Shard and Shards make this search explore only share Shard (0 to
	// Shards-1) of a partitioned search's prefixes (those whose index is
	// Shard modulo Shards), of a random walk's or PCT's runs
	// (part_runs.go), or of the subtrees below delay bounding's prefixes
	// (part_delay.go); Report.Part then holds what Merge needs to make the
	// report of the whole search. Shards 0: the whole search. A
	// depth-first search with Shards > 0 and Split 0 uses AutoSplit.
	Shard, Shards int
	// KeepGoing continues after a failure and counts failing executions.
	KeepGoing bool
	// MaxSteps is the step limit of one execution (0: sched default).
	MaxSteps int
	// Depth is PCT's bug depth d (default 3).
	Depth int
	// NoRaces turns data race detection off.
	NoRaces bool
	// UncaughtExceptionsOK: an exception that ends a thread other than
	// main is no failure (sched.Options.UncaughtExceptionsOK).
	UncaughtExceptionsOK bool
	// NoMinimize skips the minimisation of failing schedules.
	NoMinimize bool
	// MinimizeRuns and MinimizeSteps cap each minimisation's executions
	// and the steps they take (DefaultMinimizeRuns, DefaultMinimizeSteps);
	// past either the best schedule found so far is kept. They count
	// work, not time: a report does not depend on the machine's speed.
	MinimizeRuns  int
	MinimizeSteps int
	// Progress, if set, is called from the exploring goroutine at most
	// every ProgressEvery (default 200ms) and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// StuckAfter and OnStuck are passed to sched.Options: how long one
	// step may take in real time, and what to do with a model that
	// blocks outside the simulator (by default sched prints the report
	// and exits with status 3).
	StuckAfter time.Duration
	OnStuck    func(report string, decisions []int)
	// OnFailure, if set, is called with each new kind of failure as soon
	// as it is found, before minimisation, so that a caller can write it
	// down before anything ends the process (a model stuck outside the
	// simulator makes sched exit it; a model may call os.Exit or overflow
	// its stack in a later execution). Random and PCT workers call it the
	// moment a failing execution ends, before they run another; calls are
	// serialised, but may come from any goroutine.
	OnFailure func(FailureReport)
	// MaxStates bounds the states a stateful search stores (0: none);
	// reaching it ends the search with a Bounded verdict.
	MaxStates int
	// ExactStates makes stateful searches compare full states instead of
	// 64-bit fingerprints: no collisions, more memory.
	ExactStates bool
	// FullExpansion turns off stateful search's ample sets: every awake
	// thread is explored from every new state, invisible steps included.
	FullExpansion bool
	// interrupt is the exploration's ctx.Done(), for the watchdog
	// (sched.Options.Interrupt).
	interrupt <-chan struct{}
	// timeInState keeps the virtual time in stateful search's states,
	// for models that read it (runStates).
	timeInState bool
	// exitsSeen: the model observes exits (sched.Scheduler.ExitObserved),
	// so stateful search does not take them alone (runStates).
	exitsSeen bool
	// sourceDPOR runs an odpor search as source-DPOR: the model's ids
	// depend on the interleaving (sched.Scheduler.CreationsRace).
	sourceDPOR bool
}

// Unbounded is the Preemptions value of an unbounded search.
const Unbounded = -1

// AutoSplit is the Split value that chooses the split depth from the
// program (the smallest depth with at least 64 prefixes).
const AutoSplit = -1

// Progress is a snapshot of a running exploration.
type Progress struct {
	Executions int
	Failures   int
	Elapsed    time.Duration
	// Bound is the preemption bound being explored, or the delay bound
	// of the delay strategy (-1: none).
	Bound int
	Done  bool
	// Workers, Prefixes and PrefixesDone describe a partitioned search:
	// its workers, the prefixes of the level (this shard's) and how many
	// are done (0 for other searches).
	Workers, Prefixes, PrefixesDone int
}

func (c Config) options() sched.Options {
	return sched.Options{MaxSteps: c.MaxSteps, NoRaces: c.NoRaces, StuckAfter: c.StuckAfter, OnStuck: c.OnStuck,
		Interrupt: c.interrupt, UncaughtExceptionsOK: c.UncaughtExceptionsOK}
}

func (c Config) strategy() string {
	if c.Strategy == "" {
		return DFS
	}
	return c.Strategy
}
