package scenarios

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// The article's first program ("Starting a Thread", "Daemon Threads",
// "join() a Thread"): main starts one thread that logs, sleeps 2 s and
// logs again, then logs "all done", with the thread a daemon or joined.

const (
	mainAllDone      = "Main    : all done"
	thread1Finishing = "Thread 1: finishing"
)

func init() {
	register(Scenario{
		Name:    "daemon",
		Group:   "article",
		Section: "Daemon Threads",
		Doc: "single_thread.py with daemon=True: main logs, starts Thread 1 as a daemon (it logs " +
			"'starting', sleeps 2 s, logs 'finishing'), logs 'wait for the thread to finish' and " +
			"'all done', and returns without joining. The program ends when main does, freezing the " +
			"daemon where it stands. Property (the article's claim): 'Thread 1: finishing' never " +
			"appears after 'Main    : all done'. Outcome: whether and where the finishing line appears. " +
			"Exhaustive exploration FAILS it, against the article: the claim is about timing, not " +
			"order. After main prints 'all done' it still has to exit (CPython runs " +
			"threading._shutdown and finalises the interpreter); a main thread slower than 2 s there " +
			"lets the daemon wake and print 'finishing' after 'all done' (and one slower still before " +
			"'all done' prints the line before it). Only when main outruns the sleep is the line " +
			"missing, as in the article's output. No parameters.",
		Primitives: []string{"Thread(daemon)", "sleep"},
		Expect: Expect{Fails: sched.Assertion,
			Note: "a main slower than the 2 s sleep lets the daemon print after 'all done'"},
		Build: func(Params) sched.Program { return buildSingleThread(true) },
	})
	register(Scenario{
		Name:    "join",
		Group:   "article",
		Section: "join() a Thread",
		Doc: "single_thread.py with x.join() uncommented: main starts Thread 1 (non-daemon; it logs " +
			"'starting', sleeps 2 s, logs 'finishing'), logs 'wait for the thread to finish', joins " +
			"it and logs 'all done'. Property: 'Thread 1: finishing' is always printed, before " +
			"'Main    : all done'. Outcome: where the finishing line appears. Exhaustive " +
			"exploration passes: join orders it before 'all done' in every interleaving. No parameters.",
		Primitives: []string{"Thread", "join", "sleep"},
		Expect:     Expect{Note: "join orders 'finishing' before 'all done'"},
		Build:      func(Params) sched.Program { return buildSingleThread(false) },
	})
}

// threadFunction is the article's thread_function(name).
func threadFunction(tr *transcript, name int) func(*sched.Thread) {
	return func(t *sched.Thread) {
		tr.log(t, "Thread %d: starting", name)
		t.Sleep(2 * time.Second)
		tr.log(t, "Thread %d: finishing", name)
	}
}

// buildSingleThread is single_thread.py: with daemon, main does not join.
func buildSingleThread(daemon bool) sched.Program {
	return func(main *sched.Thread) {
		// The property and the outcome read two lines: where Thread 1's
		// "finishing" is, against main's "all done".
		tr := watchLog(main, func(line string) bool { return line == thread1Finishing || line == mainAllDone })
		tr.log(main, "Main    : before creating thread")
		tr.log(main, "Main    : before running thread")
		x := main.GoWith("", daemon, daemonChecked(tr, threadFunction(tr, 1)))
		tr.log(main, "Main    : wait for the thread to finish")
		if !daemon {
			main.Join(x)
			main.Assert(tr.has(thread1Finishing), "Thread 1 has not printed 'finishing' after join returned")
		}
		tr.log(main, mainAllDone)
		main.Outcome("%s", finishingPlace(tr))
	}
}

// daemonChecked runs body, then checks the article's claim that the
// thread's last line never follows main's "all done".
func daemonChecked(tr *transcript, body func(*sched.Thread)) func(*sched.Thread) {
	return func(t *sched.Thread) {
		body(t)
		if tr.has(mainAllDone) {
			t.Outcome("%s", finishingPlace(tr))
			t.Fail(sched.Assertion, "'Thread 1: finishing' was printed after 'Main    : all done': "+
				"main took longer than the thread's 2 s sleep to exit")
		}
	}
}

// finishingPlace says whether and where Thread 1's last line appears.
func finishingPlace(tr *transcript) string {
	fin, done := tr.index(thread1Finishing), tr.index(mainAllDone)
	switch {
	case fin < 0:
		return "no finishing line"
	case done < 0 || fin < done:
		return "finishing before all done"
	}
	return "finishing after all done"
}
