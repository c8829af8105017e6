package sched_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
	"pgregory.net/rapid"
)

// TestClocksOnDemandFindTheSameRaces: the clocks applied when a race
// check needs them (clocklog.go) give every execution the races, and
// everything else, of the clocks applied at every step.
func TestClocksOnDemandFindTheSameRaces(t *testing.T) {
	raced := 0
	rapid.Check(t, func(rt *rapid.T) {
		prog, _ := genModel(rt)
		seed := rapid.Uint64().Draw(rt, "seed")
		run := func(eager bool) string {
			defer sched.SetEagerClocks(sched.SetEagerClocks(eager))
			s := sched.New(sched.Options{Detail: true, MaxSteps: 500})
			defer s.Close()
			r := s.Run(prog, sched.NewRandomChooser(seed))
			if len(r.Races) > 0 && eager {
				raced++
			}
			return render(r)
		}
		if want, got := run(true), run(false); got != want {
			rt.Fatalf("clocks on demand:\n%s\nclocks at every step:\n%s", got, want)
		}
	})
	if raced == 0 {
		t.Fatal("no execution raced: the test compares nothing")
	}
}

// TestClocksWaitForARaceCheck: an execution whose steps are all on Sync
// objects applies no clock operation; a step on a Data object applies
// them all, and those after it are applied at their steps (main's exit).
func TestClocksWaitForARaceCheck(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	var x *prims.Var[int]
	atomics := func(main *sched.Thread) {
		a := prims.NewAtomic(main, "a", 0)
		u := main.Go("", func(t *sched.Thread) { a.Store(t, a.Load(t)+1) })
		main.Join(u)
		if x != nil {
			x.Store(main, 1)
		}
	}
	s.Run(atomics, sched.FirstChooser{})
	// main's start, its start step, the child's start, read, write and
	// exit, main's join and exit.
	if got := sched.PendingClockOps(s); got != 8 {
		t.Fatalf("%d clock operations pending after an execution without Data steps, want 8", got)
	}
	s.Run(func(main *sched.Thread) {
		x = prims.NewVar(main, "x", 0)
		atomics(main)
	}, sched.FirstChooser{})
	if got := sched.PendingClockOps(s); got != 0 {
		t.Fatalf("%d clock operations pending after a Data step and main's exit, want 0", got)
	}
}

// TestClocksOfAnObjectRegisteredAgain: registering an object again resets
// its clock, after the operations logged on it: here the atomic's
// clock no longer orders A's write of x before B's read, a race.
func TestClocksOfAnObjectRegisteredAgain(t *testing.T) {
	prog := func(main *sched.Thread) {
		a, x := prims.NewAtomic(main, "a", 0), prims.NewVar(main, "x", 0)
		main.Go("A", func(t *sched.Thread) {
			x.Store(t, 1)
			a.Store(t, 1)
		})
		main.Sleep(time.Second) // A runs to its end meanwhile
		main.Register(a.Object(), sched.Sync, "Atomic", "a")
		main.Go("B", func(t *sched.Thread) {
			a.Load(t)
			x.Load(t)
		})
	}
	for _, eager := range []bool{true, false} {
		was := sched.SetEagerClocks(eager)
		s := sched.New(sched.Options{})
		r := s.Run(prog, sched.FirstChooser{})
		s.Close()
		sched.SetEagerClocks(was)
		if len(r.Races) != 1 {
			t.Fatalf("eager clocks %v: races %v, want A's write and B's read of x", eager, r.Races)
		}
	}
}

// TestManyReadsAreKept: a Data object keeps every read since its last
// write (their storage grows from the scheduler's slab): the write
// races with the first of six reads, that of the one reader the writer
// did not join.
func TestManyReadsAreKept(t *testing.T) {
	const readers = 6
	prog := func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		var rs []*sched.Thread
		for range readers {
			rs = append(rs, main.Go("", func(t *sched.Thread) { x.Load(t) }))
		}
		main.Sleep(time.Second) // every reader reads meanwhile, in order
		for _, r := range rs[1:] {
			main.Join(r)
		}
		x.Store(main, 1)
	}
	s := sched.New(sched.Options{})
	defer s.Close()
	for run := range 2 {
		r := s.Run(prog, sched.FirstChooser{})
		if len(r.Races) != 1 || r.Races[0].First.Thread != 1 || r.Races[0].First.Access != sched.Read ||
			r.Races[0].Second != (sched.RaceAccess{Thread: 0, Step: r.Steps - 2, Access: sched.Write}) {
			t.Fatalf("run %d: races %v, want main's write (step %d) racing with the first reader's read", run, r.Races, r.Steps-2)
		}
	}
}
