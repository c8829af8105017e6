package explore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSourceDPORFireAfterACancellerLater: a step that completes before its
// deadline cancels it (rule B asks for the clock at its node), and a
// thread that reads the time may have to run before the fire and the
// fire before the canceller. "wait | set; now | yield | read; now": the
// waiter is woken by the set, the fire still comes (time 1 s) before the
// waiter returns True, after the last thread read time 0. Source-DPOR
// lost that outcome (5 of 6) when the clock was asleep at the
// canceller's node: covering "the fire first" there does not cover "the
// read of the time, then the fire". A long random walk is the oracle
// (naive DFS runs hundreds of thousands of interleavings here).
func TestSourceDPORFireAfterACancellerLater(t *testing.T) {
	wait := []genOp{{"wait", 0, 0}}
	set := []genOp{{"set", 0, 0}, {"now", 0, 0}}
	read := []genOp{{"read", 0, 0}, {"now", 0, 0}}
	for _, third := range [][]genOp{{{"yield", 0, 0}}, {{"rand", 0, 0}}} {
		m := genModel(1, 0, [][]genOp{wait, set, third, read}, -1)
		got := explore(t, m, dpor())
		walk := Config{Strategy: Random, Runs: 20000, Seed: 3, Preemptions: Unbounded, KeepGoing: true, NoMinimize: true}
		if raceEnabled {
			walk.Runs = 4000
		}
		oracle := explore(t, m, walk)
		if diff := cmp.Diff(outcomeSet(oracle), outcomeSet(got)); diff != "" {
			t.Errorf("%v: source-DPOR's outcomes differ from a random walk's (-walk +dfs):\n%s", third, diff)
		}
	}
}
