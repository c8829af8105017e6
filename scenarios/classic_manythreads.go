package scenarios

import (
	"strconv"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// Bugs in programs with many threads, after the shapes of SCTBench's
// reorder_N, twostage_N and wronglock (Thomson, Donaldson and Betts, PPoPP
// 2014): N threads of which one must be preempted once, at one place.
// Every failing schedule has at least one preemption and some have
// exactly one, but switches at blocking points and exits are free for
// preemption bounding, so its bound 0 already holds every order of the
// threads (N! of them when they all touch one variable) before bound 1
// is reached. Delay bounding (explore's "delay" strategy) counts every
// deviation from a round-robin scheduler and finds each with one delay.
// The shared variables are atomics or are protected by locks, so that the
// failure is the assertion and not a data race, which vector clocks see in
// any execution.

func init() {
	register(Scenario{
		Name:    "reorder",
		Group:   "benchmark",
		Section: "Thomson et al., PPoPP 2014: SCTBench (reorder_N)",
		Doc: "Two atomics a and b, both 0. Setters 1..N-1 (started first) each write a = i, then " +
			"b = -i; the checker, started last, reads a, then b, and asserts b == -a. It fails only " +
			"when the checker runs inside a setter's pair of writes or a setter inside its pair of " +
			"reads: one preemption. Every order of the threads without a preemption passes, and " +
			"there are N! of them. The round-robin schedule runs setter N-1 just before the " +
			"checker, so one delay there finds the bug.",
		Primitives: []string{"Thread", "Atomic"},
		Params:     []Param{{Name: "n", Default: 4, Doc: "number of threads (N-1 setters and a checker)", Min: 2, Max: 64}},
		Expect:     Expect{Fails: sched.Assertion, Note: "the checker sees a torn pair: one preemption"},
		Build:      buildReorder,
	})
	register(Scenario{
		Name:    "twostage",
		Group:   "benchmark",
		Section: "Thomson et al., PPoPP 2014: SCTBench (twostage_N)",
		Doc: "A two-stage publish: the writer sets d1 = 1 holding lock m1, then d2 = d1 + 1 " +
			"holding lock m2. N-1 readers each read d1 holding m1 (and stop if it is 0), then d2 " +
			"holding m2, and assert d2 == d1 + 1. A reader that runs between the writer's two " +
			"critical sections sees d1 published and d2 not: the writer must be preempted once, " +
			"between releasing m1 and acquiring m2.",
		Primitives: []string{"Thread", "Lock", "Var"},
		Params:     []Param{{Name: "n", Default: 4, Doc: "number of threads (a writer and N-1 readers)", Min: 2, Max: 128}},
		Expect:     Expect{Fails: sched.Assertion, Note: "a reader sees stage one without stage two: one preemption"},
		Build:      buildTwoStage,
	})
	register(Scenario{
		Name:    "wronglock",
		Group:   "benchmark",
		Section: "Thomson et al., PPoPP 2014: SCTBench (wronglock)",
		Doc: "N threads add one to an atomic counter x: threads 1..N-1 holding lock L, where each " +
			"reads x, writes x + 1 and asserts that x reads back as what it wrote; the last holds " +
			"the wrong lock W. It fails when the last thread's update lands inside another's " +
			"critical section (one preemption); main also asserts x == N at the end (a lost " +
			"update).",
		Primitives: []string{"Thread", "Lock", "Atomic"},
		Params:     []Param{{Name: "n", Default: 4, Doc: "number of threads (N-1 on the right lock, one on the wrong one)", Min: 2, Max: 64}},
		Expect:     Expect{Fails: sched.Assertion, Note: "the wrong lock lets an update into a critical section: one preemption"},
		Build:      buildWrongLock,
	})
}

func buildReorder(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		main.ForgetLog() // the property is the checker's assertion, and nothing prints
		a := prims.NewAtomic(main, "a", 0)
		b := prims.NewAtomic(main, "b", 0)
		var threads []*sched.Thread
		for i := 1; i < n; i++ {
			threads = append(threads, main.Go("setter"+strconv.Itoa(i), func(t *sched.Thread) {
				a.Store(t, i)
				b.Store(t, -i)
			}))
		}
		threads = append(threads, main.Go("checker", func(t *sched.Thread) {
			va := a.Load(t)
			vb := b.Load(t)
			t.Assert(vb == -va, "checker read a = %d, then b = %d: a setter's writes were split", va, vb)
		}))
		joinAll(main, threads)
		main.Outcome("a=%d", a.Peek())
	}
}

func buildTwoStage(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		main.ForgetLog() // the property is the readers' assertion, and nothing prints
		m1, m2 := prims.NewLock(main, "m1"), prims.NewLock(main, "m2")
		d1, d2 := prims.NewVar(main, "d1", 0), prims.NewVar(main, "d2", 0)
		threads := []*sched.Thread{main.Go("writer", func(t *sched.Thread) {
			m1.With(t, func() { d1.Store(t, 1) })
			m2.With(t, func() { d2.Store(t, d1.Load(t)+1) })
		})}
		for i := 1; i < n; i++ {
			threads = append(threads, main.Go("reader"+strconv.Itoa(i), func(t *sched.Thread) {
				m1.Acquire(t)
				v1 := d1.Load(t)
				m1.Release(t)
				if v1 == 0 {
					return
				}
				m2.Acquire(t)
				v2 := d2.Load(t)
				m2.Release(t)
				t.Assert(v2 == v1+1, "reader read d1 = %d, then d2 = %d: stage two was not published", v1, v2)
			}))
		}
		joinAll(main, threads)
		main.Outcome("d2=%d", d2.Peek())
	}
}

func buildWrongLock(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads x, and nothing prints
		right, wrong := prims.NewLock(main, "L"), prims.NewLock(main, "W")
		x := prims.NewAtomic(main, "x", 0)
		threads := make([]*sched.Thread, n)
		for i := range n {
			l, name, lock := right, "T"+strconv.Itoa(i+1), "L"
			if i == n-1 {
				l, name, lock = wrong, "wrong", "W"
			}
			threads[i] = main.Go(name, func(t *sched.Thread) {
				l.Acquire(t)
				v := x.Load(t)
				x.Store(t, v+1)
				got := x.Load(t)
				l.Release(t)
				t.Assert(got == v+1, "%s wrote x = %d holding %s and read back %d", name, v+1, lock, got)
			})
		}
		joinAll(main, threads)
		main.Assert(x.Peek() == n, "x = %d after %d increments: an update was lost", x.Peek(), n)
		main.Outcome("x=%d", x.Peek())
	}
}

// ManyThreadCases are the many-thread bugs at the sizes threadsim bench
// hunts them (N = 10 and 20), in a fixed order.
func ManyThreadCases() []BenchCase {
	var out []BenchCase
	for _, name := range []string{"reorder", "twostage", "wronglock"} {
		for _, n := range []int{10, 20} {
			out = append(out, BenchCase{Scenario: name, Params: Params{"n": n}, Quick: n == 10})
		}
	}
	return out
}

// IsManyThreadBug reports whether name is one of ManyThreadCases'
// scenarios.
func IsManyThreadBug(name string) bool {
	return name == "reorder" || name == "twostage" || name == "wronglock"
}
