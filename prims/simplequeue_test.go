package prims_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// test_queue 75: simple_negative_timeout: ValueError even with an item.
func TestSimpleQueueNegativeTimeout(t *testing.T) {
	wantMisuse(t, func(main *sched.Thread) {
		q := prims.NewSimpleQueue[int](main, "q")
		q.Put(main, 1)
		q.GetTimeout(main, -time.Second)
	}, "ValueError: 'timeout' must be a non-negative number")
}

// test_queue 77: simple_many_threads, scaled down: feeders share an input
// list, consumers get until a sentinel, with a blocking get, get_nowait
// with a retry, or a tiny timeout with a retry. The results are the input,
// and the queue ends empty.
func TestSimpleQueueManyThreads(t *testing.T) {
	for _, mode := range []string{"get", "get_nowait", "get_timeout"} {
		t.Run(mode, func(t *testing.T) {
			forSeeds(t, seeds/4, same(func(main *sched.Thread) {
				q := prims.NewSimpleQueue[int](main, "q")
				input := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
				var results []int
				feeders := bunch(main, 3, func(t *sched.Thread, _ int) {
					for len(input) > 0 {
						x := input[len(input)-1]
						input = input[:len(input)-1]
						q.Put(t, x)
						t.Yield()
					}
				})
				consumers := bunch(main, 3, func(t *sched.Thread, _ int) {
					for {
						x := simpleGet(t, q, mode)
						if x < 0 {
							return
						}
						results = append(results, x)
					}
				})
				joinAll(main, feeders)
				for range consumers {
					q.Put(main, -1)
				}
				joinAll(main, consumers)
				slices.Sort(results)
				main.Assert(fmt.Sprint(results) == "[1 2 3 4 5 6 7 8 9 10 11 12]", "results %v", results)
				main.Assert(q.Empty(main), "the queue is not empty at the end")
			}), nil)
		})
	}
}

func simpleGet(t *sched.Thread, q *prims.SimpleQueue[int], mode string) int {
	for {
		var x int
		var err error
		switch mode {
		case "get":
			return q.Get(t)
		case "get_nowait":
			x, err = q.GetNowait(t)
		default:
			x, err = q.GetTimeout(t, 10*time.Microsecond)
		}
		if err == nil {
			return x
		}
		t.Assert(errors.Is(err, prims.ErrEmpty), "get: %v", err)
		t.Sleep(time.Microsecond)
	}
}

// python-semantics 2.11, the probe: a put with a getter parked hands the
// item to it, so a newcomer's get_nowait right after raises Empty, on
// every schedule.
func TestSimpleQueueNoBarging(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		q := prims.NewSimpleQueue[int](main, "q")
		got := -1
		g := main.Go("", func(t *sched.Thread) { got = q.Get(t) })
		quiesce(main)
		q.Put(main, 7)
		_, err := q.GetNowait(main)
		main.Assert(errors.Is(err, prims.ErrEmpty), "newcomer's get_nowait: %v, want Empty", err)
		main.Join(g)
		main.Assert(got == 7, "the parked getter got %d", got)
	}), nil)
}

// python-semantics 1.2: parked getters are served in FIFO order.
func TestSimpleQueueFIFOGetters(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		q := prims.NewSimpleQueue[int](main, "q")
		got := make([]int, 3)
		var ws []*sched.Thread
		for i := range 3 {
			ws = append(ws, main.Go("", func(t *sched.Thread) { got[i] = q.Get(t) }))
			quiesce(main)
		}
		for i := range 3 {
			q.Put(main, 10+i)
		}
		joinAll(main, ws)
		main.Assert(fmt.Sprint(got) == "[10 11 12]", "getters got %v, want [10 11 12]", got)
	}), nil)
}

// A timed get and a put race (the clock may fire at any step): the item
// is never lost; the getter either gets it or times out leaving it in the
// queue, and a getter whose deadline passed is skipped by the hand-off.
func TestSimpleQueueTimeoutRace(t *testing.T) {
	seen := map[bool]bool{}
	var gotIt bool
	forRandomSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			q := prims.NewSimpleQueue[int](main, "q")
			g := main.Go("", func(t *sched.Thread) {
				x, err := q.GetTimeout(t, 10*time.Millisecond)
				gotIt = err == nil
				t.Assert(gotIt == (x == 7), "get returned %d, %v", x, err)
			})
			main.Sleep(10 * time.Millisecond)
			q.Put(main, 7)
			main.Join(g)
			main.Assert(q.Qsize(main) == 1-b2i(gotIt), "got it: %v, qsize %d", gotIt, q.Qsize(main))
		}
	}, func(int, *sched.Result) { seen[gotIt] = true })
	if !seen[true] || !seen[false] {
		t.Fatalf("outcomes (got it) reached: %v, want both", seen)
	}
}

// A getter parked on an empty SimpleQueue is reported so.
func TestSimpleQueueDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		prims.NewSimpleQueue[int](main, "work").Get(main)
	}, sched.Deadlock, "blocked: MainThread")
	if ts := threadState(t, f, "MainThread"); ts.String() != "MainThread: blocked in get on SimpleQueue 'work' (queue is empty)" {
		t.Fatalf("state %q", ts)
	}
}
