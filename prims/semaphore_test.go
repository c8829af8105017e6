package prims_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// semLike is what BaseSemaphoreTests use of both kinds.
type semLike interface {
	Acquire(t *sched.Thread) bool
	TryAcquire(t *sched.Thread) bool
	AcquireTimeout(t *sched.Thread, d time.Duration) bool
	Release(t *sched.Thread)
	Value(t *sched.Thread) int
	With(t *sched.Thread, body func())
}

var semKinds = []struct {
	name string
	make func(t *sched.Thread, v int) semLike
}{
	{"Semaphore", func(t *sched.Thread, v int) semLike { return prims.NewSemaphore(t, "sem", v) }},
	{"BoundedSemaphore", func(t *sched.Thread, v int) semLike { return prims.NewBoundedSemaphore(t, "sem", v) }},
}

// lock_tests 27: constructor: a negative initial value is a ValueError.
func TestSemaphoreConstructor(t *testing.T) {
	for _, k := range semKinds {
		for _, v := range []int{-1, -1 << 62} {
			wantMisuse(t, func(main *sched.Thread) { k.make(main, v) },
				"ValueError: semaphore initial value must be >= 0")
		}
	}
}

// lock_tests 29: acquire_contended. sem(7) with one unit taken; 10 workers
// acquire twice each: 6 acquisitions in phase 0, 7 after 7 releases, 6
// after 6 more; main's non-blocking acquire then fails, and one more
// release lets the 20th through.
func TestSemaphoreAcquireContended(t *testing.T) {
	for _, k := range semKinds {
		t.Run(k.name, func(t *testing.T) {
			forSeeds(t, seeds, same(func(main *sched.Thread) {
				sem := k.make(main, 7)
				sem.Acquire(main)
				phase := 0
				var got []int
				ws := bunch(main, 10, func(t *sched.Thread, _ int) {
					for range 2 {
						t.Assert(sem.Acquire(t), "acquire returned false")
						got = append(got, phase)
					}
				})
				count := func(p int) int {
					n := 0
					for _, x := range got {
						n += b2i(x == p)
					}
					return n
				}
				quiesce(main)
				main.Assert(count(0) == 6, "%d acquisitions in phase 0, want 6", count(0))
				phase = 1
				for range 7 {
					sem.Release(main)
				}
				quiesce(main)
				main.Assert(count(1) == 7 && len(got) == 13, "phase 1: %v", got)
				phase = 2
				for range 6 {
					sem.Release(main)
				}
				quiesce(main)
				main.Assert(count(2) == 6 && len(got) == 19, "phase 2: %v", got)
				main.Assert(!sem.TryAcquire(main), "main's non-blocking acquire succeeded")
				sem.Release(main)
				joinAll(main, ws)
				main.Assert(len(got) == 20, "%d acquisitions, want 20", len(got))
			}), nil)
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lock_tests 31: try_acquire.
func TestSemaphoreTryAcquire(t *testing.T) {
	for _, k := range semKinds {
		var got []bool
		forSeeds(t, 1, same(func(main *sched.Thread) {
			sem := k.make(main, 2)
			got = append(got, sem.TryAcquire(main), sem.TryAcquire(main), sem.TryAcquire(main))
			sem.Release(main)
			got = append(got, sem.TryAcquire(main))
		}), nil)
		if fmt.Sprint(got) != "[true true false true]" {
			t.Fatalf("%s: %v, want [true true false true]", k.name, got)
		}
	}
}

// lock_tests 33: acquire_timeout: True, True, False (after the timeout),
// True after a release, then False after 500ms.
func TestSemaphoreAcquireTimeout(t *testing.T) {
	for _, k := range semKinds {
		var got []string
		forSeeds(t, 1, same(func(main *sched.Thread) {
			sem := k.make(main, 2)
			timed := func(d time.Duration) {
				start := main.Now()
				ok := sem.AcquireTimeout(main, d)
				got = append(got, fmt.Sprint(ok, main.Now()-start))
			}
			timed(5 * time.Millisecond)
			timed(5 * time.Millisecond)
			timed(5 * time.Millisecond)
			sem.Release(main)
			timed(5 * time.Millisecond)
			timed(500 * time.Millisecond)
		}), nil)
		if want := "[true 0s true 0s false 5ms true 0s false 500ms]"; fmt.Sprint(got) != want {
			t.Fatalf("%s: %v, want %s", k.name, got, want)
		}
	}
}

// lock_tests 35: with_statement: the count is back to 2 afterwards.
func TestSemaphoreWithStatement(t *testing.T) {
	for _, k := range semKinds {
		forSeeds(t, 1, same(func(main *sched.Thread) {
			sem := k.make(main, 2)
			sem.With(main, func() {
				main.Assert(sem.TryAcquire(main), "non-blocking acquire in with failed")
				sem.Release(main)
				sem.With(main, func() {
					main.Assert(!sem.TryAcquire(main), "non-blocking acquire in nested with succeeded")
				})
			})
			main.Assert(sem.Value(main) == 2, "value %d after with, want 2", sem.Value(main))
			main.Assert(sem.TryAcquire(main), "non-blocking acquire after with failed")
		}), nil)
	}
}

// lock_tests 37: bounded_release_unacquired.
func TestBoundedSemaphoreReleaseUnacquired(t *testing.T) {
	const msg = "ValueError: Semaphore released too many times"
	wantMisuse(t, func(main *sched.Thread) {
		prims.NewBoundedSemaphore(main, "sem", 1).Release(main)
	}, msg)
	f := wantMisuse(t, func(main *sched.Thread) {
		sem := prims.NewBoundedSemaphore(main, "sem", 1)
		sem.Acquire(main)
		sem.Release(main)
		main.Log("balanced")
		sem.Release(main)
	}, msg)
	if f.Step < 8 {
		t.Fatalf("the balanced acquire/release failed: %s", f.Describe())
	}
}

// lock_tests release_unacquired: an unbounded Semaphore just grows.
func TestSemaphoreReleaseUnacquired(t *testing.T) {
	forSeeds(t, 1, same(func(main *sched.Thread) {
		sem := prims.NewSemaphore(main, "sem", 1)
		sem.Release(main)
		main.Assert(sem.Value(main) == 2, "value %d, want 2", sem.Value(main))
		main.Assert(sem.TryAcquire(main) && sem.TryAcquire(main) && !sem.TryAcquire(main), "not exactly 2 units")
	}), nil)
}

// lock_tests 39: repr: value 3, 2, then 4.
func TestSemaphoreRepr(t *testing.T) {
	var got []int
	forSeeds(t, 1, same(func(main *sched.Thread) {
		sem := prims.NewSemaphore(main, "sem", 3)
		got = append(got, sem.Value(main))
		sem.Acquire(main)
		got = append(got, sem.Value(main))
		sem.Release(main)
		sem.Release(main)
		got = append(got, sem.Value(main))
	}), nil)
	if fmt.Sprint(got) != "[3 2 4]" {
		t.Fatalf("values %v, want [3 2 4]", got)
	}
}

// python-semantics 2.6, the probe: release(2) with 3 waiters wakes exactly
// 2; release(0) is a ValueError.
func TestSemaphoreReleaseN(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		sem := prims.NewSemaphore(main, "sem", 0)
		woken := 0
		ws := bunch(main, 3, func(t *sched.Thread, _ int) { sem.Acquire(t); woken++ })
		quiesce(main)
		sem.ReleaseN(main, 2)
		quiesce(main)
		main.Assert(woken == 2, "release(2) let %d waiters through, want 2", woken)
		sem.Release(main)
		joinAll(main, ws)
	}), nil)
	wantMisuse(t, func(main *sched.Thread) { prims.NewSemaphore(main, "sem", 0).ReleaseN(main, 0) },
		"ValueError: n must be one or more")
}

// python-semantics 1.2, the probe: a thread arriving right after a release
// can take the unit before the notified waiter re-acquires the internal
// lock; the waiter then waits again. Both orders are reachable, and the
// waiter re-waits exactly when main barged.
func TestSemaphoreBarging(t *testing.T) {
	seen := map[bool]bool{}
	var barged bool
	forSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			sem := prims.NewSemaphore(main, "sem", 0)
			done := false
			w := main.Go("", func(t *sched.Thread) { sem.Acquire(t); done = true })
			quiesce(main)
			sem.Release(main)
			barged = sem.TryAcquire(main)
			quiesce(main)
			main.Assert(done != barged, "main barged: %v, waiter done: %v", barged, done)
			if barged {
				sem.Release(main)
			}
			main.Join(w)
		}
	}, func(int, *sched.Result) { seen[barged] = true })
	if !seen[true] || !seen[false] {
		t.Fatalf("outcomes reached (barged): %v, want both", seen)
	}
}

// A thread blocked on a semaphore is reported waiting for its value.
func TestSemaphoreDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		prims.NewSemaphore(main, "sem", 0).Acquire(main)
	}, sched.Deadlock, "blocked: MainThread")
	if ts := threadState(t, f, "MainThread"); ts.String() != "MainThread: blocked in wait on Semaphore 'sem' (value is 0)" {
		t.Fatalf("state %q", ts)
	}
}
