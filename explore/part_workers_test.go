package explore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// withProbe sets the partition's probe budget for one test.
func withProbe(t testing.TB, runs int) {
	old, oldRound := probeRuns, roundRuns
	probeRuns, roundRuns = runs, runs
	t.Cleanup(func() { probeRuns, roundRuns = old, oldRound })
}

// sameReport compares two reports but for what may depend on the
// workers: Elapsed and Workers.
func sameReport(a, b *Report) string {
	return cmp.Diff(a, b, cmpopts.IgnoreFields(Report{}, "Elapsed", "Workers"), cmpopts.EquateEmpty())
}

// TestPartitionMatchesSequential: on generated programs, a partitioned
// search (a small probe budget, so that the partition goes deep) finds
// the outcomes and failure kinds of the sequential source-DPOR search
// (with the same preemption bound, iterative or not, when it has one),
// unbounded, as many complete executions (one per trace: the same
// outcomes alone missed lost traces; optimal DPOR is held to it where
// sequential optimal DPOR runs as many as source-DPOR, since it alone
// misses traces of a few programs with timed operations),
// and its report is the same on 1 and 3 workers and any GOMAXPROCS, and
// when its shards are explored apart and merged. The bounded and
// iterative searches are drawn too: with iterative bounding every shard
// must run each level that any unit of the level needs, which a search
// without levels never tests.
func TestPartitionMatchesSequential(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		cfg := dpor()
		cfg.KeepGoing = rapid.Bool().Draw(rt, "keepGoing")
		if rapid.IntRange(0, 2).Draw(rt, "bounded?") == 0 {
			cfg.Preemptions = rapid.IntRange(Unbounded, 2).Draw(rt, "preemptions")
			cfg.Iterative = rapid.Bool().Draw(rt, "iterative")
		}
		if cfg.Preemptions >= 0 || cfg.Iterative {
			small := cfg
			small.Runs = 2000
			if explore(t, m, small).Executions >= small.Runs {
				rt.Skip("too many executions within the bound (full expansion)")
			}
		}
		ref := explore(t, m, cfg)
		cfg.Strategy = rapid.SampledFrom([]string{DFS, ODPOR}).Draw(rt, "strategy")
		seq := explore(t, m, cfg)
		if outcomeSet(seq) != outcomeSet(ref) && cfg.KeepGoing {
			rt.Skip("sequential optimal DPOR loses a trace of this program (a daemon and a clock read)")
		}
		withProbe(t, rapid.IntRange(1, 8).Draw(rt, "probe"))
		cfg.Split = rapid.IntRange(1, 16).Draw(rt, "target")
		cfg.Workers = 1
		one := explore(t, m, cfg)
		if a, b := outcomeSet(one), outcomeSet(ref); a != b && cfg.KeepGoing {
			rt.Fatalf("partitioned %s finds\n%s\nsequential dfs finds\n%s", cfg.Strategy, a, b)
		}
		if cfg.KeepGoing && cfg.Preemptions < 0 && !cfg.Iterative && seq.Complete == ref.Complete && one.Complete != ref.Complete {
			rt.Fatalf("partitioned %s: %d complete executions, sequential %d (one per trace)", cfg.Strategy, one.Complete, ref.Complete)
		}
		if (len(one.Failures) > 0) != (len(ref.Failures) > 0) {
			rt.Fatalf("partitioned: %s, sequential: %s", one.Verdict, ref.Verdict)
		}
		cfg.Workers = 3
		procs := runtime.GOMAXPROCS(rapid.IntRange(1, 4).Draw(rt, "procs"))
		defer runtime.GOMAXPROCS(procs)
		three := explore(t, m, cfg)
		if d := sameReport(one, three); d != "" {
			rt.Fatalf("1 and 3 workers differ (-1 +3):\n%s", d)
		}
		merged := mergeShards(rt, m, cfg, rapid.IntRange(2, 4).Draw(rt, "shards"))
		if d := sameReport(one, merged); d != "" {
			rt.Fatalf("one search and merged shards differ (-one +merged):\n%s", d)
		}
	})
}

// mergeShards explores m in n shards, one after the other, and merges
// their parts; t is a *testing.T or, so that rapid shrinks a program
// whose shards do not merge, a *rapid.T.
func mergeShards(t interface{ Fatalf(string, ...any) }, m Model, cfg Config, n int) *Report {
	var parts []Part
	for i := range n {
		c := cfg
		c.Shard, c.Shards = i, n
		rep, err := Explore(context.Background(), m, c)
		if err != nil {
			t.Fatalf("shard %d of %d: %v", i, n, err)
		}
		parts = append(parts, *rep.Part)
	}
	rep, err := Merge(context.Background(), m, cfg, parts)
	if err != nil {
		t.Fatalf("merge of %d shards: %v", n, err)
	}
	return rep
}

// TestPartitionReadsTime: a thread that draws a value and then reads the
// time sees 0 s, 1 s or 2 s, as two sleepers' deadlines fire before its
// read or not; the partitioned search finds all three on any cut. It lost
// the later two when the top of the tree stopped an execution at a draw
// at the split depth: the step before the draw had not yet read the
// clock, so the top's sleep sets took the read for independent of the
// fires.
func TestPartitionReadsTime(t *testing.T) {
	th := [][]genOp{{{"rand", 0, 0}, {"rand", 0, 0}}, {{"rand", 0, 0}, {"now", 0, 0}}, {{"sleep", 1, 0}}, {{"sleep", 1, 0}}}
	m := genModel(2, 0, th, -1)
	for _, strategy := range []string{DFS, ODPOR} {
		cfg := dpor()
		cfg.Strategy = strategy
		seq := explore(t, m, cfg)
		for _, probe := range []int{1, 2, 32} {
			withProbe(t, probe)
			for _, split := range []int{2, 16} {
				cfg.Split, cfg.Workers = split, 2
				got := explore(t, m, cfg)
				if a, b := outcomeSet(got), outcomeSet(seq); a != b || got.Complete != seq.Complete {
					t.Errorf("%s, probe %d, split %d: %d complete executions, sequential %d; partitioned finds\n%s\nsequential finds\n%s",
						strategy, probe, split, got.Complete, seq.Complete, a, b)
				}
			}
		}
	}
}

// TestPartitionCounts: on inc and lastzero, the partition finds one
// complete execution per trace, the sequential search's outcomes, and
// the same report on 1 and 2 workers.
func TestPartitionCounts(t *testing.T) {
	for _, c := range []struct {
		m        Model
		strategy string
	}{{lockInc(3), DFS}, {lastZero(5), ODPOR}, {lastZero(5), DFS}, {lostUpdate(3, false), ODPOR}} {
		t.Run(fmt.Sprint(c.m.Name, c.m.Params, c.strategy), func(t *testing.T) {
			cfg := dpor()
			cfg.Strategy = c.strategy
			seq := explore(t, c.m, cfg)
			cfg.Split, cfg.Workers = 8, 1
			one := explore(t, c.m, cfg)
			cfg.Workers = 2
			two := explore(t, c.m, cfg)
			if d := sameReport(one, two); d != "" {
				t.Errorf("1 and 2 workers differ:\n%s", d)
			}
			if d := cmp.Diff(seq.Outcomes, one.Outcomes); d != "" || one.Complete != seq.Complete {
				t.Errorf("complete %d, sequential %d; outcomes (-seq +partitioned):\n%s", one.Complete, seq.Complete, d)
			}
			t.Logf("%d executions (%d probed, %d blocked), sequential %d; %d units", one.Executions, one.Probed, one.SleepBlocked, seq.Executions, one.Prefixes)
		})
	}
}

// TestPartitionODPORBelowSleep: optimal DPOR below a prefix whose sleep
// set holds a reader finds the trace where only that reader sees the
// write ("r(x) | r(x) | w(x) | r(x)": 8 traces, one complete execution
// each, at any cut). Counting the top's sleeping reader as a weak initial
// of the reversal "the last reader before the write" lost that trace.
func TestPartitionODPORBelowSleep(t *testing.T) {
	th := [][]genOp{{{"read", 0, 1}}, {{"read", 0, 11}}, {{"write", 0, 21}}, {{"read", 0, 31}}}
	m := genModel(2, 0, th, -1)
	cfg := dpor()
	cfg.Strategy = ODPOR
	seq := explore(t, m, cfg)
	for _, probe := range []int{1, 2, 32} {
		withProbe(t, probe)
		for _, split := range []int{2, 8} {
			cfg.Split, cfg.Workers = split, 2
			got := explore(t, m, cfg)
			if a, b := outcomeSet(got), outcomeSet(seq); a != b || got.Complete != 8 {
				t.Errorf("probe %d, split %d: %d complete executions, want 8; partitioned finds\n%s\nsequential finds\n%s",
					probe, split, got.Complete, a, b)
			}
		}
	}
}

// TestPartitionDropsAsleepStarts: a prefix below which main's next start
// is asleep (a sibling the top's full expansion takes before main has
// started every thread) makes no unit: every execution below it would end
// sleep-set blocked. So on the lost update, optimal DPOR's partition has
// no unit of blocked executions only (n=4 had 6 before; on lastzero the
// siblings of the writers' steps still make such units).
func TestPartitionDropsAsleepStarts(t *testing.T) {
	for _, c := range []struct {
		m        Model
		strategy string
	}{{lostUpdate(3, false), ODPOR}, {lostUpdate(4, false), ODPOR}} {
		cfg := dpor()
		cfg.Strategy = c.strategy
		cfg.Split, cfg.Workers, cfg.Shards = AutoSplit, 2, 1
		rep := explore(t, c.m, cfg)
		for _, u := range rep.Part.Units {
			if u.Complete == 0 {
				t.Errorf("%s %s %s: unit %d (%s) ran %d executions, all sleep-set blocked", c.m.Name, c.m.Params, c.strategy, u.Index, u.Prefix, u.Executions)
			}
		}
	}
}

// TestPartitionLeavesSmallTreesWhole: a tree one worker searches within
// what the first cut's probes would cost is not cut: one unit, the
// sequential search's executions, nothing probed (cut, the top's full
// expansion multiplied them: filesystem n=20 ran 4,681 against 128).
func TestPartitionLeavesSmallTreesWhole(t *testing.T) {
	m := lastZero(5)
	cfg := dpor()
	seq := explore(t, m, cfg)
	cfg.Split, cfg.Workers = AutoSplit, 2
	part := explore(t, m, cfg)
	if part.Prefixes != 1 || part.Probed != 0 || part.Executions != seq.Executions {
		t.Errorf("partitioned: %d units, %d probed, %d executions; sequential %d executions",
			part.Prefixes, part.Probed, part.Executions, seq.Executions)
	}
	if seq.Executions <= probeRuns {
		t.Fatalf("lastzero(5) takes %d executions, within one unit's probe: the test shows nothing", seq.Executions)
	}
}

// TestPartitionODPORKeepsEveryTrace: a daemon's timed acquire, a reader
// that waits on the Event, a writer and another timed acquire: optimal
// DPOR partitioned at any small cut runs as many complete executions as
// the sequential search, 239. A partition that made the siblings of a
// node's first branch one unit, exploring that node's other branches
// with optimal DPOR from the second one on (what sequential optimal DPOR
// would do there, without the wakeup sequences the first branch's races
// insert), ran 231: the outcomes were all found, 8 traces were not.
func TestPartitionODPORKeepsEveryTrace(t *testing.T) {
	th := [][]genOp{{{"timed", 0, 0}}, {{"read", 0, 12}, {"wait", 0, 0}}, {{"write", 0, 21}}, {{"timed", 1, 0}, {"read", 0, 32}}}
	m := genModel(2, 2, th, 0)
	cfg := dpor()
	cfg.Strategy = ODPOR
	seq := explore(t, m, cfg)
	for _, probe := range []int{1, 5} {
		withProbe(t, probe)
		for _, split := range []int{2, 3, 8} {
			cfg.Split, cfg.Workers = split, 2
			got := explore(t, m, cfg)
			if a, b := outcomeSet(got), outcomeSet(seq); a != b || got.Complete != seq.Complete {
				t.Errorf("probe %d, split %d: %d complete executions, sequential %d; partitioned finds\n%s\nsequential finds\n%s",
					probe, split, got.Complete, seq.Complete, a, b)
			}
		}
	}
}

// TestPartitionODPORRaceDrivenTop: optimal DPOR's partition takes at a
// node of its top only the branches races ask for (part_rounds.go), so on
// lastzero n=10 it runs one complete execution per trace and no unit of
// sleep-set-blocked executions, in three units, the probes aside, none
// with half of them. The full expansion ran 2,359 blocked executions
// there, in 11 units: the siblings of the first branch after main's
// starts, below which the writer of a[1] is asleep for good.
func TestPartitionODPORRaceDrivenTop(t *testing.T) {
	m := lastZero(10)
	cfg := dpor()
	cfg.Strategy = ODPOR
	cfg.Split, cfg.Workers, cfg.Shards = AutoSplit, 2, 1
	rep := explore(t, m, cfg)
	if rep.Complete != 3328 || rep.SleepBlocked > 1 || len(rep.Part.Units) < 3 {
		t.Errorf("lastzero(10): %d complete, %d sleep-set blocked, %d units; want 3,328 complete, at most 1 blocked, 3 units or more",
			rep.Complete, rep.SleepBlocked, len(rep.Part.Units))
	}
	for _, u := range rep.Part.Units {
		if 2*u.Executions > rep.Executions {
			t.Errorf("unit %s: %d of %d executions", u.Prefix, u.Executions, rep.Executions)
		}
	}
}

// TestPartitionStopsAtTheRunsBudget: W workers share --runs, each
// reserving an execution before it runs it, so a budgeted search runs
// exactly the budget, not up to W-1 executions more (the workers used to
// count an execution after running it, and two could both run the last
// one).
func TestPartitionStopsAtTheRunsBudget(t *testing.T) {
	m := lastZero(10)
	step := 300
	if raceEnabled {
		step = 1200 // 17 s under the race detector with ten budgets
	}
	for _, s := range []string{DFS, ODPOR} {
		for runs := 300; runs <= 3000; runs += step {
			cfg := dpor()
			cfg.Strategy, cfg.Workers, cfg.Split, cfg.Runs, cfg.KeepGoing, cfg.NoRaces = s, 2, AutoSplit, runs, false, true
			if got := explore(t, m, cfg).Executions; got != runs {
				t.Errorf("%s on 2 workers with --runs %d ran %d executions", s, runs, got)
			}
		}
	}
}

// TestPartitionProgressCountsEveryWorker: the progress of a partitioned
// search counts the executions of every worker (each counts its own,
// partition.ran, unless a --runs budget is shared): the counts it reports
// while it runs never go down, never pass the report's, and reach three
// quarters of it (the last is within a few executions of it; one worker's
// count alone stays near half).
func TestPartitionProgressCountsEveryWorker(t *testing.T) {
	withProbe(t, 4)
	var mu sync.Mutex
	var seen []int
	cfg := dpor()
	cfg.Workers, cfg.Split, cfg.ProgressEvery = 2, AutoSplit, time.Microsecond
	cfg.Progress = func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if !p.Done {
			seen = append(seen, p.Executions)
		}
	}
	m := lostUpdate(5, false) // 17,450 executions partitioned
	if raceEnabled {
		m = lostUpdate(4, false) // 0.1 s instead of 6
	}
	rep := explore(t, m, cfg)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("no progress while the search ran")
	}
	for i, n := range seen {
		if n > rep.Executions || (i > 0 && n < seen[i-1]) {
			t.Fatalf("progress %v (%d calls) against %d executions", seen[max(i-1, 0):i+1], len(seen), rep.Executions)
		}
	}
	if last := seen[len(seen)-1]; 4*last < 3*rep.Executions {
		t.Errorf("the last progress counted %d of %d executions", last, rep.Executions)
	}
}
