package prims_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

var errDivZero = errors.New("ZeroDivisionError")

// test_concurrent_futures 101: saturation: tasks that block give exactly
// max_workers threads.
func TestExecutorSaturation(t *testing.T) {
	forSeeds(t, seeds/4, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 4)
		sem := prims.NewSemaphore(main, "sem", 0)
		for range 60 {
			_, err := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { sem.Acquire(t); return 0, nil })
			main.Assert(err == nil, "submit: %v", err)
		}
		main.Assert(len(ex.Threads()) == 4, "%d worker threads, want 4", len(ex.Threads()))
		for range 60 {
			sem.Release(main)
		}
		ex.Shutdown(main, true, false)
	}), nil)
}

// test_concurrent_futures idle_thread_reuse: sequential submit-then-result
// calls reuse one idle worker (once it is idle: quiescent here).
func TestExecutorIdleThreadReuse(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 4)
		for _, x := range []int{21, 6, 3} {
			f, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { return x * 2, nil })
			v, err := f.Result(main)
			main.Assert(v == 2*x && err == nil, "result %d, %v", v, err)
			quiesce(main)
		}
		main.Assert(len(ex.Threads()) == 1, "%d worker threads, want 1", len(ex.Threads()))
		main.Assert(ex.Threads()[0].Name() == "pool_0" && !ex.Threads()[0].Daemon(), "worker %q daemon %v",
			ex.Threads()[0].Name(), ex.Threads()[0].Daemon())
		ex.Shutdown(main, true, false)
	}), nil)
}

// test_concurrent_futures 103: map_order_and_exception: results in input
// order; a failing call's error comes out of next() and ends the
// iteration.
func TestExecutorMapOrderAndException(t *testing.T) {
	forSeeds(t, seeds/2, same(func(main *sched.Thread) {
		prims.WithExecutor(main, "pool", 3, func(ex *prims.Executor) {
			sq := prims.Map(main, ex, func(_ *sched.Thread, x int) (int, error) { return x * x, nil }, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
			var got []int
			for {
				v, err, ok := sq.Next(main)
				if !ok {
					break
				}
				main.Assert(err == nil, "next: %v", err)
				got = append(got, v)
			}
			main.Assert(fmt.Sprint(got) == "[0 1 4 9 16 25 36 49 64 81]", "squares %v", got)
			div := prims.Map(main, ex, func(_ *sched.Thread, d int) (int, error) {
				if d == 0 {
					return 0, errDivZero
				}
				return 1 / d, nil
			}, []int{2, 3, 0, 5})
			var out []string
			for {
				v, err, ok := div.Next(main)
				if !ok {
					break
				}
				out = append(out, fmt.Sprint(v, err))
			}
			main.Assert(fmt.Sprint(out) == "[0 <nil> 0 <nil> 0 ZeroDivisionError]", "divmod iteration %v", out)
		})
	}), nil)
}

// test_concurrent_futures 105: map_timeout_cancels_rest. The only worker
// is busy; map(timeout=0)'s first next() raises TimeoutError at once, and
// neither queued call ever runs.
func TestExecutorMapTimeoutCancelsRest(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		ev := prims.NewEvent(main, "event")
		var log []string
		prims.Submit(main, ex, func(t *sched.Thread) (int, error) {
			log = append(log, "first started")
			ev.Wait(t)
			log = append(log, "first stopped")
			return 0, nil
		})
		m := prims.MapTimeout(main, ex, func(_ *sched.Thread, s string) (int, error) {
			log = append(log, s)
			return 0, nil
		}, []string{"second", "third"}, 0)
		start := main.Now()
		_, err, ok := m.Next(main)
		main.Assert(ok && errors.Is(err, prims.ErrTimeout) && main.Now() == start, "next: %v, %v at %v", err, ok, main.Now()-start)
		_, _, ok = m.Next(main)
		main.Assert(!ok, "the iteration goes on after TimeoutError")
		ev.Set(main)
		ex.Shutdown(main, true, false)
		main.Assert(strings.Join(log, ", ") == "first started, first stopped", "log %v", log)
	}), nil)
}

// test_concurrent_futures 107: cancel_futures: shutdown(cancel_futures)
// cancels queued futures; every other future is done without an error,
// and at least one such exists.
func TestExecutorCancelFutures(t *testing.T) {
	forSeeds(t, seeds/4, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 2)
		var fs []*prims.Future[int]
		for range 20 {
			f, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { t.Sleep(time.Millisecond); return 1, nil })
			fs = append(fs, f)
		}
		ex.Shutdown(main, true, true)
		cancelled, ok := 0, 0
		for _, f := range fs {
			if f.Cancelled(main) {
				cancelled++
				continue
			}
			v, err := f.Result(main)
			main.Assert(f.Done(main) && v == 1 && err == nil, "a future neither cancelled nor done: %d, %v", v, err)
			ok++
		}
		main.Assert(cancelled > 8 && ok >= 1, "%d cancelled, %d done", cancelled, ok)
	}), nil)
}

// test_concurrent_futures 109: shutdown_no_wait: queued work still runs
// and the workers exit.
func TestExecutorShutdownNoWait(t *testing.T) {
	forSeeds(t, seeds/2, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 3)
		m := prims.Map(main, ex, func(_ *sched.Thread, x int) (int, error) { return max(x, -x), nil },
			[]int{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4})
		ex.Shutdown(main, false, false)
		joinAll(main, ex.Threads())
		var got []int
		for v, err, ok := m.Next(main); ok; v, err, ok = m.Next(main) {
			main.Assert(err == nil, "next: %v", err)
			got = append(got, v)
		}
		main.Assert(fmt.Sprint(got) == "[5 4 3 2 1 0 1 2 3 4]", "results %v", got)
	}), nil)
}

// test_concurrent_futures 111: submit_from_atexit_fails: a submit from an
// exit hook that runs after the pool's raises RuntimeError "cannot
// schedule new futures": "after interpreter shutdown" when the pool never
// started a worker (the test's case), "after shutdown" when a worker saw
// the sentinel and marked the pool shut down, as CPython's checks order.
func TestExecutorSubmitFromAtexitFails(t *testing.T) {
	for _, warm := range []bool{false, true} {
		var err error
		forSeeds(t, seeds/4, same(func(main *sched.Thread) {
			var ex *prims.Executor
			main.AtExit(func(t *sched.Thread) {
				_, err = prims.Submit(t, ex, func(*sched.Thread) (int, error) { return 0, nil })
			})
			ex = prims.NewExecutor(main, "pool", 5)
			if warm {
				f, _ := prims.Submit(main, ex, func(*sched.Thread) (int, error) { return 42, nil })
				f.Result(main)
			}
		}), func(seed int, _ *sched.Result) {
			want := prims.ErrInterpreterShutdown
			if warm {
				want = prims.ErrExecutorShutdown
			}
			if !errors.Is(err, want) {
				t.Fatalf("warm %v, seed %d: submit from an exit hook: %v, want %v", warm, seed, err, want)
			}
		})
	}
	forSeeds(t, 1, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 2)
		ex.Shutdown(main, true, false)
		ex.Shutdown(main, true, false)
		_, err := prims.Submit(main, ex, func(*sched.Thread) (int, error) { return 0, nil })
		main.Assert(errors.Is(err, prims.ErrExecutorShutdown), "submit after shutdown: %v", err)
	}), nil)
}

// python-semantics 2.2, the probe: work still queued when the main function
// returns runs before exit, after main's own output.
func TestExecutorQueuedWorkRunsAtExit(t *testing.T) {
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		ev := prims.NewEvent(main, "go")
		for i := range 3 {
			prims.Submit(main, ex, func(t *sched.Thread) (int, error) { ev.Wait(t); t.Log("job %d", i); return i, nil })
		}
		main.Log("end of main")
		ev.Set(main)
	}), func(seed int, r *sched.Result) {
		var lines []string
		for _, l := range r.Logs {
			lines = append(lines, l.Text)
		}
		if got := strings.Join(lines, ", "); got != "end of main, job 0, job 1, job 2" {
			t.Fatalf("seed %d: output %q", seed, got)
		}
	})
}

// WithExecutor shuts down with wait: every queued call has run when it
// returns. A call that shuts its own pool down with wait joins its own
// worker: "cannot join current thread", which the future stores and
// result() re-raises (no CPython test: thread.py's shutdown joins every
// worker, the caller's own included, and _WorkItem.run stores what it
// raises).
func TestWithExecutor(t *testing.T) {
	forSeeds(t, seeds/2, same(func(main *sched.Thread) {
		ran := 0
		prims.WithExecutor(main, "pool", 2, func(ex *prims.Executor) {
			for range 5 {
				prims.Submit(main, ex, func(*sched.Thread) (int, error) { ran++; return 0, nil })
			}
		})
		main.Assert(ran == 5, "%d calls ran before the with block ended, want 5", ran)
	}), nil)
	forSeeds(t, seeds/4, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		f, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { ex.Shutdown(t, true, false); return 0, nil })
		_, err := f.Result(main)
		main.Assert(err != nil && err.Error() == "RuntimeError: cannot join current thread",
			"result() = %v, want the RuntimeError the call raised", err)
	}), nil)
	wantMisuse(t, func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		f, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { ex.Shutdown(t, true, false); return 0, nil })
		f.Get(main)
	}, "RuntimeError: cannot join current thread")
	wantMisuse(t, func(main *sched.Thread) { prims.NewExecutor(main, "pool", 0) },
		"ValueError: max_workers must be greater than 0")
}

// Future (python-semantics 2.12): cancel works only while pending;
// result and exception report the call's error, CancelledError, or
// TimeoutError after the timeout.
func TestFutureStates(t *testing.T) {
	forSeeds(t, seeds/2, same(func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		ev := prims.NewEvent(main, "go")
		started := prims.NewEvent(main, "started")
		busy, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { started.Set(t); ev.Wait(t); return 0, errDivZero })
		queued, _ := prims.Submit(main, ex, func(*sched.Thread) (int, error) { return 1, nil })
		started.Wait(main)
		main.Assert(busy.Running(main) && !busy.Done(main), "the busy future is not running")
		main.Assert(!busy.Cancel(main), "cancel() of a running future returned true")
		start := main.Now()
		_, err := busy.ResultTimeout(main, 10*time.Millisecond)
		main.Assert(errors.Is(err, prims.ErrTimeout) && main.Now()-start == 10*time.Millisecond, "result(timeout=0.01): %v after %v", err, main.Now()-start)
		_, err = busy.ResultTimeout(main, 0)
		main.Assert(errors.Is(err, prims.ErrTimeout), "result(timeout=0): %v", err)
		main.Assert(queued.Cancel(main) && queued.Cancel(main), "cancel() of a pending future returned false")
		main.Assert(queued.Cancelled(main) && queued.Done(main), "a cancelled future is not cancelled and done")
		_, err = queued.Result(main)
		main.Assert(errors.Is(err, prims.ErrCancelled), "result() of a cancelled future: %v", err)
		ev.Set(main)
		_, err = busy.Result(main)
		main.Assert(errors.Is(err, errDivZero) && errors.Is(busy.Exception(main), errDivZero), "result() of a failed call: %v", err)
		main.Assert(!busy.Cancel(main), "cancel() of a finished future returned true")
		ex.Shutdown(main, true, false)
	}), nil)
}

// A result() on a future whose call never ends is reported as waiting for
// it, and the worker as blocked in the call.
func TestFutureDeadlockReport(t *testing.T) {
	f := wantFailure(t, func(main *sched.Thread) {
		ex := prims.NewExecutor(main, "pool", 1)
		ev := prims.NewEvent(main, "never")
		fut, _ := prims.Submit(main, ex, func(t *sched.Thread) (int, error) { ev.Wait(t); return 0, nil })
		fut.Result(main)
	}, sched.Deadlock, "blocked: MainThread, pool_0")
	if ts := threadState(t, f, "MainThread"); ts.String() != "MainThread: blocked in wait on Future 'pool.f1' (not done)" {
		t.Fatalf("state %q", ts)
	}
	if ts := threadState(t, f, "pool_0"); ts.String() != "pool_0: blocked in wait on Event 'never' (not set)" {
		t.Fatalf("state %q", ts)
	}
}
