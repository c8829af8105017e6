package explore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// TestRandomAnnouncesBeforeTheNextExecution: random search hands a failure
// to OnFailure before its worker starts another execution, so that a
// later execution that ends the process (os.Exit in the model, a stack
// overflow) cannot lose it.
func TestRandomAnnouncesBeforeTheNextExecution(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		var started atomic.Int64
		m := Model{Name: "fails-sometimes", Program: func(main *sched.Thread) {
			started.Add(1)
			main.Assert(main.Random(8) != 0, "drew 0")
		}}
		var atAnnounce int64 = -1
		cfg := Config{Strategy: Random, Seed: seed, Runs: 200, Workers: 1, NoMinimize: true,
			OnFailure: func(f FailureReport) {
				if atAnnounce < 0 {
					atAnnounce = started.Load() - int64(f.Run) - 1
				}
			}}
		rep, err := Explore(context.Background(), m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) == 0 {
			continue
		}
		if atAnnounce != 0 {
			t.Fatalf("seed %d: %d executions had started after the failing one when OnFailure was called", seed, atAnnounce)
		}
	}
}

// TestBFSAnnouncesBeforeTheNextExecution: breadth-first search, on one
// worker or several, hands a failure to OnFailure before the worker that
// ran it starts another execution (here, the execution for the next
// value of the same draw).
func TestBFSAnnouncesBeforeTheNextExecution(t *testing.T) {
	for _, workers := range []int{1, 2, 3} {
		var mu sync.Mutex
		failedOn := map[*sched.Scheduler]bool{} // a failure not yet announced
		late := false
		m := Model{Name: "fails-on-zero", Program: func(main *sched.Thread) {
			mu.Lock()
			late = late || failedOn[main.Scheduler()]
			mu.Unlock()
			v := main.Random(4)
			if v == 0 {
				mu.Lock()
				failedOn[main.Scheduler()] = true
				mu.Unlock()
			}
			main.Assert(v != 0, "drew 0")
		}}
		cfg := Config{Strategy: BFS, Workers: workers, NoMinimize: true, KeepGoing: true,
			OnFailure: func(FailureReport) { mu.Lock(); clear(failedOn); mu.Unlock() }}
		rep, err := Explore(context.Background(), m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) == 0 || late {
			t.Errorf("%d workers: %d failures; an execution started on the failing one's scheduler before OnFailure: %v",
				workers, len(rep.Failures), late)
		}
	}
}
