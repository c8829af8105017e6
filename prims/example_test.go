package prims_test

import (
	"fmt"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// A producer and a consumer share a bounded Queue; the consumer marks each
// item done and the producer joins the queue.
func ExampleQueue() {
	s := sched.New(sched.Options{Detail: true, State: true, CheckState: true})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) {
		q := prims.NewQueue[string](main, "jobs", 1)
		main.Go("consumer", func(t *sched.Thread) {
			for {
				job, err := q.Get(t)
				if err != nil {
					return // ShutDown
				}
				t.Log("done %s", job)
				q.TaskDone(t)
			}
		})
		for _, job := range []string{"a", "b"} {
			q.Put(main, job)
		}
		q.Join(main)
		q.Shutdown(main, false)
	}, sched.FirstChooser{})
	for _, l := range r.Logs {
		fmt.Println(r.ThreadName(l.Thread), l.Text)
	}
	fmt.Println("failure:", r.Failure)
	// Output:
	// consumer done a
	// consumer done b
	// failure: <nil>
}

// A deadlock report says what each blocked thread waits for.
func ExampleSemaphore_deadlock() {
	s := sched.New(sched.Options{State: true, CheckState: true})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) {
		sem := prims.NewSemaphore(main, "slots", 1)
		sem.Acquire(main)
		main.Join(main.Go("worker", func(t *sched.Thread) { sem.Acquire(t) }))
	}, sched.FirstChooser{})
	fmt.Println(r.Failure.Describe())
	// Output:
	// deadlock at step 6: no thread can run and no deadline is pending; blocked: MainThread, worker
	//   MainThread: blocked in join on Thread 'worker' (worker has not finished)
	//   worker: blocked in wait on Semaphore 'slots' (value is 0)
}
