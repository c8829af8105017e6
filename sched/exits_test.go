package sched_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// TestExitObserved: the scheduler notes a state in which a thread's exit
// could be observed otherwise than by an untimed join (sched/exits.go),
// from either side: a step declared on the object of a thread whose exit
// is pending, or an exit becoming pending under such a step; and a daemon.
// Joins, and a thread's liveness read while it is not exiting, are not
// noted. Each run keeps the current thread running (decision 0).
func TestExitObserved(t *testing.T) {
	cases := []struct {
		name string
		prog sched.Program
		want bool
	}{
		{"joins only", func(main *sched.Thread) {
			a := main.Go("A", func(t *sched.Thread) { t.Yield() })
			main.Join(a)
		}, false},
		{"is_alive of a live thread, then a join", func(main *sched.Thread) {
			a := main.Go("A", func(t *sched.Thread) { t.Yield() })
			main.IsAlive(a) // A's yield is pending: not exiting
			main.Join(a)
		}, false},
		// B's code runs to its exit after main declares its next step.
		{"is_alive pending as the thread's exit becomes pending", func(main *sched.Thread) {
			b := main.Go("B", func(*sched.Thread) {})
			main.IsAlive(b)
		}, true},
		{"timed join pending as the thread's exit becomes pending", func(main *sched.Thread) {
			b := main.Go("B", func(*sched.Thread) {})
			main.JoinTimeout(b, time.Second)
		}, true},
		// main returns before A's code runs to its first step.
		{"is_alive declared while the thread's exit is pending", func(main *sched.Thread) {
			main.Go("A", func(t *sched.Thread) { t.IsAlive(main) })
		}, true},
		{"a daemon", func(main *sched.Thread) {
			main.GoDaemon("D", func(t *sched.Thread) { t.Yield() })
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sched.New(sched.Options{State: true})
			defer s.Close()
			if r := s.Run(c.prog, &scripted{}); r.Failure != nil {
				t.Fatalf("failed: %v", r.Failure)
			}
			if got := s.ExitObserved(); got != c.want {
				t.Errorf("ExitObserved = %v, want %v", got, c.want)
			}
		})
	}
}
