package prims_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// lockLike is what BaseLockTests use of Lock and RLock.
type lockLike interface {
	Acquire(t *sched.Thread) bool
	TryAcquire(t *sched.Thread) bool
	AcquireTimeout(t *sched.Thread, d time.Duration) bool
	Release(t *sched.Thread)
}

var lockKinds = []struct {
	name string
	make func(t *sched.Thread) lockLike
}{
	{"Lock", func(t *sched.Thread) lockLike { return prims.NewLock(t, "lock") }},
	{"RLock", func(t *sched.Thread) lockLike { return prims.NewRLock(t, "lock") }},
}

// lock_tests 1: try_acquire.
func TestLockTryAcquire(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			var got bool
			forSeeds(t, 1, func() sched.Program {
				return func(main *sched.Thread) {
					l := k.make(main)
					got = l.TryAcquire(main)
					l.Release(main)
				}
			}, nil)
			if !got {
				t.Fatal("acquire(blocking=False) on a new lock returned False")
			}
		})
	}
}

// lock_tests 3: acquire_contended. Five workers block while main holds the
// lock; none finishes before the release, all finish after it.
func TestLockAcquireContended(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			forSeeds(t, seeds, func() sched.Program {
				return func(main *sched.Thread) {
					l := k.make(main)
					l.Acquire(main)
					finished := 0
					ws := bunch(main, 5, func(t *sched.Thread, _ int) {
						l.Acquire(t)
						l.Release(t)
						finished++
					})
					quiesce(main)
					main.Assert(finished == 0, "%d workers finished while main held the lock", finished)
					l.Release(main)
					joinAll(main, ws)
					main.Assert(finished == 5, "%d workers finished, want 5", finished)
				}
			}, nil)
		})
	}
}

// lock_tests 5: timeout_arguments (the cases Go can express): a negative
// timeout other than "forever" is a ValueError, and a worker's timed
// acquire of a held lock fails after its timeout of virtual time.
func TestLockTimeoutArguments(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			wantMisuse(t, func(main *sched.Thread) {
				k.make(main).AcquireTimeout(main, -100*time.Second)
			}, "ValueError: timeout value must be a non-negative number")
			var got bool
			var took time.Duration
			forSeeds(t, seeds, func() sched.Program {
				return func(main *sched.Thread) {
					l := k.make(main)
					main.Assert(l.AcquireTimeout(main, 5*time.Second), "acquire(timeout=5) of a free lock failed")
					main.Assert(main.Now() == 0, "acquire(timeout=5) of a free lock waited")
					w := main.Go("", func(t *sched.Thread) {
						start := t.Now()
						got = l.AcquireTimeout(t, 500*time.Millisecond)
						took = t.Now() - start
					})
					main.Join(w)
					l.Release(main)
				}
			}, func(seed int, _ *sched.Result) {
				if got || took != 500*time.Millisecond {
					t.Fatalf("seed %d: timed acquire of a held lock returned %v after %v, want false after 500ms", seed, got, took)
				}
			})
		})
	}
}

// lock_tests 7: reacquire_blocks. Lock is not reentrant: the worker's
// second acquire blocks until main, another thread, releases the lock.
func TestLockReacquireBlocks(t *testing.T) {
	forSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			l := prims.NewLock(main, "lock")
			phase := 0
			w := main.Go("", func(t *sched.Thread) {
				l.Acquire(t)
				phase = 1
				l.Acquire(t)
				phase = 2
			})
			quiesce(main)
			main.Assert(phase == 1, "phase %d before main's release, want 1", phase)
			l.Release(main)
			main.Join(w)
			main.Assert(phase == 2, "phase %d after main's release, want 2", phase)
		}
	}, nil)
}

// lock_tests 8: different_thread. Any thread may release a Lock.
func TestLockDifferentThread(t *testing.T) {
	forSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			l := prims.NewLock(main, "lock")
			l.Acquire(main)
			main.Join(main.Go("", func(t *sched.Thread) { l.Release(t) }))
			main.Assert(l.TryAcquire(main), "the lock another thread released is still held")
		}
	}, nil)
}

// lock_tests 9: state_after_timeout.
func TestLockStateAfterTimeout(t *testing.T) {
	var got []bool
	forSeeds(t, 1, func() sched.Program {
		return func(main *sched.Thread) {
			l := prims.NewLock(main, "lock")
			l.Acquire(main)
			got = append(got, l.AcquireTimeout(main, 10*time.Millisecond))
			l.Release(main)
			got = append(got, l.Locked(main), l.TryAcquire(main))
		}
	}, nil)
	if want := []bool{false, false, true}; !equal(got, want) {
		t.Fatalf("timed acquire, locked(), acquire(False) = %v, want %v", got, want)
	}
}

// Lock.release on an unlocked lock is CPython's RuntimeError, with
// CPython's message exactly (lock_tests BaseLockTests.test_release_unacquired
// checks the type; the message is the C lock's).
func TestLockReleaseUnlocked(t *testing.T) {
	f := wantMisuse(t, func(main *sched.Thread) {
		prims.NewLock(main, "lock").Release(main)
	}, "RuntimeError: release unlocked lock")
	if f.Message != "RuntimeError: release unlocked lock" {
		t.Fatalf("message %q, want CPython's exactly", f.Message)
	}
}

// lock_tests 11: RLock reacquire: nested acquires neither fail nor block.
func TestRLockReacquire(t *testing.T) {
	var counts []int
	forSeeds(t, 1, func() sched.Program {
		return func(main *sched.Thread) {
			l := prims.NewRLock(main, "rlock")
			l.Acquire(main)
			l.Acquire(main)
			counts = append(counts, l.RecursionCount(main))
			l.Release(main)
			l.Acquire(main)
			l.Release(main)
			l.Release(main)
			counts = append(counts, l.RecursionCount(main))
			main.Assert(l.TryAcquire(main), "the RLock is still held after balanced releases")
		}
	}, nil)
	if !equal(counts, []int{2, 0}) {
		t.Fatalf("recursion counts %v, want [2 0]", counts)
	}
}

// lock_tests 12: RLock different_thread: only the owner may release.
func TestRLockDifferentThread(t *testing.T) {
	f := wantMisuse(t, func(main *sched.Thread) {
		l := prims.NewRLock(main, "rlock")
		l.Acquire(main)
		main.Join(main.Go("worker", func(t *sched.Thread) { l.Release(t) }))
	}, "RuntimeError: cannot release un-acquired lock")
	if f.ThreadName != "worker" {
		t.Fatalf("misuse raised in %s, want worker", f.ThreadName)
	}
	wantMisuse(t, func(main *sched.Thread) {
		prims.NewRLock(main, "rlock").Release(main)
	}, "RuntimeError: cannot release un-acquired lock")
}

// lock_tests 13: recursion_count: 0, 1, 3, 2, 0, and 0 while a worker
// holds the lock.
func TestRLockRecursionCount(t *testing.T) {
	var counts []int
	forSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			counts = counts[:0]
			l := prims.NewRLock(main, "rlock")
			counts = append(counts, l.RecursionCount(main))
			l.Acquire(main)
			counts = append(counts, l.RecursionCount(main))
			l.Acquire(main)
			l.Acquire(main)
			counts = append(counts, l.RecursionCount(main))
			l.Release(main)
			counts = append(counts, l.RecursionCount(main))
			l.Release(main)
			l.Release(main)
			counts = append(counts, l.RecursionCount(main))
			locked, done := prims.NewEvent(main, "locked"), prims.NewEvent(main, "done")
			w := main.Go("", func(t *sched.Thread) {
				l.Acquire(t)
				locked.Set(t)
				done.Wait(t)
				l.Release(t)
			})
			locked.Wait(main)
			counts = append(counts, l.RecursionCount(main))
			done.Set(main)
			main.Join(w)
		}
	}, func(seed int, _ *sched.Result) {
		if !equal(counts, []int{0, 1, 3, 2, 0, 0}) {
			t.Fatalf("seed %d: recursion counts %v, want [0 1 3 2 0 0]", seed, counts)
		}
	})
}

// lock_tests 15: _is_owned.
func TestRLockIsOwned(t *testing.T) {
	var got []bool
	forSeeds(t, seeds, func() sched.Program {
		return func(main *sched.Thread) {
			got = got[:0]
			l := prims.NewRLock(main, "rlock")
			got = append(got, l.IsOwned(main))
			l.Acquire(main)
			l.Acquire(main)
			got = append(got, l.IsOwned(main))
			main.Join(main.Go("", func(t *sched.Thread) { got = append(got, l.IsOwned(t)) }))
			l.Release(main)
			got = append(got, l.IsOwned(main))
			l.Release(main)
			got = append(got, l.IsOwned(main))
		}
	}, func(seed int, _ *sched.Result) {
		if want := []bool{false, true, false, true, false}; !equal(got, want) {
			t.Fatalf("seed %d: _is_owned %v, want %v", seed, got, want)
		}
	})
}

// A deadlock on a lock names the thread holding it.
func TestLockDeadlockNamesHolder(t *testing.T) {
	for _, k := range lockKinds {
		t.Run(k.name, func(t *testing.T) {
			f := wantFailure(t, func(main *sched.Thread) {
				l := k.make(main)
				l.Acquire(main)
				main.Join(main.Go("worker", func(t *sched.Thread) { l.Acquire(t) }))
			}, sched.Deadlock, "blocked: MainThread, worker")
			ts := threadState(t, f, "worker")
			if ts.State != "blocked" || ts.Op != "acquire" || ts.Why != "held by MainThread" {
				t.Fatalf("worker's state %q, want blocked in acquire (held by MainThread)", ts)
			}
		})
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
