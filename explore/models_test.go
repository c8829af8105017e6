package explore

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// spawnJoin starts one thread per body and joins them all.
func spawnJoin(main *sched.Thread, bodies ...func(t *sched.Thread)) {
	ts := make([]*sched.Thread, len(bodies))
	for i, b := range bodies {
		ts[i] = main.Go("", b)
	}
	for _, t := range ts {
		main.Join(t)
	}
}

// lostUpdate: n threads each read then write x+1; the property is x == n.
func lostUpdate(n int, assert bool) Model {
	return Model{Name: "lost-update", Params: fmt.Sprintf("n=%d", n), Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		bodies := make([]func(*sched.Thread), n)
		for i := range bodies {
			bodies[i] = func(t *sched.Thread) { x.Store(t, x.Load(t)+1) }
		}
		spawnJoin(main, bodies...)
		main.Outcome("x=%d", x.Peek())
		if assert {
			main.Assert(x.Peek() == n, "x=%d, want %d", x.Peek(), n)
		}
	}}
}

// lockInc: the same increment inside one lock.
func lockInc(n int) Model {
	return Model{Name: "lockinc", Params: fmt.Sprintf("n=%d", n), Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		l := prims.NewLock(main, "l")
		bodies := make([]func(*sched.Thread), n)
		for i := range bodies {
			bodies[i] = func(t *sched.Thread) {
				l.Acquire(t)
				x.Store(t, x.Load(t)+1)
				l.Release(t)
			}
		}
		spawnJoin(main, bodies...)
		main.Outcome("x=%d", x.Peek())
	}}
}

// lastZero(n): array a[0..n]; the reader scans a[n..0] for the first 0;
// writer j (1..n) sets a[j] = a[j-1] + 1.
func lastZero(n int) Model {
	return Model{Name: "lastzero", Params: fmt.Sprintf("n=%d", n), Program: func(main *sched.Thread) {
		a := make([]*prims.Var[int], n+1)
		for i := range a {
			a[i] = prims.NewVar(main, fmt.Sprintf("a%d", i), 0)
		}
		stop := -1
		bodies := []func(*sched.Thread){func(t *sched.Thread) {
			i := n
			for ; i > 0 && a[i].Load(t) != 0; i-- {
			}
			stop = i
		}}
		for j := 1; j <= n; j++ {
			bodies = append(bodies, func(t *sched.Thread) { a[j].Store(t, a[j-1].Load(t)+1) })
		}
		spawnJoin(main, bodies...)
		main.Outcome("zero at %d", stop)
	}}
}

// readers(n): one writer and n readers of x.
func readers(n int) Model {
	return Model{Name: "readers", Params: fmt.Sprintf("n=%d", n), Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		seen := make([]int, n)
		bodies := []func(*sched.Thread){func(t *sched.Thread) { x.Store(t, 1) }}
		for i := range n {
			bodies = append(bodies, func(t *sched.Thread) { seen[i] = x.Load(t) })
		}
		spawnJoin(main, bodies...)
		main.Outcome("%v", seen)
	}}
}

// micro builds a model from thread bodies, recording every value read.
func micro(name string, build func(main *sched.Thread, rec func(string, ...any)) []func(*sched.Thread)) Model {
	return Model{Name: name, Program: func(main *sched.Thread) {
		var log []string
		rec := func(f string, a ...any) { log = append(log, fmt.Sprintf(f, a...)) }
		spawnJoin(main, build(main, rec)...)
		slices.Sort(log) // threads record in any order: the set is the outcome
		main.Outcome("%s", strings.Join(log, " "))
	}}
}

var _ = time.Second

// philosophers(n, fixed): philosopher i locks fork i then fork i+1 mod n
// (the last one the other way round when fixed), then releases both.
// 2^n - 1 traces, one a deadlock; 2^n - 2 when fixed.
func philosophers(n int, fixed bool) Model {
	return Model{Name: "philosophers", Params: fmt.Sprintf("n=%d,fixed=%v", n, fixed), Program: func(main *sched.Thread) {
		forks := make([]*prims.Lock, n)
		for i := range forks {
			forks[i] = prims.NewLock(main, fmt.Sprintf("fork%d", i))
		}
		bodies := make([]func(*sched.Thread), n)
		for i := range n {
			first, second := forks[i], forks[(i+1)%n]
			if fixed && i == n-1 {
				first, second = second, first
			}
			bodies[i] = func(t *sched.Thread) {
				first.Acquire(t)
				second.Acquire(t)
				second.Release(t)
				first.Release(t)
			}
		}
		spawnJoin(main, bodies...)
	}}
}

// nestedLocks(n): as filesystem's allocator, each of n threads holds its
// own lock while the first and the last also flip a shared flag under a
// shared lock: 2 traces, for any n >= 2.
func nestedLocks(n int) Model {
	return Model{Name: "nested-locks", Params: fmt.Sprintf("n=%d", n), Program: func(main *sched.Thread) {
		shared := prims.NewLock(main, "shared")
		flag := prims.NewVar(main, "flag", false)
		bodies := make([]func(*sched.Thread), n)
		for i := range n {
			own := prims.NewLock(main, fmt.Sprintf("own%d", i))
			bodies[i] = func(t *sched.Thread) {
				own.Acquire(t)
				if i == 0 || i == n-1 {
					shared.Acquire(t)
					flag.Store(t, !flag.Load(t))
					shared.Release(t)
				}
				own.Release(t)
			}
		}
		spawnJoin(main, bodies...)
	}}
}
