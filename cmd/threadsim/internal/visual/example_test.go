package visual_test

import (
	"os"

	"github.com/threadsim/threadsim/cmd/threadsim/internal/visual"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// A failing execution is drawn from its *sched.Result, recorded with
// Detail so that steps show their results. WriteHTML takes the same result.
func ExampleWriteMermaid() {
	prog := func(main *sched.Thread) {
		lock := prims.NewLock(main, "lock")
		lock.Acquire(main)
		main.Log("holding the lock")
		lock.Acquire(main) // a Lock is not reentrant: this never returns
	}
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	r := s.Run(prog, sched.FirstChooser{})
	if err := visual.WriteMermaid(os.Stdout, r); err != nil {
		panic(err)
	}
	// Output:
	// sequenceDiagram
	//     %% threadsim: deadlock at step 2: no thread can run and no deadline is pending; blocked: MainThread
	//     %% schedule [], 0 preemptions, 2 steps, virtual time 00:00:00.000
	//     participant T0 as MainThread
	//     participant O2 as Lock 'lock'
	//     T0->>O2: [0] acquire → true
	//     Note over T0: [1] 00:00:00.000 holding the lock
	//     Note over T0: ✖ deadlock at step 2: no thread can run and no deadline is pending#59; blocked: MainThread
	//     Note over T0: MainThread: blocked in acquire on Lock 'lock' (held by MainThread)
}
