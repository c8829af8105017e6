package sched_test

import (
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// TestHostRunsTheOthers: the main thread runs Run's loop on its own
// coroutine (continue.go), so running another thread costs one resume
// of that thread's coroutine, and main is never resumed again: one
// resume for main, one for each start (the thread's code up to its first
// step), one for each thread's run to its end.
func TestHostRunsTheOthers(t *testing.T) {
	const workers = 3
	prog := func(main *sched.Thread) {
		var ws []*sched.Thread
		for range workers {
			ws = append(ws, main.Go("", func(t *sched.Thread) {
				t.Yield()
				t.Yield()
			}))
		}
		for _, w := range ws {
			main.Join(w) // blocks: the worker runs to its end
		}
	}
	s := sched.New(sched.Options{})
	defer s.Close()
	for run := range 2 {
		before := sched.Resumes(s)
		r := s.Run(prog, sched.FirstChooser{})
		if r.Failure != nil {
			t.Fatal(r.Failure)
		}
		if got, want := sched.Resumes(s)-before, 1+2*workers; got != want {
			t.Errorf("run %d: %d coroutine resumes, want %d", run, got, want)
		}
	}
}
