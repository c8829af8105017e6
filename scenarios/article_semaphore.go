package scenarios

import (
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's "Semaphore" section: "Semaphores are frequently used to
// protect a resource that has a limited capacity. An example would be if
// you have a pool of connections and want to limit the size of that pool
// to a specific number." The article gives no code; this is the program it
// describes, and the bug the bounded semaphore exists to catch.

func init() {
	params := func(n int) []Param {
		return []Param{
			{Name: "k", Default: 2, Doc: "connections in the pool (the semaphore's value)", Min: 1, Max: 4},
			{Name: "n", Default: n, Doc: "worker threads", Min: 1, Max: 5},
		}
	}
	register(Scenario{
		Name:    "semaphore-pool",
		Group:   "article",
		Section: "Semaphore",
		Doc: "A pool of k connections guarded by Semaphore(k) and a Lock around the free list: get() " +
			"acquires the semaphore, then pops a connection under the lock; put() pushes it back under " +
			"the lock, then releases the semaphore. n worker threads each get a connection, log " +
			"'Thread i: using connection c', and put it back; Thread 0's query fails and it returns " +
			"its connection from its error path. Property: at most k workers hold a connection at once " +
			"(the free list is never empty when a worker pops). Outcome: the most connections in use " +
			"at once. Exhaustive exploration passes. Parameters k (default 2) and n (default 3; with " +
			"n = 4 exhaustive search takes about a minute).",
		Primitives: []string{"Thread", "Semaphore", "Lock", "Var"},
		Params:     params(3),
		Expect:     Expect{Note: "never more than k connections in use"},
		Build:      func(p Params) sched.Program { return buildSemaphorePool(p["k"], p["n"], false, false) },
	})
	register(Scenario{
		Name:    "semaphore-pool-bug",
		Group:   "article",
		Section: "Semaphore",
		Doc: "semaphore-pool where Thread 0's error path releases the semaphore itself and then its " +
			"finally: pool.put(conn) releases it again: one acquire, two releases. The semaphore then " +
			"admits k+1 workers for k connections, and the (k+1)-th finds the free list empty. " +
			"Property: at most k workers hold a connection at once. Exhaustive exploration fails with " +
			"an assertion (it needs n >= k+2: Thread 0 and k+1 others). Parameters k (default 2) and n " +
			"(default 4).",
		Primitives: []string{"Thread", "Semaphore", "Lock", "Var"},
		Params:     params(4),
		Expect:     Expect{Fails: sched.Assertion, Note: "k+1 workers hold a connection"},
		Build:      func(p Params) sched.Program { return buildSemaphorePool(p["k"], p["n"], true, false) },
	})
	register(Scenario{
		Name:    "semaphore-pool-bounded-bug",
		Group:   "article",
		Section: "Semaphore",
		Doc: "semaphore-pool-bug with a BoundedSemaphore(k), whose release above k raises ValueError " +
			"'Semaphore released too many times'. Property: at most k workers hold a connection at " +
			"once, and no misuse. Exhaustive exploration fails with a misuse, as the bounded semaphore " +
			"promises; but the check is made only when the counter would exceed k, so while other " +
			"workers hold units the double release passes unnoticed and k+1 workers can still hold a " +
			"connection before some later release raises: exploration also finds the assertion. " +
			"Parameters k (default 2) and n (default 4).",
		Primitives: []string{"Thread", "BoundedSemaphore", "Lock", "Var"},
		Params:     params(4),
		Expect: Expect{Fails: sched.Misuse, Also: []sched.Kind{sched.Assertion},
			Note: "ValueError: Semaphore released too many times"},
		Build: func(p Params) sched.Program { return buildSemaphorePool(p["k"], p["n"], true, true) },
	})
}

// releaser is what the pool needs of a Semaphore or BoundedSemaphore.
type releaser interface {
	Acquire(t *sched.Thread) bool
	Release(t *sched.Thread)
}

// connectionPool is a pool of connections guarded by a semaphore.
type connectionPool struct {
	sem   releaser
	lock  *prims.Lock
	state *prims.Var[poolState] // guarded by lock
	k     int
}

// poolState is the pool's data, guarded by its lock: the free list (a
// Python list used as a stack) and the most connections in use at once so
// far. It is a Var, not Go fields, so that every read is a step whose
// value the reading thread observes: the connection a worker pops is then
// part of its history, which stateful exploration relies on. Values are
// never changed in place.
type poolState struct {
	free []int
	most int
}

// String renders the state, all of it: it is also its state encoding.
func (s poolState) String() string {
	return "free " + fmtInts(s.free) + ", most in use " + itoa(s.most)
}

func newConnectionPool(t *sched.Thread, k int, bounded bool) *connectionPool {
	p := &connectionPool{lock: prims.NewLock(t, "pool"), k: k}
	if bounded {
		p.sem = prims.NewBoundedSemaphore(t, "connections", k)
	} else {
		p.sem = prims.NewSemaphore(t, "connections", k)
	}
	free := make([]int, k)
	for c := range k {
		free[c] = c + 1
	}
	p.state = prims.NewVar(t, "pool.free", poolState{free: free})
	return p
}

// get takes a connection: the semaphore, then the free list. Workers
// holding a connection are k minus the free ones.
func (p *connectionPool) get(t *sched.Thread) int {
	p.sem.Acquire(t)
	p.lock.Acquire(t)
	s := p.state.Load(t)
	n := len(s.free)
	if n == 0 {
		t.Fail(sched.Assertion, "IndexError: pop from empty list: "+itoa(p.k+1)+
			" workers hold a connection at once, the pool has "+itoa(p.k))
	}
	c := s.free[n-1]
	p.state.Store(t, poolState{free: s.free[: n-1 : n-1], most: max(s.most, p.k-n+1)})
	p.lock.Release(t)
	return c
}

// put returns a connection: the free list, then the semaphore.
func (p *connectionPool) put(t *sched.Thread, c int) {
	p.lock.Acquire(t)
	s := p.state.Load(t)
	p.state.Store(t, poolState{free: append(s.free, c), most: s.most})
	p.lock.Release(t)
	p.sem.Release(t)
}

func buildSemaphorePool(k, n int, doubleRelease, bounded bool) sched.Program {
	return func(main *sched.Thread) {
		tr := forgetLog(main) // the property reads the free list, not the log
		pool := newConnectionPool(main, k, bounded)
		workers := make([]*sched.Thread, n)
		for i := range n {
			workers[i] = main.Go("", func(t *sched.Thread) {
				c := pool.get(t)
				if i == 0 {
					tr.log(t, "Thread %d: query on connection %d failed", i, c)
					if doubleRelease {
						pool.sem.Release(t) // the bug: the put below releases too
					}
				} else {
					tr.log(t, "Thread %d: using connection %d", i, c)
				}
				pool.put(t, c)
			})
		}
		for _, w := range workers {
			main.Join(w)
		}
		main.Outcome("at most %d in use", pool.state.Peek().most)
	}
}
