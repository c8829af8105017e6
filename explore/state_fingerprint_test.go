package explore

import (
	"context"
	"testing"

	"pgregory.net/rapid"

	"github.com/threadsim/threadsim/sched"
)

// traceKeys explores m with d and returns the trace keys of its complete
// executions that did not fail (or deadlocked: a maximal execution too),
// with how often each was seen, and the other failure kinds (as keys below
// 256), or nil past the budget.
func traceKeys(m Model, d *dfs, runs int) map[uint64]int {
	sc := sched.New(sched.Options{NoRaces: true, Detail: true})
	defer sc.Close()
	keys := map[uint64]int{}
	finished, err := d.search(context.Background(), sc, m.Program, &budget{runs: runs}, func(r *sched.Result, blocked bool) bool {
		switch {
		case blocked:
		case r.Failure != nil && r.Failure.Kind != sched.Deadlock:
			// An execution that fails stops: the events it did not run
			// make no trace of interest; count its kind only.
			keys[uint64(r.Failure.Kind)] = 1
		default:
			keys[traceKey(r)]++
		}
		return false
	})
	if err != nil || !finished {
		return nil
	}
	return keys
}

// TestMicroTracesByBruteForce: the traces of naive DFS, grouped by
// canonical linearization, are exactly the expected counts, and DPOR
// finds each of them exactly once (DPOR-NOTES §8.1, invariants 1-2).
func TestMicroTracesByBruteForce(t *testing.T) {
	for _, c := range microCases() {
		all := naiveMicroTraces(c)
		got := traceKeys(c.m, newDFS(modeDPOR, Unbounded), 0)
		if all != nil && len(all) != c.traces {
			t.Errorf("%s: naive DFS finds %d traces, want %d", c.name, len(all), c.traces)
		}
		for k, n := range got {
			if n != 1 {
				t.Errorf("%s: DPOR explored a trace %d times", c.name, n)
			}
			if all != nil && all[k] == 0 {
				t.Errorf("%s: DPOR found a trace naive DFS did not", c.name)
			}
		}
		if all != nil && len(got) != len(all) {
			t.Errorf("%s: DPOR finds %d traces, naive DFS %d", c.name, len(got), len(all))
		}
	}
}

// TestDPORTracesMatchNaive: on generated programs, DPOR explores each
// trace of naive DFS exactly once and no other (DPOR-NOTES §8.1).
func TestDPORTracesMatchNaive(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		all := traceKeys(m, newDFS(modeNaive, Unbounded), 1200)
		if all == nil {
			rt.Skip("too many interleavings for the oracle")
		}
		got := traceKeys(m, newDFS(modeDPOR, Unbounded), 0)
		for k, n := range got {
			if n != 1 || all[k] == 0 {
				rt.Fatalf("DPOR explored a trace %d times (naive: %d)", n, all[k])
			}
		}
		if len(got) != len(all) {
			rt.Fatalf("DPOR finds %d traces, naive DFS %d", len(got), len(all))
		}
	})
}

// TestBoundedTracesMatchNaiveBounded (DPOR-NOTES §8.5): preemption-bounded
// DFS with sleep sets kept out after cuts finds every trace naive DFS finds
// within the same bound.
func TestBoundedTracesMatchNaiveBounded(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		b := rapid.IntRange(0, 3).Draw(rt, "bound")
		all := traceKeys(m, newDFS(modeNaive, b), 2000)
		if all == nil {
			rt.Skip("too many interleavings for the oracle")
		}
		got := traceKeys(m, newDFS(modeSleep, b), 0)
		for k := range all {
			if got[k] == 0 {
				rt.Fatalf("bound %d: bounded DFS misses a trace (%d found, naive %d)", b, len(got), len(all))
			}
		}
		if len(got) != len(all) {
			rt.Fatalf("bound %d: bounded DFS finds %d traces, naive %d", b, len(got), len(all))
		}
	})
}
