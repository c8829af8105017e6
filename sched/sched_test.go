package sched_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// runSeeds runs prog under seeds 0..n-1 and calls check on each result.
func runSeeds(t *testing.T, n int, prog sched.Program, check func(seed uint64, r *sched.Result)) {
	t.Helper()
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	for seed := uint64(0); seed < uint64(n); seed++ {
		check(seed, s.Run(prog, sched.NewRandomChooser(seed)))
	}
}

func logTexts(r *sched.Result) []string {
	var out []string
	for _, l := range r.Logs {
		out = append(out, sched.FormatTime(l.Time)+": "+l.Text)
	}
	return out
}

func TestClockFiresDeadlinesInOrder(t *testing.T) {
	prog := func(main *sched.Thread) {
		for _, d := range []int{3, 1, 2} {
			main.Go("", func(t *sched.Thread) { t.Sleep(time.Duration(d) * time.Second) })
		}
	}
	fires := func(r *sched.Result) []string {
		var fired []string
		for _, e := range r.Trace {
			if e.Op == "fire" {
				fired = append(fired, sched.FormatTime(e.Time)+" "+r.ThreadName(e.Woken))
			}
		}
		return fired
	}
	s := sched.New(sched.Options{})
	defer s.Close()
	want := []string{"00:00:01.000 Thread-2", "00:00:02.000 Thread-3", "00:00:03.000 Thread-1"}
	if diff := cmp.Diff(want, fires(s.Run(prog, sched.FirstChooser{}))); diff != "" {
		t.Fatalf("fires mismatch (-want +got):\n%s", diff)
	}
	// Under any schedule the clock only moves forward; a deadline fired
	// before a thread registered its own pushes that one later.
	runSeeds(t, 100, prog, func(seed uint64, r *sched.Result) {
		var last time.Duration
		for _, e := range r.Trace {
			if e.Time < last {
				t.Fatalf("seed %d: time went back at step %d", seed, e.Step)
			}
			last = e.Time
		}
		if len(fires(r)) != 3 || r.Failure != nil {
			t.Fatalf("seed %d: fires %v, failure %v", seed, fires(r), r.Failure)
		}
	})
}

// lastNonDaemonExit returns the step at which the program ended: the exit
// of its last non-daemon thread.
func lastNonDaemonExit(r *sched.Result) int {
	last := -1
	for _, e := range r.Trace {
		if e.Op == "exit" && !r.Threads[e.Thread].Daemon {
			last = e.Step
		}
	}
	return last
}

func TestDaemonIsFrozenAtExit(t *testing.T) {
	prog := func(main *sched.Thread) {
		main.GoDaemon("", func(t *sched.Thread) {
			t.Log("Thread 1: starting")
			t.Sleep(2 * time.Second)
			t.Log("Thread 1: finishing")
		})
		main.Log("Main: all done")
	}
	frozen := 0
	runSeeds(t, 200, prog, func(seed uint64, r *sched.Result) {
		end := lastNonDaemonExit(r)
		if r.Failure != nil || end != len(r.Trace)-1 {
			t.Fatalf("seed %d: the program did not end at its last exit (step %d of %d): %v", seed, end, len(r.Trace), r.Failure)
		}
		if len(r.Logs) < 3 {
			frozen++
		}
	})
	if frozen == 0 {
		t.Fatal("the daemon was never frozen before its last line in 200 seeds")
	}
}

func TestNonDaemonRunsToEnd(t *testing.T) {
	prog := func(main *sched.Thread) {
		main.Go("", func(t *sched.Thread) {
			t.Sleep(2 * time.Second)
			t.Log("Thread 1: finishing")
		})
		main.Log("Main: all done")
	}
	runSeeds(t, 100, prog, func(seed uint64, r *sched.Result) {
		texts := logTexts(r)
		if len(texts) != 2 || !strings.Contains(strings.Join(texts, "|"), "00:00:02.000: Thread 1: finishing") {
			t.Fatalf("seed %d: logs %v", seed, texts)
		}
	})
}

func TestDeadlockNamesWhatEachThreadWaitsFor(t *testing.T) {
	prog := func(main *sched.Thread) {
		a, b := prims.NewLock(main, "a"), prims.NewLock(main, "b")
		main.Go("T1", func(t *sched.Thread) { a.Acquire(t); b.Acquire(t); b.Release(t); a.Release(t) })
		main.Go("T2", func(t *sched.Thread) { b.Acquire(t); a.Acquire(t); a.Release(t); b.Release(t) })
	}
	found := false
	runSeeds(t, 200, prog, func(seed uint64, r *sched.Result) {
		if r.Failure == nil {
			return
		}
		found = true
		d := r.Failure.Describe()
		for _, want := range []string{"deadlock", "T1: blocked in acquire on Lock 'b' (held by T2)", "T2: blocked in acquire on Lock 'a' (held by T1)"} {
			if !strings.Contains(d, want) {
				t.Fatalf("seed %d: report lacks %q:\n%s", seed, want, d)
			}
		}
	})
	if !found {
		t.Fatal("no deadlock in 200 seeds of the lock-order inversion")
	}
}

func TestTimedWaitIsNeverADeadlock(t *testing.T) {
	prog := func(main *sched.Thread) {
		l := prims.NewLock(main, "l")
		l.Acquire(main)
		w := main.Go("", func(t *sched.Thread) {
			t.Outcome("acquired=%v", l.AcquireTimeout(t, time.Second))
		})
		main.Join(w)
		l.Release(main)
	}
	runSeeds(t, 50, prog, func(seed uint64, r *sched.Result) {
		if r.Failure != nil || r.Outcome != "acquired=false" || r.Time != time.Second {
			t.Fatalf("seed %d: outcome %q at %v, failure %v", seed, r.Outcome, r.Time, r.Failure)
		}
	})
}

func TestStepLimitIsItsOwnFailure(t *testing.T) {
	s := sched.New(sched.Options{MaxSteps: 100})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) {
		for {
			main.Yield()
		}
	}, sched.FirstChooser{})
	if r.Failure == nil || r.Failure.Kind != sched.StepLimit {
		t.Fatalf("failure = %v, want a step limit", r.Failure)
	}
}

func TestPanicKeepsTheThreadStack(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) {
		main.Join(main.Go("worker", panickingWorker))
	}, sched.FirstChooser{})
	f := r.Failure
	if f == nil || f.Kind != sched.Panic || f.ThreadName != "worker" {
		t.Fatalf("failure = %v, want a panic in worker", f)
	}
	if !strings.Contains(f.Message, "boom") || !strings.Contains(f.Stack, "panickingWorker") {
		t.Fatalf("panic report lacks message or stack:\n%s", f.Describe())
	}
}

func panickingWorker(t *sched.Thread) {
	t.Yield()
	panic("boom")
}

// A misuse nothing catches unwinds the main function: CPython prints the
// traceback (the model's frames, the lock's among them) and the execution is a Misuse
// failure; the main function runs no further.
func TestMisuseEndsTheMainFunction(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) {
		prims.NewLock(main, "l").Release(main)
		main.Log("unreachable")
	}, sched.FirstChooser{})
	if r.Failure == nil || r.Failure.Kind != sched.Misuse || r.Failure.Message != "RuntimeError: release unlocked lock" {
		t.Fatalf("failure = %v, want the misuse", r.Failure)
	}
	want := []string{"00:00:00.000: Traceback (most recent call last):",
		`00:00:00.000:   File "sched/sched_test.go", line N, in sched_test.TestMisuseEndsTheMainFunction.funcN`,
		`00:00:00.000:   File "prims/lock.go", line N, in prims.(*Lock).Release`,
		"00:00:00.000: RuntimeError: release unlocked lock"}
	if diff := cmp.Diff(want, anyLine(logTexts(r))); diff != "" {
		t.Fatalf("log mismatch (-want +got):\n%s", diff)
	}
}

func TestJoinSelfIsMisuse(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) { main.Join(main) }, sched.FirstChooser{})
	if r.Failure == nil || r.Failure.Message != "RuntimeError: cannot join current thread" {
		t.Fatalf("failure = %v", r.Failure)
	}
}

func TestJoinTimeoutLeavesThreadAlive(t *testing.T) {
	prog := func(main *sched.Thread) {
		l := prims.NewLock(main, "l")
		l.Acquire(main)
		w := main.Go("", func(t *sched.Thread) { l.Acquire(t); l.Release(t) })
		main.JoinTimeout(w, 10*time.Millisecond)
		before := main.IsAlive(w)
		l.Release(main)
		main.Join(w)
		main.Outcome("alive before=%v after=%v", before, main.IsAlive(w))
	}
	runSeeds(t, 50, prog, func(seed uint64, r *sched.Result) {
		if r.Outcome != "alive before=true after=false" || r.Failure != nil {
			t.Fatalf("seed %d: %q %v", seed, r.Outcome, r.Failure)
		}
	})
}

func TestRaceDetection(t *testing.T) {
	cases := []struct {
		name   string
		locked bool
		races  bool
	}{
		{"unlocked counter races", false, true},
		{"locked counter does not race", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prog := func(main *sched.Thread) {
				l := prims.NewLock(main, "l")
				x := prims.NewVar(main, "x", 0)
				for range 2 {
					main.Go("", func(t *sched.Thread) {
						if c.locked {
							defer l.Release(t)
							l.Acquire(t)
						}
						x.Store(t, x.Load(t)+1)
					})
				}
			}
			raced := false
			runSeeds(t, 100, prog, func(_ uint64, r *sched.Result) { raced = raced || len(r.Races) > 0 })
			if raced != c.races {
				t.Fatalf("raced = %v, want %v", raced, c.races)
			}
		})
	}
}

func TestStartAndJoinOrderAccesses(t *testing.T) {
	prog := func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		x.Store(main, 1)
		w := main.Go("", func(t *sched.Thread) { x.Store(t, x.Load(t)+1) })
		main.Join(w)
		main.Outcome("x=%d", x.Load(main))
	}
	runSeeds(t, 50, prog, func(seed uint64, r *sched.Result) {
		if len(r.Races) > 0 || r.Outcome != "x=2" {
			t.Fatalf("seed %d: races %v outcome %q", seed, r.Races, r.Outcome)
		}
	})
}

// replayer replays recorded decisions.
type replayer struct{ d []int }

func (r *replayer) Choose(c *sched.Choice) int {
	if c.N == 1 {
		return 0
	}
	d := r.d[0]
	r.d = r.d[1:]
	return d
}

func TestDecisionsReplayTheSameTrace(t *testing.T) {
	prog := lostUpdate(3)
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	for seed := uint64(0); seed < 50; seed++ {
		want := s.Run(prog, sched.NewRandomChooser(seed)).Clone()
		got := s.Run(prog, &replayer{d: want.Decisions})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("seed %d: replay differs (-want +got):\n%s", seed, diff)
		}
	}
}

func TestUnwoundThreadsReturnTheirCoroutines(t *testing.T) {
	progs := map[string]sched.Program{
		"deadlock": func(main *sched.Thread) {
			l := prims.NewLock(main, "l")
			l.Acquire(main)
			main.Go("", func(t *sched.Thread) { l.Acquire(t) })
			l.Acquire(main)
		},
		"misuse": func(main *sched.Thread) {
			main.Go("", func(t *sched.Thread) { t.Sleep(time.Second) })
			prims.NewLock(main, "l").Release(main)
		},
		"panic": func(main *sched.Thread) {
			main.Go("", func(t *sched.Thread) { t.Sleep(time.Second) })
			panic("boom")
		},
	}
	for name, prog := range progs {
		s := sched.New(sched.Options{StuckAfter: -1})
		r := s.Run(prog, sched.FirstChooser{})
		if r.Failure == nil {
			t.Fatalf("%s: no failure", name)
		}
		if created, idle := sched.PoolStats(s); created != idle || created == 0 {
			t.Fatalf("%s: %d coroutines created, %d idle: a thread body is still running", name, created, idle)
		}
		s.Close()
	}
}

func lostUpdate(n int) sched.Program {
	return func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		var ws []*sched.Thread
		for range n {
			ws = append(ws, main.Go("", func(t *sched.Thread) {
				v := x.Load(t)
				t.Sleep(100 * time.Millisecond)
				x.Store(t, v+1)
			}))
		}
		for _, w := range ws {
			main.Join(w)
		}
		main.Outcome("x=%d", x.Peek())
		main.Assert(x.Peek() == n, "lost update: x=%d, want %d", x.Peek(), n)
	}
}

// stopper takes decision 0 until it has seen n real choices, then stops.
type stopper struct{ n int }

func (s *stopper) Choose(c *sched.Choice) int {
	if c.N > 1 {
		if s.n == 0 {
			return sched.Stop
		}
		s.n--
	}
	return 0
}

func TestChooserStopsAnExecution(t *testing.T) {
	s := sched.New(sched.Options{StuckAfter: -1})
	defer s.Close()
	r := s.Run(lostUpdate(2), &stopper{n: 2})
	if !r.Stopped || r.Failure != nil || len(r.Decisions) != 2 {
		t.Fatalf("stopped=%v failure=%v decisions=%v, want a stop after 2 decisions", r.Stopped, r.Failure, r.Decisions)
	}
	if created, idle := sched.PoolStats(s); created != idle {
		t.Fatalf("%d coroutines created, %d idle", created, idle)
	}
	if r = s.Run(lostUpdate(2), sched.FirstChooser{}); r.Stopped {
		t.Fatal("the next execution is marked stopped")
	}
}

// panicky panics at the nth real choice it is asked.
type panicky struct{ n int }

func (p *panicky) Choose(c *sched.Choice) int {
	if p.n--; p.n == 0 {
		panic("chooser bug")
	}
	return 0
}

// counting counts the Chooser's calls.
type counting struct{ n int }

func (c *counting) Choose(*sched.Choice) int { c.n++; return 0 }

// TestChooserPanicLeavesRun: a panic of the Chooser is the search's, not
// the model's, whether Run's loop asked it or a thread's own coroutine
// did, the host's or a guest's (sched/continue.go): it leaves Run with
// its value, and is no failure of a thread.
func TestChooserPanicLeavesRun(t *testing.T) {
	prog := func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		w := main.Go("w", func(t *sched.Thread) {
			x.Store(t, 1) // w, a guest of main, decides its next step
			x.Store(t, 4)
		})
		x.Store(main, 2) // main's next steps are decided on its coroutine
		x.Store(main, 3)
		main.Join(w)
	}
	var calls counting
	sched.New(sched.Options{}).Run(prog, &calls)
	if calls.n < 8 {
		t.Fatalf("%d choices, want at least 8", calls.n)
	}
	for n := 1; n <= calls.n; n++ {
		s := sched.New(sched.Options{})
		func() {
			defer s.Close()
			defer func() {
				if r := recover(); r != "chooser bug" {
					t.Errorf("panic at choice %d: recovered %v, want the chooser's value", n, r)
				}
			}()
			r := s.Run(prog, &panicky{n: n})
			t.Errorf("panic at choice %d: Run returned (failure %v)", n, r.Failure)
		}()
	}
}
