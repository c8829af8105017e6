package sched_test

import (
	"fmt"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// A model is a plain Go function run by the main thread. Here two threads
// do the article's unlocked update: read the shared value, sleep, write it
// back plus one. FirstChooser runs each thread as long as it can, and
// still the update is lost: the sleep lets the other thread read the old
// value, as in the article. Package explore searches every schedule.
func Example() {
	model := func(main *sched.Thread) {
		value := prims.NewVar(main, "value", 0)
		update := func(t *sched.Thread) {
			t.Log("%s: starting update", t.Name())
			local := value.Load(t)
			t.Sleep(100 * time.Millisecond)
			value.Store(t, local+1)
			t.Log("%s: finishing update", t.Name())
		}
		a, b := main.Go("", update), main.Go("", update)
		main.Join(a)
		main.Join(b)
		main.Outcome("value=%d", value.Peek())
	}
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	r := s.Run(model, sched.FirstChooser{})
	for _, l := range r.Logs {
		fmt.Printf("%s: %s\n", sched.FormatTime(l.Time), l.Text)
	}
	fmt.Println(r.Outcome, "after", len(r.Trace), "steps")
	// Output:
	// 00:00:00.000: Thread-1: starting update
	// 00:00:00.000: Thread-2: starting update
	// 00:00:00.100: Thread-1: finishing update
	// 00:00:00.100: Thread-2: finishing update
	// value=1 after 19 steps
}

// A worker dies of an exception while another thread goes on: the except
// hook prints it, join returns, and main reaches its end, so the outcome
// is the program's. The execution's failure is the uncaught exception;
// it did not stop the execution (RanOn). Misuse is an exception too, and
// Try catches it as try/except would.
func ExampleThread_Try() {
	model := func(main *sched.Thread) {
		worker := main.Go("", func(t *sched.Thread) {
			exc := t.Try(func() { prims.NewLock(t, "l").Release(t) })
			t.Log("caught %v", exc)
			t.Raise("ValueError", "bad input")
		})
		other := main.Go("", func(t *sched.Thread) { t.Log("still working") })
		main.Join(worker)
		main.Join(other)
		main.Outcome("both joined")
	}
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	r := s.Run(model, sched.FirstChooser{})
	for _, l := range r.Logs {
		fmt.Printf("%s: %s\n", sched.FormatTime(l.Time), l.Text)
	}
	fmt.Println(r.Outcome)
	fmt.Println(r.Failure.Error(), "| ran on:", r.Failure.RanOn)
	// Output:
	// 00:00:00.000: caught RuntimeError: release unlocked lock
	// 00:00:00.000: Exception in thread Thread-1:
	// 00:00:00.000: Traceback (most recent call last):
	// 00:00:00.000:   File "sched/example_test.go", line 56, in sched_test.ExampleThread_Try.func1.1
	// 00:00:00.000: ValueError: bad input
	// 00:00:00.000: still working
	// both joined
	// uncaught-exception in Thread-1 at step 4: ValueError: bad input | ran on: true
}
