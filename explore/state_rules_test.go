package explore

import (
	"strings"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// goOrder keeps lock-protected data in a plain Go variable: each thread,
// under the lock, doubles x and adds its number. The lock is free again
// after either order, so both orders reach "one" state with x = 4 or 5:
// a model that breaks sched/state.go's rules. x = 5 (bob first) fails,
// which DPOR finds.
func goOrder() Model {
	return Model{Name: "go-order", Program: func(main *sched.Thread) {
		lock := prims.NewLock(main, "l")
		x := 0
		body := func(id int) func(*sched.Thread) {
			return func(t *sched.Thread) {
				lock.Acquire(t)
				x = x*2 + id
				lock.Release(t)
			}
		}
		a, b := main.Go("alice", body(1)), main.Go("bob", body(2))
		main.Join(a)
		main.Join(b)
		main.Assert(x != 5, "x is %d: bob ran first", x)
	}}
}

// TestStatefulSaysWhenItCannotBeTrusted: stateful search merges states
// the Go balance tells apart and misses the order DPOR finds; it must
// say that its verdict cannot be trusted. On a model that follows the
// rules it checks pairs and finds nothing.
func TestStatefulSaysWhenItCannotBeTrusted(t *testing.T) {
	dpor, err := Explore(t.Context(), goOrder(), Config{Strategy: DFS, Preemptions: Unbounded, NoRaces: true})
	if err != nil || dpor.Verdict != Failed {
		t.Fatalf("DPOR: %v, verdict %s; want x = 5", err, dpor.Verdict)
	}
	rep, err := Explore(t.Context(), goOrder(), Config{Strategy: Stateful, NoRaces: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict == Failed {
		t.Skip("stateful search found x = 5: nothing to detect")
	}
	if !strings.Contains(rep.RulesBroken, "keeps state outside its primitives") || rep.RulesChecked == 0 {
		t.Errorf("verdict %s with %d pairs checked and RulesBroken %q; want the breach named", rep.Verdict, rep.RulesChecked, rep.RulesBroken)
	}
	ok, err := Explore(t.Context(), lostUpdate(2, true), Config{Strategy: Stateful, NoRaces: true, KeepGoing: true})
	if err != nil || ok.RulesBroken != "" || ok.RulesChecked == 0 {
		t.Errorf("a model within the rules: %v, %d pairs checked, RulesBroken %q", err, ok.RulesChecked, ok.RulesBroken)
	}
}
