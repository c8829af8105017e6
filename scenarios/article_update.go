package scenarios

import (
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's race condition and its fix ("Basic Synchronization Using
// Lock"): FakeDatabase.update run by a thread pool, without and with the
// database's Lock.

// updateMax is the largest pool of the update scenarios: SPIN's figures
// are for 8 and 9 lost updates and 18 locked ones.
const updateMax = 24

// updateSizes documents the large sizes, for stateful search.
const updateSizes = "n goes up to 24 for the comparison with SPIN (n = 8 and 9 unlocked, 18 locked), " +
	"but stateless search is for n <= 3: the pool's own locks, queue and idle semaphore multiply the " +
	"interleavings; use stateful exploration beyond. The log is not part of the state."

func init() {
	params := []Param{{Name: "n", Default: 2, Doc: "workers in the pool, and updates", Min: 1, Max: updateMax}}
	register(Scenario{
		Name:    "lost-update",
		Group:   "article",
		Section: "Race Conditions",
		Doc: "racecond.py: FakeDatabase.update reads self.value into a local copy, adds one, sleeps " +
			"0.1 s and writes the copy back; main logs the starting value, submits n updates to a " +
			"ThreadPoolExecutor(max_workers=n), and after the with block logs the ending value. " +
			"self.value is a shared variable. Property: the ending value equals the number of updates. " +
			"Exhaustive exploration fails with an assertion, as the article shows (ending value 1): " +
			"both workers read 0 before either writes; the read and write also race. Parameter n " +
			"(default 2). " + updateSizes,
		Primitives: []string{"ThreadPoolExecutor", "Var", "sleep"},
		Params:     params,
		Expect: Expect{Fails: sched.Assertion, Also: []sched.Kind{sched.DataRace},
			Note: "both workers read the value before either writes"},
		Build: func(p Params) sched.Program { return buildUpdate(p["n"], false) },
	})
	register(Scenario{
		Name:    "locked-update",
		Group:   "article",
		Section: "Basic Synchronization Using Lock",
		Doc: "fixrace.py: lost-update with FakeDatabase.locked_update, which holds self._lock (with " +
			"self._lock:) around the read, the sleep and the write. Property: the ending value equals " +
			"the number of updates. Exhaustive exploration passes, in every interleaving, with no data " +
			"race. Parameter n (default 2). " + updateSizes,
		Primitives: []string{"ThreadPoolExecutor", "Lock", "Var", "sleep"},
		Params:     params,
		Expect:     Expect{Note: "the lock makes each update atomic"},
		Build:      func(p Params) sched.Program { return buildUpdate(p["n"], true) },
	})
}

// fakeDatabase is the article's FakeDatabase.
type fakeDatabase struct {
	tr    *transcript
	value *prims.Var[int]
	lock  *prims.Lock
}

// update is FakeDatabase.update: read, add one, sleep, write.
func (db *fakeDatabase) update(t *sched.Thread, name int) {
	db.tr.log(t, "Thread %d: starting update", name)
	db.readModifyWrite(t)
	db.tr.log(t, "Thread %d: finishing update", name)
}

// lockedUpdate is FakeDatabase.locked_update.
func (db *fakeDatabase) lockedUpdate(t *sched.Thread, name int) {
	db.tr.log(t, "Thread %d: starting update", name)
	db.lock.With(t, func() { db.readModifyWrite(t) })
	db.tr.log(t, "Thread %d: finishing update", name)
}

func (db *fakeDatabase) readModifyWrite(t *sched.Thread) {
	localCopy := db.value.Load(t)
	localCopy++
	t.Sleep(100 * time.Millisecond)
	db.value.Store(t, localCopy)
}

func buildUpdate(n int, locked bool) sched.Program {
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads the counter, not the log
		db := &fakeDatabase{tr: &transcript{}, value: prims.NewVar(main, "value", 0), lock: prims.NewLock(main, "_lock")}
		update, what := db.update, "update"
		if locked {
			update, what = db.lockedUpdate, "locked update"
		}
		db.tr.log(main, "Testing %s. Starting value is %d.", what, db.value.Load(main))
		prims.WithExecutor(main, poolName, n, func(ex *prims.Executor) {
			for index := range n {
				prims.Submit(main, ex, func(t *sched.Thread) (struct{}, error) {
					update(t, index)
					return struct{}{}, nil
				})
			}
		})
		end := db.value.Load(main)
		db.tr.log(main, "Testing %s. Ending value is %d.", what, end)
		main.Outcome("value=%d", end)
		main.Assert(end == n, "ending value is %d after %d updates: an update was lost", end, n)
	}
}
