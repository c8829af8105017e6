package sched_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
	"pgregory.net/rapid"
)

// genOp is one operation of a generated model.
type genOp struct {
	Kind int // see runOp
	Obj  int
}

// genModel draws a small model: up to three threads of up to six
// operations on two locks and two variables, with sleeps and draws.
func genModel(t *rapid.T) (sched.Program, [][]genOp) {
	op := rapid.Custom(func(t *rapid.T) genOp {
		return genOp{Kind: rapid.IntRange(0, 8).Draw(t, "kind"), Obj: rapid.IntRange(0, 1).Draw(t, "obj")}
	})
	threads := rapid.SliceOfN(rapid.SliceOfN(op, 1, 6), 1, 3).Draw(t, "threads")
	join := rapid.Bool().Draw(t, "join")
	return func(main *sched.Thread) {
		locks := []*prims.Lock{prims.NewLock(main, "a"), prims.NewLock(main, "b")}
		vars := []*prims.Var[int]{prims.NewVar(main, "x", 0), prims.NewVar(main, "y", 0)}
		var ws []*sched.Thread
		for _, ops := range threads {
			ws = append(ws, main.Go("", func(t *sched.Thread) {
				for _, o := range ops {
					runOp(t, o, locks[o.Obj], vars[o.Obj])
				}
			}))
		}
		if join {
			for _, w := range ws {
				main.Join(w)
			}
		}
		main.Outcome("x=%d y=%d", vars[0].Peek(), vars[1].Peek())
	}, threads
}

func runOp(t *sched.Thread, o genOp, l *prims.Lock, v *prims.Var[int]) {
	switch o.Kind {
	case 0:
		l.Acquire(t)
	case 1:
		if l.Locked(t) {
			l.Release(t)
		}
	case 2:
		v.Load(t)
	case 3:
		v.Store(t, v.Load(t)+1)
	case 4:
		t.Sleep(time.Duration(o.Obj+1) * time.Second)
	case 5:
		t.Yield()
	case 6:
		t.Log("%s at %v", t.Name(), t.Now())
	case 7:
		v.Store(t, t.Random(3))
	case 8:
		l.AcquireTimeout(t, time.Second)
	}
}

// render prints everything an execution produced, byte for byte.
func render(r *sched.Result) string {
	var b strings.Builder
	for _, e := range r.Trace {
		fmt.Fprintf(&b, "%+v\n", e)
	}
	fmt.Fprintf(&b, "%v %v %q %v %v\n", r.Decisions, r.Logs, r.Outcome, r.Races, r.Time)
	if r.Failure != nil {
		b.WriteString(r.Failure.Describe() + "\n")
	}
	return b.String()
}

func TestSameSeedSameTraceAnyGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rapid.Check(t, func(rt *rapid.T) {
		prog, _ := genModel(rt)
		seed := rapid.Uint64().Draw(rt, "seed")
		var traces []string
		for _, procs := range []int{1, 2, 1} {
			runtime.GOMAXPROCS(procs)
			s := sched.New(sched.Options{Detail: true, MaxSteps: 500})
			traces = append(traces, render(s.Run(prog, sched.NewRandomChooser(seed))))
			traces = append(traces, render(s.Run(prog, sched.NewRandomChooser(seed))))
			s.Close()
		}
		for i, tr := range traces[1:] {
			if tr != traces[0] {
				rt.Fatalf("run %d differs from run 0:\n%s\nvs\n%s", i+1, tr, traces[0])
			}
		}
	})
}

func TestNoThreadOutlivesItsExecution(t *testing.T) {
	before := runtime.NumGoroutine()
	rapid.Check(t, func(rt *rapid.T) {
		prog, _ := genModel(rt)
		s := sched.New(sched.Options{MaxSteps: 200, StuckAfter: -1})
		for seed := uint64(0); seed < 5; seed++ {
			s.Run(prog, sched.NewRandomChooser(seed))
			if created, idle := sched.PoolStats(s); created != idle {
				rt.Fatalf("seed %d: %d coroutines created, %d idle", seed, created, idle)
			}
		}
		s.Close()
	})
	if after := runtime.NumGoroutine(); after > before {
		t.Fatalf("%d goroutines before, %d after closing every scheduler", before, after)
	}
}

// lastEvents is a Chooser that follows another and records, at each
// scheduling point, the last event the scheduler shows.
type lastEvents struct {
	sched.Chooser
	seen []sched.Event
}

func (l *lastEvents) Choose(c *sched.Choice) int {
	if e, ok := c.Sched.LastEvent(); ok {
		l.seen = append(l.seen, e)
	}
	return l.Chooser.Choose(c)
}

func TestNoTraceRunsTheSameExecution(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		prog, _ := genModel(rt)
		seed := rapid.Uint64().Draw(rt, "seed")
		state := rapid.Bool().Draw(rt, "state")
		run := func(noTrace bool) (*sched.Result, []sched.Event) {
			s := sched.New(sched.Options{MaxSteps: 200, State: state, NoTrace: noTrace})
			defer s.Close()
			l := &lastEvents{Chooser: sched.NewRandomChooser(seed)}
			return s.Run(prog, l).Clone(), l.seen
		}
		want, wantSeen := run(false)
		got, gotSeen := run(true)
		if len(got.Trace) != 0 || len(got.Logs) != 0 {
			rt.Fatalf("NoTrace kept %d events and %d lines", len(got.Trace), len(got.Logs))
		}
		if got.Steps != len(want.Trace) || want.Steps != len(want.Trace) {
			rt.Fatalf("Steps: %d without a trace, %d with, the trace has %d", got.Steps, want.Steps, len(want.Trace))
		}
		want.Trace, want.Logs = nil, nil
		got.Trace, got.Logs = nil, nil
		if diff := cmp.Diff(want, got); diff != "" {
			rt.Fatalf("the execution differs without a trace (-with +without):\n%s", diff)
		}
		if diff := cmp.Diff(wantSeen, gotSeen); diff != "" {
			rt.Fatalf("LastEvent differs without a trace (-with +without):\n%s", diff)
		}
	})
}
