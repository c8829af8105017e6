package visual

import (
	"context"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// failingRun is the first failure exploration reports for a scenario,
// replayed with details, as `threadsim explore NAME --html` draws it.
func failingRun(t *testing.T, name string) *sched.Result {
	t.Helper()
	prog, params, err := scenarios.BuildNamed(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := explore.Model{Name: name, Params: params.String(), Program: prog}
	rep, err := explore.Explore(context.Background(), m, explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded})
	if err != nil || len(rep.Failures) == 0 {
		t.Fatalf("%s: %v, no failure", name, err)
	}
	r, err := explore.Replay(m, rep.Failures[0].Schedule, sched.Options{Detail: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// allSpans are the pending intervals of every thread, as the page paints
// them between steps.
func allSpans(r *sched.Result) []span {
	s := newSpanner(newNames(r), r)
	var out []span
	for id, l := range lifetimes(r) {
		prev := l.Born
		for _, i := range l.Steps {
			out = append(out, s.gap(sched.ThreadID(id), prev+1, i-1, r.Trace[i].Op, r.Trace[i].Obj)...)
			prev = i
		}
	}
	return out
}

// TestBlockedIsWhatHappened: the page draws a thread blocked only while
// the scheduler found it unable to run, and the wait ends at the step that
// enabled it. Inferred from the trace, lost-update's pool_0 was drawn
// blocked from step 13 to 31 "until MainThread's put at step 30" though its
// work item was queued at step 5 (it was runnable, not chosen), and in
// pipeline-queue a get was said to be unblocked by another get.
func TestBlockedIsWhatHappened(t *testing.T) {
	r := failingRun(t, "lost-update")
	for _, sp := range allSpans(r) {
		if sp.Kind == spanBlocked && r.ThreadName(sp.Thread) == "pool_0" && strings.Contains(sp.Until, "put at step 30") {
			t.Errorf("lost-update: pool_0 drawn blocked over steps %d-%d %s", sp.From, sp.To, sp.Until)
		}
	}
	for _, name := range []string{"lost-update", "pipeline-queue"} {
		r := failingRun(t, name)
		blocked := 0
		for _, sp := range allSpans(r) {
			if sp.Kind != spanBlocked {
				continue
			}
			blocked++
			if strings.HasPrefix(sp.Label, "get") && strings.Contains(sp.Until, "'s get ") {
				t.Errorf("%s: %s's %s is said to end %s", name, r.ThreadName(sp.Thread), sp.Label, sp.Until)
			}
			for i := sp.From; i <= sp.To; i++ {
				if !blockedAt(r, sp.Thread, i) {
					t.Errorf("%s: %s drawn blocked at step %d, where the scheduler had it runnable", name, r.ThreadName(sp.Thread), i)
					break
				}
			}
		}
		if blocked == 0 {
			t.Errorf("%s: no blocked interval drawn", name)
		}
	}
}

// blockedAt reports whether the scheduler recorded thread id blocked at
// step i.
func blockedAt(r *sched.Result, id sched.ThreadID, i int) bool {
	for _, b := range r.Blocks {
		if b.Thread == id && b.From <= i && i <= b.To {
			return true
		}
	}
	return false
}
