package prims_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// seeds is the number of random schedules each [D] case runs under.
const seeds = 200

// stateOptions are the options of every execution in these tests: detail
// on, and the state fingerprint kept and checked against a recomputation
// at every scheduling point, so that a primitive that changes an object
// without Thread.Changed, or leaves something out of its state, fails the
// execution with a Panic naming the object.
var stateOptions = sched.Options{Detail: true, State: true, CheckState: true}

// lazyClock is sched.NewRandomChooser that fires the clock only when no
// thread can run. Under it, a thread that sleeps wakes only once every
// other thread is blocked or finished: CPython's "wait until the threads
// are blocked" ([Q] cases) without real time, and timeouts fire only when
// nothing else can happen. On a program with no deadline pending it makes
// exactly the decisions of sched.NewRandomChooser(seed).
type lazyClock struct{ rng sched.SplitMix }

func newLazyClock(seed int) *lazyClock { return &lazyClock{rng: sched.SplitMix(seed)} }

func (c *lazyClock) Choose(ch *sched.Choice) int {
	if ch.N == 1 {
		return 0
	}
	n := ch.N
	if ch.Kind == sched.PickThread && ch.Options[n-1] == sched.ClockID {
		n-- // the clock is the last option and never the default: decision N-1
	}
	return c.rng.IntN(n)
}

// run runs prog once under c with detail on and returns a copy of the
// result.
func run(prog sched.Program, c sched.Chooser) *sched.Result {
	s := sched.New(stateOptions)
	defer s.Close()
	return s.Run(prog, c).Clone()
}

// forSeeds runs the program newProg builds under the lazy clock for seeds
// 0..n-1 and fails tb on any failure, data race included. newProg is
// called once per run so that the state it captures is fresh; check, if
// not nil, then inspects that run's result.
func forSeeds(tb testing.TB, n int, newProg func() sched.Program, check func(seed int, r *sched.Result)) {
	tb.Helper()
	s := sched.New(stateOptions)
	defer s.Close()
	for seed := range n {
		r := s.Run(newProg(), newLazyClock(seed))
		if r.Failure != nil {
			tb.Fatalf("seed %d: %s", seed, r.Failure.Describe())
		}
		if len(r.Races) > 0 {
			tb.Fatalf("seed %d: data race %+v", seed, r.Races[0])
		}
		if check != nil {
			check(seed, r)
		}
	}
}

// forRandomSeeds is forSeeds under sched.NewRandomChooser: the clock is an
// option at every step where a deadline is pending.
func forRandomSeeds(tb testing.TB, n int, newProg func() sched.Program, check func(seed int, r *sched.Result)) {
	tb.Helper()
	s := sched.New(stateOptions)
	defer s.Close()
	for seed := range n {
		r := s.Run(newProg(), sched.NewRandomChooser(uint64(seed)))
		if r.Failure != nil {
			tb.Fatalf("seed %d: %s", seed, r.Failure.Describe())
		}
		if check != nil {
			check(seed, r)
		}
	}
}

// same wraps a program that keeps no state outside the execution.
func same(p sched.Program) func() sched.Program { return func() sched.Program { return p } }

// quiesce returns once every other thread is blocked or finished (under
// the lazy clock): main sleeps, and the clock fires only when nothing
// else can run. The sleep is one microsecond, shorter than every timeout
// the tests use, so that it fires before them.
func quiesce(main *sched.Thread) { main.Sleep(time.Microsecond) }

// wantFailure runs prog under the first chooser and checks that it fails
// with kind and a message containing msg; it returns the failure.
func wantFailure(tb testing.TB, prog sched.Program, kind sched.Kind, msg string) *sched.Failure {
	tb.Helper()
	r := run(prog, sched.FirstChooser{})
	if r.Failure == nil {
		tb.Fatalf("no failure, want %v %q", kind, msg)
	}
	if r.Failure.Kind != kind || !strings.Contains(r.Failure.Message, msg) {
		tb.Fatalf("failure %v %q, want %v %q", r.Failure.Kind, r.Failure.Message, kind, msg)
	}
	return r.Failure
}

// wantMisuse checks that prog fails with CPython's exception msg.
func wantMisuse(tb testing.TB, prog sched.Program, msg string) *sched.Failure {
	tb.Helper()
	return wantFailure(tb, prog, sched.Misuse, msg)
}

// threadState returns the final state of the thread called name.
func threadState(tb testing.TB, f *sched.Failure, name string) sched.ThreadState {
	tb.Helper()
	for _, ts := range f.Threads {
		if ts.Name == name {
			return ts
		}
	}
	tb.Fatalf("no thread %q in %s", name, f.Describe())
	return sched.ThreadState{}
}

// bunch starts n threads running fn(t, i) and returns them.
func bunch(main *sched.Thread, n int, fn func(t *sched.Thread, i int)) []*sched.Thread {
	ts := make([]*sched.Thread, n)
	for i := range n {
		ts[i] = main.Go("", func(t *sched.Thread) { fn(t, i) })
	}
	return ts
}

// joinAll joins every thread of ts.
func joinAll(main *sched.Thread, ts []*sched.Thread) {
	for _, t := range ts {
		main.Join(t)
	}
}

// The lazy clock makes sched.NewRandomChooser's decisions when no deadline
// is pending, and with one pending never fires it while a thread can run.
func TestLazyClock(t *testing.T) {
	noClock := func(main *sched.Thread) {
		v := 0
		bunch(main, 3, func(t *sched.Thread, _ int) { t.Yield(); v++; t.Yield() })
	}
	for seed := range 20 {
		a := run(noClock, newLazyClock(seed))
		b := run(noClock, sched.NewRandomChooser(uint64(seed)))
		if fmt.Sprint(a.Decisions) != fmt.Sprint(b.Decisions) {
			t.Fatalf("seed %d: lazy clock %v, random %v", seed, a.Decisions, b.Decisions)
		}
	}
	forSeeds(t, seeds, same(func(main *sched.Thread) {
		busy := 0
		w := main.Go("", func(t *sched.Thread) {
			for range 10 {
				busy++
				t.Yield()
			}
		})
		main.Sleep(time.Millisecond)
		main.Assert(busy == 10, "the clock fired while a thread could run (%d steps done)", busy)
		main.Join(w)
	}), nil)
}
