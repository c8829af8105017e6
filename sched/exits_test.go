package sched_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// TestExitObserved: the scheduler notes a state in which a thread could
// observe another's exit otherwise than by an untimed join (sched/exits.go):
// a step declared on a started thread's object, or pending on a thread's
// object as it starts; and a daemon. Joins, and steps on a thread's
// object done before it starts, are not noted. Each run keeps the current
// thread running (decision 0).
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
		{"is_alive before the start", func(main *sched.Thread) {
			a := main.NewThread(sched.ThreadSpec{Name: "A"}, func(t *sched.Thread) { t.Yield() })
			main.IsAlive(a)
			main.Start(a)
			main.Join(a)
		}, false},
		{"is_alive of a live thread", func(main *sched.Thread) {
			a := main.Go("A", func(t *sched.Thread) { t.Yield() })
			main.IsAlive(a)
			main.Join(a)
		}, true},
		{"timed join", func(main *sched.Thread) {
			b := main.Go("B", func(*sched.Thread) {})
			main.JoinTimeout(b, time.Second)
		}, true},
		// A's is_alive is pending from before B starts until after.
		{"is_alive pending as the thread starts", func(main *sched.Thread) {
			b := main.NewThread(sched.ThreadSpec{Name: "B"}, func(*sched.Thread) {})
			a := main.Go("A", func(t *sched.Thread) { t.IsAlive(b) })
			main.Start(b)
			main.Join(a)
			main.Join(b)
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
