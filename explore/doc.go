// Package explore explores the executions of a threadsim model (a
// sched.Program) with one of several strategies, all behind the one
// sched.Chooser interface, and reports what it found: how many executions,
// which outcomes, and each kind of failure with a minimal schedule and a
// token that replays it.
//
// # Strategies
//
//   - Random walk ("random"): every real decision uniform. Run i of seed s
//     draws from a generator seeded by (s, i) alone, so it is the same
//     execution on any worker.
//   - PCT ("pct", depth d = Config.Depth, default 3): random thread
//     priorities and d-1 priority change points over k real choice points
//     (DPOR-NOTES §5; details on pctChooser). k is learned: run 0 has no
//     change point, runs [2^e, 2^(e+1)) use the largest number of choice
//     points seen in the runs before 2^e, and the runs from 256 on keep the
//     k learned from the first 256, so k too is independent of the worker
//     count and of shards. A bug of depth d is found by one run with probability
//     at least 1/(n·k^(d-1)), n the number of threads (the clock counts as
//     one). The token names the variant and k ("pct-d3-k17").
//   - Exhaustive DFS with source-DPOR and sleep sets ("dfs", Preemptions
//     -1; DPOR-NOTES §2): it explores at least one execution of every
//     Mazurkiewicz trace of the model's executions (assertions, panics,
//     deadlocks, misuse and data races are therefore all found), and by
//     the sleep sets no two complete executions of the same trace, so
//     Report.Complete counts traces; sleep-set-blocked executions are
//     counted apart (Report.SleepBlocked). Dependence (dpor_dep.go) is per object and access as executed,
//     plus the clock rules of §1.9 and the end of the program (the step
//     that ends it is dependent with daemon steps and fires). Races
//     (dpor_source.go) follow §2.3-§2.5 with the blocking rules of §2.4: a
//     blocking operation races with every uncovered dependent access
//     unless it was already pending and disabled there and its enabler
//     happens after, or it is a lock's acquire and the access is a release
//     (the lock was held there; rule A, conservatively), a step that disables another
//     thread or cancels a deadline backtracks it or the clock (rule B), and
//     at the end of an execution every unfinished thread's pending
//     operation is raced as an appended event (rule C, and failures). The
//     tests check, on generated programs, that it explores exactly the
//     traces of naive DFS, each once. The guarantee needs finite
//     executions: a model that reaches the step limit is undecided
//     (Report.Undecided, no failure).
//   - Exhaustive DFS with optimal DPOR ("odpor", Preemptions -1;
//     DPOR-NOTES §3, dpor_optimal.go): the same nodes, dependence, races and
//     sleep sets, but each node follows a wakeup tree, into which every
//     race of an execution inserts its whole reversing sequence (over all
//     of the execution, the reversed event's access recomputed for a
//     failed CAS or try that may succeed) unless a thread asleep there is
//     a weak initial of it, or a thread done there an initial (a weak one
//     when its step there drew nothing and disabled nothing). A node takes
//     over its parent's subtree without copying it. The tests check that
//     it finds exactly the traces of naive DFS, and one execution per
//     trace with no sleep-set-blocked run on lastzero, the lost update,
//     lockinc, readers, the micro-programs and the generated programs
//     without a daemon (its pending signatures are not exact: a few
//     redundant runs, no lost trace). Two kinds of model run as
//     source-DPOR instead, the whole search or the partition's unit that
//     met one (Report.SourceDPOR, with the reason in Report.SourceDPORWhy;
//     dpor_creations.go): a model whose creations of threads or objects the
//     program does not order (sched.Scheduler.CreationsRace: ids then
//     depend on the interleaving, and a wakeup sequence may name another
//     thread than it was built from), and a model that uses the virtual
//     clock (an execution registers a deadline, fires one or reads the
//     time), on which optimal DPOR lost traces
//     (TestODPORTimedFallsBack: it ran 61 of 78) and sometimes outcomes
//     (TestODPORTimedKeepsOutcomes: 6 of 8). Of the two causes, a reversed
//     step that reads the clock only when run the other way is fixed
//     (TestODPORReversalReadsClock); a timed operation that completes
//     cancels its own deadline, so a reversal that runs the clock first
//     there fires another deadline, is not. So optimal DPOR itself runs
//     only on untimed models. A third kind runs as source-DPOR too: a
//     model with a step that did less than it declared (a failed CAS or
//     try-acquire, which only reads), on which optimal DPOR lost an outcome
//     (TestODPORFailedStepFallsBack; errWeaker says how). With Preemptions
//     >= 0 it is the bounded search of "dfs".
//   - Plain DFS without reduction ("naive"): every interleaving; the
//     oracle DPOR is tested against.
//   - Preemption-bounded DFS ("dfs" with Preemptions b >= 0): every
//     execution with at most b preemptions (a preemption is a decision
//     that does not keep the current thread while it is enabled; choosing
//     the clock then counts), over full expansion with sleep sets, where a
//     sibling whose subtree the bound cut is kept out of the sleep sets
//     (DPOR-NOTES §4.3 baseline), so every trace with an execution within
//     the bound is found. With Iterative, bounds 0, 1, 2, ... are explored
//     in turn until a level cuts nothing (complete), the bound b is
//     reached, or the budget ends (bounded).
//   - Delay-bounded search ("delay", bound_delay.go; Emmi, Qadeer and Rakamarić,
//     POPL 2011): the schedules that deviate at most Delays times from a
//     deterministic non-preemptive round-robin scheduler. The thread that
//     ran last keeps running while enabled (a yield or sleep(0) passes
//     the turn); then the next enabled thread in id order after it, with
//     wrap-around; the clock comes after every thread, so time passes only
//     when no thread can run (steps take no virtual time). Choosing the
//     j-th option in that order costs j delays; draws cost none. Bound 0 is
//     the one round-robin schedule (one per draw value) and bound 1 adds
//     one execution per extra option of its choice points, however many
//     threads there are, where preemption bounding's bound 0 already holds
//     every order of the threads. A schedule with d delays has at most d
//     preemptions. No reduction: plain DFS over the delay choices, every
//     schedule within the bound once. With Iterative, bounds 0, 1, ... up
//     to Delays (no limit when Unbounded) until a failure, a level the
//     bound did not cut (complete) or the budget (bounded, Report.Bound
//     the bound reached); each level runs the lower levels' schedules
//     again.
//   - Stateful DFS ("stateful", state_search.go; DPOR-NOTES §7.1): depth-first
//     over the state graph (sched's fingerprints: objects, threads'
//     pending operations and observation histories, deadlines relative to
//     now), with a table of visited states, each stored with the sleep set
//     it was explored with; no DPOR (its race analysis needs the events
//     below a visited state). Ample sets (state_ample.go) reduce the states: a
//     new state where some awake thread's step is invisible (a woken sleep,
//     a yield, a draw, a print nobody reads, a start, a join of a finished
//     thread, an exit while no thread has watched a started thread
//     otherwise than by joining it) explores that thread alone, and in
//     full when the step turns out to reach further (its local code read
//     the clock, changed another object, created one though not a start)
//     or closes a cycle on the path; FullExpansion turns them off. A model
//     that reads the time (Thread.Now) makes the search start again with
//     the time in its states; one that watches a started thread (is_alive,
//     a timed join, a poll, repr, enumerate) or runs a daemon, again
//     without taking exits alone. A transition cache (state_transcache.go) knows, from steps
//     already run, what a step that changed only its thread and its object
//     does; with what it learned of each thread's pending step and
//     enabledness, the search follows such steps without running the
//     model (state_predict.go), storing and meeting the same states in the same
//     order, and runs the model only for steps it has not seen. It
//     finds what DFS finds, and it ends on models whose executions do not:
//     loops that wait for time to pass, spins that declare their state with
//     Thread.Checkpoint. A state met again on the current path closes a
//     cycle; a weakly fair one (every thread enabled throughout runs in it)
//     is reported as a sched.Livelock whose schedule carries the cycle
//     (Schedule.Cycle) and replays by checking the cycle closes. Data races
//     are read off states (two enabled accesses to one Data object, one a
//     write) and replayed with vector clocks. Outcomes count the terminal
//     executions run, not traces. Report.States, Generated, StateBytes and
//     the collision estimates describe the table; MaxStates bounds it,
//     ExactStates stores whole states instead of 64-bit fingerprints. Its
//     executions keep no trace (sched.Options.NoTrace); a failure of a
//     kind not yet reported is run again with its trace for the report.
//   - Breadth-first search ("bfs", state_bfs.go): the same states and table, in
//     order of distance, every enabled thread expanded: its first failure
//     has as few steps as any failing execution. No livelocks. On Workers
//     workers (state_bfs_workers.go) the runs that reach the next states
//     are made ahead in parallel and taken in order, so the report is one
//     worker's.
//   - Replay (Replay): one execution following a Schedule; a schedule that
//     does not fit the model (another model or parameters, a decision out
//     of range, a schedule that ends early or late) is an error naming the
//     decision and step.
//
// # Reports
//
// A Report's verdict is "failed" when any execution failed (a data race
// counts as a failure of kind sched.DataRace; an execution with a race and
// another failure counts for both kinds), "complete" when an exhaustive
// search finished without cutting anything, and "bounded" otherwise
// (random and PCT, a preemption bound that cut branches, or a budget).
// Without KeepGoing exploration stops at the first failing execution.
//
// Reports do not depend on the number of workers (only Elapsed and
// Workers do): random and PCT executions run in parallel but are handed to
// the report in run order, and the report ends at the first failing run in
// that order; a depth-first search runs on one worker, or, with
// Config.Split, partitioned into units of a partition that depends on the
// program alone (part_workers.go), searched on Workers workers and merged in
// order. Config.Shard and Shards run one share of such a search's units,
// a random walk's or PCT's runs or delay bounding's subtrees, and Merge makes the whole
// report from the shares' parts (part_shard.go); an unbounded optimal DPOR
// search's partition grows from its units' races (part_rounds.go), so
// each of its shards runs every unit and reports its own share. A budget
// or Ctrl-C makes a
// partitioned report depend on the workers; it lists the units left
// unfinished.
//
// # Schedules, tokens and minimisation
//
// A Schedule is the list of decisions an execution took at real choice
// points (two or more options), in the 0-encoding of package sched (0
// keeps the current thread). Its token ("ts1.<model>.<params>.<payload>.
// <crc32>") is a copyable string that ParseToken reads back. Each failure
// kind is reported with the schedule of fewest preemptions, then fewest
// steps, failing with that kind, found by Minimize: first it drops the
// schedule's preemptions one at a time, replaying its other context
// switches in order, while it still fails (within an eighth of the caps),
// then runs delay-bounded search near the round-robin schedule (bounds 0,
// 1, ... up to the best count so far, within a quarter; both scale with
// the threads), then preemption-bounded DFS with bounds 0, 1, ... up to the
// best count so far, which proves the result minimal when its levels end
// within a budget of executions and steps (never of time: the minimised
// schedule is the same on any machine). When the budget ends first (with
// many threads, inside preemption bound 0) the best schedule found is
// reported with FailureReport.Unproved set.
//
// # Where things are
//
// The package is one package, because the families share the model, the
// execution and the report; each family is a room of files named by its
// prefix, so `ls` shows the strategies the way Shuttle's scheduler folder
// does:
//
//   - Driving a search (no prefix): driver.go (Explore and its budgets),
//     model.go, exec.go (what an execution leaves), report.go and
//     announce.go (the collector and failures as found), format.go.
//   - dpor_*: stateless DPOR. dpor_search.go (the DFS loop and its
//     iterative bounds), dpor_path.go (the path, its decisions and
//     preemption bounds), dpor_source.go (source sets and sleep sets),
//     dpor_optimal.go (wakeup trees), dpor_creations.go (optimal DPOR's
//     fallback when thread ids depend on the order), dpor_dep.go,
//     dpor_depset.go and dpor_index.go (dependence and the races' event
//     index), dpor_mutation.go (the classic bugs, for the tests).
//   - bound_*: delay bounding (bound_delay.go).
//   - part_*: partitioned search, on workers and shards. part_prefix.go
//     and part_workers.go (the partition and its workers), part_rounds.go
//     and part_rounds_run.go (optimal DPOR's race-driven top and its
//     rounds), part_unit.go
//     (one unit's findings), part_shard.go (shares and Merge), part_runs.go
//     and part_delay.go (a random walk's and delay bounding's shares).
//   - state_*: stateful search. state_search.go and state_bfs.go (the two
//     orders), state_path.go, state_rules.go, state_ample.go,
//     state_fingerprint.go, state_fptable.go, state_table.go and
//     state_prefault.go (the visited table), state_predict.go,
//     state_shadow.go and state_transcache.go (following known steps
//     without the model), state_livelock.go (cycles).
//   - sample_*: random walk and PCT (sample_random.go, sample_pct.go) and
//     their workers (sample_workers.go).
//   - Schedules (no prefix): token.go, digest.go, replay.go,
//     determinism.go, minimize.go and minimize_delay.go.
//
// Tests follow the same names; the ones about the whole package (the
// property tests, the models, the counts) have none.
package explore
