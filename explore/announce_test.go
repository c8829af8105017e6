package explore

import (
	"context"
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
