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
