package scenarios_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// stateCase is a scenario at parameters for the state tests.
type stateCase struct {
	name   string
	params scenarios.Params
	// endless: some executions never end (they stop at the step limit).
	endless bool
}

func (c stateCase) String() string { return c.name + "/" + c.params.String() }

// stateCases are every scenario at its defaults, and the sizes meant for
// stateful search only at small values: the never-silent queue pipelines,
// more messages and larger pools.
func stateCases() []stateCase {
	var cs []stateCase
	for _, s := range scenarios.All() {
		cs = append(cs, stateCase{s.Name, nil, s.Expect.Stateful})
	}
	for _, name := range []string{"pipeline-queue", "pipeline-queue-exit-bug", "pipeline-queue-fixed"} {
		cs = append(cs, stateCase{name, scenarios.Params{"m": 0, "size": 2}, true})
	}
	return append(cs,
		stateCase{"pipeline-lock", scenarios.Params{"k": 25}, false},
		stateCase{"pipeline-lock-bug", scenarios.Params{"k": 25}, false},
		stateCase{"lost-update", scenarios.Params{"n": 5}, false},
		stateCase{"locked-update", scenarios.Params{"n": 5}, false},
	)
}

// stateSteps is the step limit of the state tests: the never-ending
// executions stop there.
const stateSteps = 5000

// allowedKinds are the failures a random execution of c may end with: the
// expected ones, and the step limit where executions need not end.
func allowedKinds(t *testing.T, c stateCase) []sched.Kind {
	t.Helper()
	s, _ := scenarios.Lookup(c.name)
	kinds := expectedKinds(s.Expect)
	if c.endless {
		kinds = append(kinds, sched.StepLimit)
	}
	return slices.DeleteFunc(kinds, func(k sched.Kind) bool { return k == sched.Livelock })
}

// TestScenariosUnderStateChecks runs every scenario under random schedules
// with the state fingerprint on and recomputed in full at every scheduling
// point (sched.Options.CheckState): a primitive or model that changes a
// state behind the scheduler's back fails there. Each execution must also
// be the one the same seed gives with the fingerprint off (the fingerprint
// and the Checkpoints change nothing), and end as the scenario expects.
func TestScenariosUnderStateChecks(t *testing.T) {
	for _, c := range stateCases() {
		t.Run(c.String(), func(t *testing.T) {
			t.Parallel()
			prog, _, err := scenarios.BuildNamed(c.name, c.params)
			if err != nil {
				t.Fatal(err)
			}
			allowed := allowedKinds(t, c)
			plain := sched.New(sched.Options{MaxSteps: stateSteps})
			defer plain.Close()
			checked := sched.New(sched.Options{MaxSteps: stateSteps, State: true, CheckState: true})
			defer checked.Close()
			for seed := range uint64(20) {
				want := summary(plain.Run(prog, sched.NewRandomChooser(seed)))
				r := checked.Run(prog, sched.NewRandomChooser(seed))
				if f := r.Failure; f != nil && strings.HasPrefix(f.Message, "the state fingerprint missed") {
					t.Fatalf("seed %d: %s", seed, f.Message)
				}
				if got := summary(r); got != want {
					t.Fatalf("seed %d: with the state on the execution is %s, without %s", seed, got, want)
				}
				if f := r.Failure; f != nil && !slices.Contains(allowed, f.Kind) {
					t.Errorf("seed %d: %s, want only %v", seed, f.Describe(), allowed)
				}
			}
		})
	}
}

// summary is what must not depend on whether the state is kept.
func summary(r *sched.Result) string {
	s := itoa(len(r.Trace)) + " steps, outcome " + r.Outcome
	if r.Failure != nil {
		s += ", " + r.Failure.Kind.String()
	}
	return s
}

// leastRecent runs the thread that has waited longest since its last step,
// so that threads in lockstep stay in lockstep. It fires the clock when a
// deadline is due (threads that went to sleep together wake together) or
// when no thread can run, and records the fingerprint at every scheduling
// point.
type leastRecent struct {
	last map[sched.ThreadID]int
	seen map[uint64]bool
}

func (c *leastRecent) Choose(ch *sched.Choice) int {
	if ch.Kind == sched.Draw {
		return 0
	}
	c.seen[ch.Sched.Fingerprint()] = true
	if slices.Contains(ch.Options, sched.ClockID) && due(ch.Sched) {
		return ch.Decision(sched.ClockID)
	}
	next := ch.Options[0]
	for _, id := range ch.Options {
		if id == sched.ClockID {
			continue
		}
		if l, ok := c.last[id]; !ok || next == sched.ClockID || l < c.last[next] {
			next = id
			if !ok {
				break
			}
		}
	}
	c.last[next] = ch.Step
	return ch.Decision(next)
}

// due reports whether some thread's deadline has come.
func due(s *sched.Scheduler) bool {
	for id := range sched.ThreadID(s.NumThreads()) {
		if at, ok := s.Thread(id).Deadline(); ok && at <= s.Now() {
			return true
		}
	}
	return false
}

// TestCheckpointsCloseLoops runs the models whose loops never end under a
// fair schedule that never lets time pass while a thread can run (main's
// sleep in the queue pipelines never ends; the backoffs go in lockstep),
// for stateSteps steps: thanks to the Checkpoints at their loop heads, the
// states repeat. Without them every step would reach a new state, the
// history of each loop being longer than before.
func TestCheckpointsCloseLoops(t *testing.T) {
	for _, c := range []stateCase{
		{"pipeline-queue", scenarios.Params{"m": 0, "size": 2}, true},
		{"pipeline-queue-exit-bug", scenarios.Params{"m": 0, "size": 2}, true},
		{"pipeline-queue-fixed", scenarios.Params{"m": 0, "size": 2}, true},
		{"polite-backoff", nil, true},
	} {
		t.Run(c.String(), func(t *testing.T) {
			prog, _, err := scenarios.BuildNamed(c.name, c.params)
			if err != nil {
				t.Fatal(err)
			}
			s := sched.New(sched.Options{MaxSteps: stateSteps, State: true})
			defer s.Close()
			rr := &leastRecent{last: map[sched.ThreadID]int{}, seen: map[uint64]bool{}}
			r := s.Run(prog, rr)
			if r.Failure == nil || r.Failure.Kind != sched.StepLimit {
				t.Fatalf("the execution ended (%v); want it to loop until the step limit", r.Failure)
			}
			t.Logf("%d steps, %d states", len(r.Trace), len(rr.seen))
			if len(rr.seen) > stateSteps/10 {
				t.Errorf("%d distinct states in %d steps: the loops do not come back to a state", len(rr.seen), len(r.Trace))
			}
		})
	}
}
