package visual

import (
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// failureView is the failure panel: what went wrong, and what each thread
// was doing (for a deadlock: what it waits for and who holds it).
type failureView struct {
	Kind, Message, Headline string
	Thread                  string
	Step                    int
	Threads                 []stateView
	// Cycle is the wait-for cycle of a deadlock, if the holders close one.
	Cycle string
	Stack string
}

// stateView is one thread's row in the failure panel.
type stateView struct {
	Thread                       string // data-thread
	Name, State, Op, Object, Why string
}

// markFailure marks the step after which the failing thread failed and
// returns the failure panel, or nil.
func markFailure(p *page, r *sched.Result, n names) *failureView {
	f := r.Failure
	if f == nil {
		return nil
	}
	v := &failureView{Kind: f.Kind.String(), Message: f.Message, Headline: f.Error(),
		Thread: f.ThreadName, Step: f.Step, Stack: f.Stack, Cycle: waitCycle(f.Threads)}
	for _, ts := range f.Threads {
		v.Threads = append(v.Threads, newStateView(ts))
	}
	if f.Thread == sched.NoThread {
		return v
	}
	for i := min(f.Step, len(r.Trace)) - 1; i >= 0; i-- {
		if r.Trace[i].Thread == f.Thread {
			stepAt(p, r, i).Failed = v.Kind
			break
		}
	}
	return v
}

// newStateView describes ts (sched names the thread that raised the
// failure "raised KIND", after the step it completed last).
func newStateView(ts sched.ThreadState) stateView {
	return stateView{Thread: laneKey(ts.Thread), Name: ts.Name, State: ts.State, Op: ts.Op, Object: ts.Object, Why: ts.Why}
}

// waitCycle follows "held by X" from blocked thread to blocked thread and
// returns the first cycle as "A waits for Lock 'b' held by B; B waits for
// Lock 'a' held by A", or "".
func waitCycle(states []sched.ThreadState) string {
	byName := map[string]sched.ThreadState{}
	for _, ts := range states {
		if ts.State == "blocked" {
			byName[ts.Name] = ts
		}
	}
	for _, start := range states {
		if c := cycleFrom(byName, start.Name); c != "" {
			return c
		}
	}
	return ""
}

// cycleFrom returns the wait-for cycle through name, or "".
func cycleFrom(byName map[string]sched.ThreadState, name string) string {
	var parts []string
	cur := name
	for range len(byName) {
		ts, ok := byName[cur]
		holder, held := strings.CutPrefix(ts.Why, "held by ")
		if !ok || !held {
			return ""
		}
		parts = append(parts, ts.Name+" waits for "+ts.Object+" held by "+holder)
		if holder == name {
			return strings.Join(parts, "; ")
		}
		cur = holder
	}
	return ""
}
