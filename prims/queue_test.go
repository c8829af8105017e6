package prims_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// queueSize is test_queue's QUEUE_SIZE.
const queueSize = 5

var queueKinds = []struct {
	name string
	make func(t *sched.Thread, maxsize int) *prims.Queue[int]
}{
	{"Queue", func(t *sched.Thread, n int) *prims.Queue[int] { return prims.NewQueue[int](t, "q", n) }},
	{"LifoQueue", func(t *sched.Thread, n int) *prims.Queue[int] { return prims.NewLifoQueue[int](t, "q", n) }},
	{"PriorityQueue", func(t *sched.Thread, n int) *prims.Queue[int] {
		return prims.NewPriorityQueue(t, "q", n, func(a, b int) bool { return a < b })
	}},
}

// forQueueKinds runs body as a subtest for each queue class.
func forQueueKinds(t *testing.T, body func(t *testing.T, mk func(*sched.Thread, int) *prims.Queue[int])) {
	for _, k := range queueKinds {
		t.Run(k.name, func(t *testing.T) { body(t, k.make) })
	}
}

// test_queue 51: retrieval_order.
func TestQueueRetrievalOrder(t *testing.T) {
	want := map[string]string{"Queue": "[111 333 222]", "LifoQueue": "[222 333 111]", "PriorityQueue": "[111 222 333]"}
	for _, k := range queueKinds {
		var got []int
		forSeeds(t, 1, same(func(main *sched.Thread) {
			q := k.make(main, queueSize)
			for _, x := range []int{111, 333, 222} {
				main.Assert(q.Put(main, x) == nil, "put failed")
			}
			for range 3 {
				x, err := q.Get(main)
				main.Assert(err == nil, "get: %v", err)
				got = append(got, x)
			}
		}), nil)
		if fmt.Sprint(got) != want[k.name] {
			t.Errorf("%s: got %v, want %s", k.name, got, want[k.name])
		}
	}
}

// fill puts queueSize items.
func fill(main *sched.Thread, q *prims.Queue[int]) {
	for i := range queueSize {
		main.Assert(q.Put(main, i) == nil, "put %d failed", i)
	}
}

// test_queue 53: put_when_full: Full at once without blocking, Full after
// the timeout, and a blocking put (untimed, then with timeout 10s) that
// returns only after a trigger thread, which runs once main is blocked,
// has taken an item.
func TestQueuePutWhenFull(t *testing.T) {
	forQueueKinds(t, func(t *testing.T, mk func(*sched.Thread, int) *prims.Queue[int]) {
		forSeeds(t, seeds, same(func(main *sched.Thread) {
			q := mk(main, queueSize)
			fill(main, q)
			main.Assert(q.Full(main), "full() is false on a full queue")
			main.Assert(errors.Is(q.PutNowait(main, 9), prims.ErrFull), "put_nowait on a full queue did not raise Full")
			start := main.Now()
			err := q.PutTimeout(main, 9, 10*time.Millisecond)
			main.Assert(errors.Is(err, prims.ErrFull) && main.Now()-start == 10*time.Millisecond,
				"put(timeout=0.01) gave %v after %v", err, main.Now()-start)
			for _, timed := range []bool{false, true} {
				triggered := false
				trigger := main.Go("", func(t *sched.Thread) {
					quiesce(t) // main is blocked in put when this returns
					triggered = true
					_, err := q.Get(t)
					t.Assert(err == nil, "trigger's get: %v", err)
				})
				if timed {
					err = q.PutTimeout(main, 9, 10*time.Second)
				} else {
					err = q.Put(main, 9)
				}
				main.Assert(err == nil && triggered, "put returned %v, triggered %v", err, triggered)
				main.Join(trigger)
			}
		}), nil)
	})
}

// test_queue get_when_empty (test_basic): Empty at once, Empty after the
// timeout, and a blocking get that a trigger's put releases.
func TestQueueGetWhenEmpty(t *testing.T) {
	forQueueKinds(t, func(t *testing.T, mk func(*sched.Thread, int) *prims.Queue[int]) {
		forSeeds(t, seeds, same(func(main *sched.Thread) {
			q := mk(main, queueSize)
			main.Assert(q.Empty(main) && !q.Full(main), "a new queue is not empty")
			_, err := q.GetNowait(main)
			main.Assert(errors.Is(err, prims.ErrEmpty), "get_nowait: %v", err)
			start := main.Now()
			_, err = q.GetTimeout(main, 10*time.Millisecond)
			main.Assert(errors.Is(err, prims.ErrEmpty) && main.Now()-start == 10*time.Millisecond,
				"get(timeout=0.01) gave %v after %v", err, main.Now()-start)
			triggered := false
			trigger := main.Go("", func(t *sched.Thread) {
				quiesce(t)
				triggered = true
				t.Assert(q.Put(t, 7) == nil, "trigger's put failed")
			})
			x, err := q.Get(main)
			main.Assert(x == 7 && err == nil && triggered, "get returned %v, %v; triggered %v", x, err, triggered)
			main.Join(trigger)
		}), nil)
	})
}

// test_queue 55: task_done_underflow.
func TestQueueTaskDoneUnderflow(t *testing.T) {
	wantMisuse(t, func(main *sched.Thread) { prims.NewQueue[int](main, "q", 0).TaskDone(main) },
		"ValueError: task_done() called too many times")
}

// test_queue queue_join: join returns once every item got is marked done.
func TestQueueJoin(t *testing.T) {
	forQueueKinds(t, func(t *testing.T, mk func(*sched.Thread, int) *prims.Queue[int]) {
		forSeeds(t, seeds/4, same(func(main *sched.Thread) {
			q := mk(main, 0)
			sum, done := 0, 0
			bunch(main, 2, func(t *sched.Thread, _ int) {
				for {
					x, _ := q.Get(t)
					if x < 0 {
						q.TaskDone(t)
						return
					}
					sum += x
					done++
					q.TaskDone(t)
				}
			})
			for i := range 6 {
				q.Put(main, i+1)
			}
			q.Join(main)
			main.Assert(sum == 21 && done == 6, "after join: sum %d of %d items, want 21 of 6", sum, done)
			q.Put(main, -1)
			q.Put(main, -1)
			q.Join(main)
		}), nil)
	})
}

// test_queue 57: negative_timeout: ValueError for put on a bounded queue
// and for get even with items available; an unbounded put accepts it.
func TestQueueNegativeTimeout(t *testing.T) {
	const msg = "ValueError: 'timeout' must be a non-negative number"
	wantMisuse(t, func(main *sched.Thread) { prims.NewQueue[int](main, "q", queueSize).PutTimeout(main, 1, -time.Second) }, msg)
	wantMisuse(t, func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", queueSize)
		q.Put(main, 1)
		q.GetTimeout(main, -time.Second)
	}, msg)
	forSeeds(t, 1, same(func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", 0)
		main.Assert(q.PutTimeout(main, 1, -time.Second) == nil, "put(timeout=-1) on an unbounded queue failed")
	}), nil)
}

// test_queue 59: shrinking_maxsize.
func TestQueueShrinkingMaxsize(t *testing.T) {
	forSeeds(t, 1, same(func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", 3)
		for i := range 3 {
			q.Put(main, i)
		}
		main.Assert(errors.Is(q.PutNowait(main, 4), prims.ErrFull), "put_nowait on a full queue succeeded")
		q.SetMaxsize(main, 2)
		main.Assert(errors.Is(q.PutNowait(main, 4), prims.ErrFull), "put_nowait after shrinking succeeded")
		main.Assert(q.Qsize(main) == 3, "qsize %d, want 3", q.Qsize(main))
	}), nil)
}

// test_queue 61: shutdown_nonempty.
func TestQueueShutdownNonempty(t *testing.T) {
	forSeeds(t, 1, same(func(main *sched.Thread) {
		q := prims.NewQueue[string](main, "q", 0)
		q.Put(main, "data")
		q.Shutdown(main, false)
		x, err := q.Get(main)
		main.Assert(x == "data" && err == nil, "first get: %q, %v", x, err)
		_, err = q.Get(main)
		main.Assert(errors.Is(err, prims.ErrShutDown), "second get: %v", err)
	}), nil)
}

// test_queue 63: shutdown_transitions.
func TestQueueShutdownTransitions(t *testing.T) {
	var got []bool
	forSeeds(t, 1, same(func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", 0)
		got = append(got, q.IsShutdown(main))
		for _, immediate := range []bool{false, true, false} {
			q.Shutdown(main, immediate)
			got = append(got, q.IsShutdown(main))
		}
	}), nil)
	if fmt.Sprint(got) != "[false true true true]" {
		t.Fatalf("is_shutdown %v", got)
	}
}

// test_queue 64 and 65: shutdown_all_methods_single_thread, normal and
// immediate.
func TestQueueShutdownAllMethods(t *testing.T) {
	for _, immediate := range []bool{false, true} {
		t.Run(fmt.Sprint("immediate=", immediate), func(t *testing.T) {
			forSeeds(t, 1, same(func(main *sched.Thread) {
				q := prims.NewQueue[int](main, "q", 2)
				q.Put(main, 1)
				q.Put(main, 2)
				q.Shutdown(main, immediate)
				for _, err := range []error{q.Put(main, 3), q.PutNowait(main, 3), q.PutTimeout(main, 3, time.Second)} {
					main.Assert(errors.Is(err, prims.ErrShutDown), "put after shutdown: %v", err)
				}
				if !immediate {
					for want := 1; want <= 2; want++ {
						x, err := q.Get(main)
						main.Assert(x == want && err == nil, "get: %d, %v", x, err)
						q.TaskDone(main)
					}
				}
				_, err := q.Get(main)
				main.Assert(errors.Is(err, prims.ErrShutDown), "get: %v", err)
				_, err = q.GetNowait(main)
				main.Assert(errors.Is(err, prims.ErrShutDown), "get_nowait: %v", err)
				q.Join(main)
				main.Assert(q.Unfinished(main) == 0, "unfinished %d", q.Unfinished(main))
			}), nil)
		})
	}
	wantMisuse(t, func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", 2)
		q.Put(main, 1)
		q.Shutdown(main, true)
		q.TaskDone(main)
	}, "ValueError: task_done() called too many times")
}

// test_queue 67: shutdown wakes putters: putters blocked on a full queue
// (and putters that arrive after it) raise ShutDown.
func TestQueueShutdownWakesPutters(t *testing.T) {
	for _, gated := range []bool{true, false} {
		t.Run(fmt.Sprint("gated=", gated), func(t *testing.T) {
			forSeeds(t, seeds, same(func(main *sched.Thread) {
				q := prims.NewQueue[int](main, "q", 2)
				q.Put(main, 1)
				q.Put(main, 2)
				goEv := prims.NewEvent(main, "go")
				ws := bunch(main, 2, func(t *sched.Thread, i int) {
					if gated {
						goEv.Wait(t)
					}
					err := q.Put(t, 10+i)
					t.Assert(errors.Is(err, prims.ErrShutDown), "putter: %v", err)
				})
				quiesce(main)
				q.Shutdown(main, false)
				goEv.Set(main)
				joinAll(main, ws)
				main.Assert(q.Qsize(main) == 2, "qsize %d, want 2", q.Qsize(main))
			}), nil)
		})
	}
}

// test_queue 69: shutdown_put_join. The putter raises ShutDown and the
// joiner returns: after an immediate shutdown at once (the drain lowered
// the count to 0), otherwise after main gets "Y" and calls task_done.
func TestQueueShutdownPutJoin(t *testing.T) {
	for _, immediate := range []bool{false, true} {
		t.Run(fmt.Sprint("immediate=", immediate), func(t *testing.T) {
			forSeeds(t, seeds, same(func(main *sched.Thread) {
				q := prims.NewQueue[string](main, "q", 2)
				q.Put(main, "Y")
				goEv := prims.NewEvent(main, "go")
				putter := main.Go("putter", func(t *sched.Thread) {
					goEv.Wait(t)
					t.Assert(errors.Is(q.Put(t, "E"), prims.ErrShutDown), "putter did not raise ShutDown")
				})
				joined := false
				joiner := main.Go("joiner", func(t *sched.Thread) { q.Join(t); joined = true })
				quiesce(main)
				main.Assert(!joined, "join returned with a task unfinished")
				q.Shutdown(main, immediate)
				goEv.Set(main)
				if immediate {
					_, err := q.GetNowait(main)
					main.Assert(errors.Is(err, prims.ErrShutDown), "get_nowait: %v", err)
				} else {
					x, err := q.Get(main)
					main.Assert(x == "Y" && err == nil, "get: %q, %v", x, err)
					q.TaskDone(main)
				}
				main.Join(putter)
				main.Join(joiner)
			}), nil)
		})
	}
}

// test_queue 71: shutdown_pending_get: a getter blocked on an empty queue
// wakes with ShutDown.
func TestQueueShutdownPendingGet(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", 0)
		var got error
		g := main.Go("", func(t *sched.Thread) { _, got = q.Get(t) })
		quiesce(main)
		q.Shutdown(main, false)
		main.Join(g)
		main.Assert(errors.Is(got, prims.ErrShutDown), "getter got %v, want ShutDown", got)
	}), nil)
}

// Shutdown does not release join as such: after an immediate shutdown, an
// item already got but not task_done'd keeps join blocked (the probe of
// python-semantics 2.10).
func TestQueueShutdownImmediateJoinWaitsForTaskDone(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		q := prims.NewQueue[int](main, "q", 0)
		q.Put(main, 1)
		q.Put(main, 2)
		q.Get(main)
		joined := false
		j := main.Go("", func(t *sched.Thread) { q.Join(t); joined = true })
		q.Shutdown(main, true)
		quiesce(main)
		main.Assert(!joined, "join returned with a task got but not done")
		q.TaskDone(main)
		main.Join(j)
	}), nil)
}

// python-semantics 1.2, the probe: 3 getters wait, an item is put, and a
// newcomer's get_nowait can take it before the woken getter, which then
// waits again. Both outcomes are reachable; when the newcomer wins, no
// getter has returned.
func TestQueueBarging(t *testing.T) {
	seen := map[bool]bool{}
	var barged bool
	forSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			q := prims.NewQueue[int](main, "q", 0)
			got := 0
			ws := bunch(main, 3, func(t *sched.Thread, _ int) { q.Get(t); got++ })
			quiesce(main)
			q.Put(main, 1)
			_, err := q.GetNowait(main)
			barged = err == nil
			quiesce(main)
			main.Assert(got == 1-b2i(barged), "newcomer got the item: %v; getters returned: %d", barged, got)
			for range 2 + b2i(barged) {
				q.Put(main, 2)
			}
			joinAll(main, ws)
		}
	}, func(int, *sched.Result) { seen[barged] = true })
	if !seen[true] || !seen[false] {
		t.Fatalf("outcomes (barged) reached: %v, want both", seen)
	}
}

// A getter blocked on an empty queue is reported so.
func TestQueueDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		prims.NewQueue[int](main, "jobs", 0).Get(main)
	}, sched.Deadlock, "blocked: MainThread")
	if ts := threadState(t, f, "MainThread"); ts.String() != "MainThread: blocked in wait on Queue 'jobs' (not_empty: queue is empty)" {
		t.Fatalf("state %q", ts)
	}
}
