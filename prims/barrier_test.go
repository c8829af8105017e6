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

// barrierN is lock_tests.BarrierTests.N; its barriers have a default
// timeout of 2s.
const barrierN = 5

func newTestBarrier(main *sched.Thread, action func(*sched.Thread)) *prims.Barrier {
	return prims.NewBarrier(main, "barrier", barrierN, action, 2*time.Second)
}

// lock_tests 41: lockstep, 1 pass and 10 passes: after each wait every
// thread sees the previous phase complete, and the cycles never mix.
func TestBarrierLockstep(t *testing.T) {
	for _, passes := range []int{1, 10} {
		t.Run(fmt.Sprint(passes), func(t *testing.T) {
			forSeeds(t, seeds/passes, same(func(main *sched.Thread) {
				b := newTestBarrier(main, nil)
				var r0, r1 int
				ws := bunch(main, barrierN, func(t *sched.Thread, _ int) {
					for i := range passes {
						r0++
						t.Assert(r1 == i*barrierN, "pass %d: %d second-phase entries before the wait", i, r1)
						_, err := b.Wait(t)
						t.Assert(err == nil, "wait: %v", err)
						r1++
						t.Assert(r0 == (i+1)*barrierN, "pass %d: %d arrivals after the wait", i, r0)
						_, err = b.Wait(t)
						t.Assert(err == nil, "wait: %v", err)
					}
					t.Assert(b.NWaiting(t) == 0, "n_waiting %d at the end", b.NWaiting(t))
					t.Assert(!b.Broken(t), "broken at the end")
				})
				joinAll(main, ws)
			}), nil)
		})
	}
}

// lock_tests 43: the action runs once, in the last thread to arrive,
// before any party is released.
func TestBarrierActionRunsOnceBeforeRelease(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		actions := 0
		var ranIn *sched.Thread
		b := newTestBarrier(main, func(t *sched.Thread) { actions++; ranIn = t })
		ws := bunch(main, barrierN, func(t *sched.Thread, _ int) {
			i, err := b.Wait(t)
			t.Assert(err == nil && actions == 1, "after wait: %d actions, err %v", actions, err)
			t.Assert((i == barrierN-1) == (ranIn == t), "index %d, action ran in %s", i, ranIn.Name())
		})
		joinAll(main, ws)
	}), nil)
}

// lock_tests 45: reset. The index-2 thread waits until the 4 others are in
// the barrier again, then resets it: their waits raise BrokenBarrierError,
// and all 5 pass the barrier a third time.
func TestBarrierReset(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		b := newTestBarrier(main, nil)
		var passed, broken, third int
		ws := bunch(main, barrierN, func(t *sched.Thread, _ int) {
			i, err := b.Wait(t)
			t.Assert(err == nil, "first wait: %v", err)
			if i == barrierN/2 {
				for b.NWaiting(t) < barrierN-1 {
					t.Sleep(time.Millisecond)
				}
				b.Reset(t)
			} else if _, err := b.Wait(t); err == nil {
				passed++
			} else if errors.Is(err, prims.ErrBrokenBarrier) {
				broken++
			}
			_, err = b.Wait(t)
			t.Assert(err == nil, "third wait: %v", err)
			third++
		})
		joinAll(main, ws)
		main.Assert(passed == 0 && broken == barrierN-1 && third == barrierN,
			"passed %d, broken %d, third %d: want 0, %d, %d", passed, broken, third, barrierN-1, barrierN)
	}), nil)
}

// lock_tests test_abort: the index-2 thread aborts instead of waiting
// again; the 4 others get BrokenBarrierError and the barrier stays broken.
func TestBarrierAbort(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		b := newTestBarrier(main, nil)
		var passed, broken int
		ws := bunch(main, barrierN, func(t *sched.Thread, _ int) {
			i, err := b.Wait(t)
			switch {
			case err != nil:
				broken++
			case i == barrierN/2:
				b.Abort(t)
			default:
				if _, err := b.Wait(t); err != nil {
					broken++
				} else {
					passed++
				}
			}
		})
		joinAll(main, ws)
		main.Assert(passed == 0 && broken == barrierN-1, "passed %d, broken %d", passed, broken)
		main.Assert(b.Broken(main), "the barrier is not broken after abort")
		_, err := b.Wait(main)
		main.Assert(errors.Is(err, prims.ErrBrokenBarrier), "wait on an aborted barrier: %v", err)
	}), nil)
}

// lock_tests 47: wait_timeout_breaks_everyone. After the first wait the
// index-2 thread sleeps 1s and everyone calls wait(0.5): the 4 early ones
// break when the first times out, the late one raises on entry.
func TestBarrierWaitTimeoutBreaksEveryone(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		b := newTestBarrier(main, nil)
		var late []string
		broken := 0
		ws := bunch(main, barrierN, func(t *sched.Thread, _ int) {
			i, err := b.Wait(t)
			t.Assert(err == nil, "first wait: %v", err)
			if i == barrierN/2 {
				t.Sleep(time.Second)
			}
			start := t.Now()
			_, err = b.WaitTimeout(t, 500*time.Millisecond)
			if errors.Is(err, prims.ErrBrokenBarrier) {
				broken++
			}
			if i == barrierN/2 {
				late = append(late, fmt.Sprint(err, " after ", t.Now()-start))
			}
		})
		joinAll(main, ws)
		main.Assert(broken == barrierN, "%d BrokenBarrierError, want %d", broken, barrierN)
		main.Assert(fmt.Sprint(late) == "[BrokenBarrierError after 0s]", "late thread: %v", late)
	}), nil)
}

// lock_tests 49: single_party: Barrier(1).wait() returns 0 at once.
func TestBarrierSingleParty(t *testing.T) {
	forSeeds(t, 1, same(func(main *sched.Thread) {
		b := prims.NewBarrier(main, "b", 1, nil, 0)
		for range 2 {
			i, err := b.Wait(main)
			main.Assert(i == 0 && err == nil, "wait returned %d, %v", i, err)
		}
	}), nil)
	wantMisuse(t, func(main *sched.Thread) { prims.NewBarrier(main, "b", 0, nil, 0) }, "ValueError: parties must be > 0")
}

// python-semantics 2.9, the probes: the index is the arrival order and the
// last to arrive runs the action; it trips the barrier even with a zero
// timeout.
func TestBarrierArrivalIndex(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		var ranIn string
		b := prims.NewBarrier(main, "b", 3, func(t *sched.Thread) { ranIn = t.Name() }, 0)
		got := make([]int, 3)
		var ws []*sched.Thread
		for i, name := range []string{"A", "B", "C"} {
			ws = append(ws, main.Go(name, func(t *sched.Thread) {
				var err error
				if name == "C" {
					got[i], err = b.WaitTimeout(t, 0)
				} else {
					got[i], err = b.Wait(t)
				}
				t.Assert(err == nil, "%s: %v", name, err)
			}))
			quiesce(main)
		}
		joinAll(main, ws)
		main.Assert(slices.Equal(got, []int{0, 1, 2}) && ranIn == "C", "indexes %v, action in %s", got, ranIn)
	}), nil)
}

// A party waiting for the others is reported with the barrier's fill.
func TestBarrierDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		prims.NewBarrier(main, "start", 2, nil, 0).Wait(main)
	}, sched.Deadlock, "blocked: MainThread")
	if ts := threadState(t, f, "MainThread"); ts.String() != "MainThread: blocked in wait on Barrier 'start' (1/2 parties arrived)" {
		t.Fatalf("state %q", ts)
	}
}
