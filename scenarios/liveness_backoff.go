package scenarios

import (
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// Mutual exclusion by flags, the way Dijkstra's "Cooperating Sequential
// Processes" (EWD123, 1965) builds up to a solution: each thread raises
// its flag and backs off when it sees the other's, which is safe but can
// go "after you, after you" forever; Peterson's turn breaks the tie.

// backoff is how long a thread that backs off sleeps before retrying.
const backoff = 10 * time.Millisecond

func init() {
	register(Scenario{
		Name:    "polite-backoff",
		Group:   "liveness",
		Section: "Dijkstra, 1965: 'after you, after you'",
		Doc: "Two threads, 0 and 1, each enter a critical section once. Thread i sets want[i] (an " +
			"atomic), reads want[1-i], and enters if it is clear; if not, it politely backs off: it " +
			"clears want[i], sleeps 10 ms and retries. In the critical section it checks that nobody " +
			"else is inside, then leaves and clears want[i]. Property: mutual exclusion, and both " +
			"threads finish. Mutual exclusion holds, and many schedules end (one thread finds the " +
			"other's flag clear, gets in, and the other follows), but stateful exploration fails it " +
			"with a livelock: both set their flags, both see the other's, both clear, both sleep, " +
			"and the clock wakes them in the state they started from. Both threads and the clock " +
			"run in that cycle, so a fair scheduler can repeat it forever and neither thread ever " +
			"enters. Stateless search cannot see the cycle: it runs the executions that follow it " +
			"until the step limit. No parameters.",
		Primitives: []string{"Thread", "Atomic", "Var", "sleep"},
		Expect: Expect{Fails: sched.Livelock, Stateful: true,
			Note: "both back off in lockstep forever"},
		Build: func(Params) sched.Program { return buildBackoff(false) },
	})
	register(Scenario{
		Name:    "polite-backoff-fixed",
		Group:   "liveness",
		Section: "Peterson, 1981",
		Doc: "polite-backoff with Peterson's tie-breaker: thread i sets want[i], then gives the turn " +
			"away (turn = 1-i), and waits, sleeping 10 ms between checks, while want[1-i] is set and " +
			"turn is 1-i; it never lowers its flag before its critical section. Property: mutual " +
			"exclusion, and both threads finish. Stateful exploration passes: whoever wrote turn " +
			"last waits, and only while the other has not yet left. Cycles remain, one thread " +
			"checking and sleeping while the other, enabled, never runs; a fair scheduler does not " +
			"follow them, so they are not livelocks. Stateless search runs those schedules until the " +
			"step limit. No parameters.",
		Primitives: []string{"Thread", "Atomic", "Var", "sleep"},
		Expect:     Expect{Stateful: true, Note: "the last to write turn waits, and only for a while"},
		Build:      func(Params) sched.Program { return buildBackoff(true) },
	})
}

// flags are the two threads' shared variables.
type flags struct {
	want   [2]*prims.Var[bool] // atomics
	turn   *prims.Var[int]     // atomic; Peterson's only
	inside *prims.Var[int]     // threads in the critical section
}

func buildBackoff(peterson bool) sched.Program {
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads inside and who finished, not the log
		f := &flags{inside: prims.NewVar(main, "inside", 0), turn: prims.NewAtomic(main, "turn", 0)}
		f.want[0] = prims.NewAtomic(main, "want[0]", false)
		f.want[1] = prims.NewAtomic(main, "want[1]", false)
		enter := f.politely
		if peterson {
			enter = f.peterson
		}
		threads := make([]*sched.Thread, 2)
		for i := range threads {
			threads[i] = main.Go("T"+itoa(i), func(t *sched.Thread) {
				enter(t, i)
				f.critical(t, i)
				f.want[i].Store(t, false)
			})
		}
		joinAll(main, threads)
		main.Outcome("both entered")
	}
}

// politely is the entry that backs off: it returns with want[i] set and
// want[1-i] seen clear.
func (f *flags) politely(t *sched.Thread, i int) {
	for {
		// At the loop head the thread's future depends on nothing
		// but i, fixed per thread: every retry starts afresh.
		t.Checkpoint("backoff")
		f.want[i].Store(t, true)
		if !f.want[1-i].Load(t) {
			return
		}
		f.want[i].Store(t, false)
		t.Sleep(backoff)
	}
}

// peterson is Peterson's entry: flag, give the turn away, wait.
func (f *flags) peterson(t *sched.Thread, i int) {
	f.want[i].Store(t, true)
	f.turn.Store(t, 1-i)
	for {
		// The waiting loop has no locals: each check starts afresh.
		t.Checkpoint("wait")
		if !f.want[1-i].Load(t) || f.turn.Load(t) != 1-i {
			return
		}
		t.Sleep(backoff)
	}
}

// critical is the critical section: nobody else may be inside.
func (f *flags) critical(t *sched.Thread, i int) {
	n := f.inside.Load(t)
	t.Assert(n == 0, "Thread %d entered the critical section with %d inside", i, n)
	f.inside.Store(t, n+1)
	f.inside.Store(t, n)
}
