package scenarios

import (
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's race condition and its fix ("Basic Synchronization Using
// Lock"): FakeDatabase.update run by a thread pool, without and with the
// database's Lock; and both on plain threads, as Promela models have them.

// updateMax is the largest n of the update scenarios: issue 7 quotes SPIN
// at 8 and 9 lost updates and 18 locked ones.
const updateMax = 24

// updatePoolSizes and updateThreadSizes document the large sizes.
const (
	updatePoolSizes = "n goes up to 24, but the pool's own locks, queue and idle semaphore multiply " +
		"the states (locked-update: 82,000 at n = 2): for large sizes, use the -threads version. " +
		"The log is not part of the state."
	updateThreadSizes = "n goes up to 24: a Promela model runs processes, not a thread pool, and so " +
		"does this one (testdata/spin has its Promela version, step for step, for the comparison with " +
		"SPIN). With sleep=0, stateless search explores (n!)^2 traces unlocked and n! locked (the prints " +
		"commute: the log is forgotten), 14,400 and 120 at n = 5; stateful search stores " +
		"267 states locked and 5,285 unlocked (going on after failures) at n = 4, and with sleep=0 grows " +
		"about 2.5-fold a thread locked (155,675 states at n = 12) and 8-fold unlocked (4,978,822 at " +
		"n = 8): ample sets take the prints, the sleeps, the starts, the joins and the exits alone. " +
		"The article's 0.1 s sleep is a " +
		"deadline and a fire of the clock; sleep=0 makes it a yield, as the Promela version's skip " +
		"(the lost update then has under a third of the states at n = 4). The log is not part of the state, nor what a " +
		"finished thread observed (the threads hand nothing over outside the value and the lock)."
)

// updateSleep is how long an update sleeps between its read and its
// write, as the article's time.sleep(0.1).
const updateSleep = 100 * time.Millisecond

func init() {
	params := []Param{{Name: "n", Default: 2, Doc: "updates, and the threads that run them", Min: 1, Max: updateMax}}
	threadParams := append(params, Param{Name: "sleep", Default: 100, Min: 0, Max: 10_000,
		Doc: "milliseconds each update sleeps between its read and its write (0: time.sleep(0), a yield, " +
			"as the Promela versions' skip)"})
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
			"(default 2). " + updatePoolSizes,
		Primitives: []string{"ThreadPoolExecutor", "Var", "sleep"},
		Params:     params,
		Expect: Expect{Fails: sched.Assertion, Also: []sched.Kind{sched.DataRace},
			Note: "both workers read the value before either writes"},
		Build: func(p Params) sched.Program { return buildUpdate(p["n"], updateSleep, false, true) },
	})
	register(Scenario{
		Name:    "locked-update",
		Group:   "article",
		Section: "Basic Synchronization Using Lock",
		Doc: "fixrace.py: lost-update with FakeDatabase.locked_update, which holds self._lock (with " +
			"self._lock:) around the read, the sleep and the write. Property: the ending value equals " +
			"the number of updates. Exhaustive exploration passes, in every interleaving, with no data " +
			"race. Parameter n (default 2). " + updatePoolSizes,
		Primitives: []string{"ThreadPoolExecutor", "Lock", "Var", "sleep"},
		Params:     params,
		Expect:     Expect{Note: "the lock makes each update atomic"},
		Build:      func(p Params) sched.Program { return buildUpdate(p["n"], updateSleep, true, true) },
	})
	register(Scenario{
		Name:    "lost-update-threads",
		Group:   "article",
		Section: "Race Conditions",
		Doc: "lost-update without the thread pool: main logs the starting value, starts n threads " +
			"that each run FakeDatabase.update once (read, add one, sleep 0.1 s, write), joins them " +
			"and logs the ending value. Property: the ending value equals the number of updates. " +
			"Exhaustive exploration fails with an assertion, and the read and write race, as in " +
			"lost-update. Parameters n (default 2) and sleep (milliseconds, default 100). " + updateThreadSizes,
		Primitives: []string{"Thread", "Var", "sleep"},
		Params:     threadParams,
		Expect: Expect{Fails: sched.Assertion, Also: []sched.Kind{sched.DataRace},
			Note: "both threads read the value before either writes"},
		Build: func(p Params) sched.Program { return buildUpdate(p["n"], sleepOf(p), false, false) },
	})
	register(Scenario{
		Name:    "locked-update-threads",
		Group:   "article",
		Section: "Basic Synchronization Using Lock",
		Doc: "locked-update without the thread pool: main starts n threads that each run " +
			"FakeDatabase.locked_update once (the read, the sleep and the write under self._lock), " +
			"and joins them. Property: the ending value equals the number of updates. Exhaustive " +
			"exploration passes, with no data race. Parameters n (default 2) and sleep (milliseconds, " +
			"default 100). " + updateThreadSizes,
		Primitives: []string{"Thread", "Lock", "Var", "sleep"},
		Params:     threadParams,
		Expect:     Expect{Note: "the lock makes each update atomic"},
		Build:      func(p Params) sched.Program { return buildUpdate(p["n"], sleepOf(p), true, false) },
	})
}

// sleepOf is the sleep parameter of the -threads updates.
func sleepOf(p Params) time.Duration { return time.Duration(p["sleep"]) * time.Millisecond }

// fakeDatabase is the article's FakeDatabase.
type fakeDatabase struct {
	tr    *transcript
	value *prims.Var[int]
	lock  *prims.Lock
	sleep time.Duration // between an update's read and its write
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
	t.Sleep(db.sleep)
	db.value.Store(t, localCopy)
}

func buildUpdate(n int, sleep time.Duration, locked, pool bool) sched.Program {
	return func(main *sched.Thread) {
		tr := forgetLog(main) // the property reads the counter, not the log
		if !pool {
			// The threads hand nothing over outside the value and the lock.
			main.ForgetFinished()
		}
		db := &fakeDatabase{tr: tr, value: prims.NewVar(main, "value", 0), lock: prims.NewLock(main, "_lock"), sleep: sleep}
		update, what := db.update, "update"
		if locked {
			update, what = db.lockedUpdate, "locked update"
		}
		db.tr.log(main, "Testing %s. Starting value is %d.", what, db.value.Load(main))
		runUpdates(main, n, pool, update)
		end := db.value.Load(main)
		db.tr.log(main, "Testing %s. Ending value is %d.", what, end)
		main.Outcome("value=%d", end)
		main.Assert(end == n, "ending value is %d after %d updates: an update was lost", end, n)
	}
}

// runUpdates runs update(t, 0..n-1) as the article does, on a
// ThreadPoolExecutor(max_workers=n) in a with block, or without the pool
// on n threads that main starts and joins.
func runUpdates(main *sched.Thread, n int, pool bool, update func(*sched.Thread, int)) {
	if !pool {
		threads := make([]*sched.Thread, n)
		for index := range n {
			threads[index] = main.Go("", func(t *sched.Thread) { update(t, index) })
		}
		joinAll(main, threads)
		return
	}
	prims.WithExecutor(main, poolName, n, func(ex *prims.Executor) {
		for index := range n {
			prims.Submit(main, ex, func(t *sched.Thread) (struct{}, error) {
				update(t, index)
				return struct{}{}, nil
			})
		}
	})
}
