package prims

import (
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// A composite primitive's internal lock encodes the primitive's state, so
// that the step acquiring it records what the local code then reads: each
// case changes only the primitive, and its lock's encoding must change.
func TestInternalLockEncodesWhatItGuards(t *testing.T) {
	cases := []struct {
		name string
		make func(t *sched.Thread) (lock sched.State, change func(t *sched.Thread))
	}{
		{"Semaphore", func(t *sched.Thread) (sched.State, func(*sched.Thread)) {
			s := NewSemaphore(t, "s", 0)
			return s.lock, s.Release
		}},
		{"Event", func(t *sched.Thread) (sched.State, func(*sched.Thread)) {
			e := NewEvent(t, "e")
			return e.lock, e.Set
		}},
		{"Barrier", func(t *sched.Thread) (sched.State, func(*sched.Thread)) {
			b := NewBarrier(t, "b", 2, nil, 0)
			return b.lock, b.Abort
		}},
		{"Queue", func(t *sched.Thread) (sched.State, func(*sched.Thread)) {
			q := NewQueue[int](t, "q", 0)
			return q.mutex, func(t *sched.Thread) { q.SetMaxsize(t, 3) }
		}},
		{"Future", func(t *sched.Thread) (sched.State, func(*sched.Thread)) {
			f := newFuture[int](t, "f")
			return f.lock, func(t *sched.Thread) { f.Cancel(t) }
		}},
	}
	s := sched.New(sched.Options{State: true, CheckState: true})
	defer s.Close()
	for _, c := range cases {
		var before, after string
		r := s.Run(func(main *sched.Thread) {
			lock, change := c.make(main)
			before = string(lock.AppendState(nil))
			change(main)
			after = string(lock.AppendState(nil))
		}, sched.FirstChooser{})
		if r.Failure != nil {
			t.Fatalf("%s: %s", c.name, r.Failure.Describe())
		}
		if before == after {
			t.Errorf("%s: its lock encodes the same before and after a change: %q", c.name, before)
		}
	}
}
