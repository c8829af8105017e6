package scenarios

import (
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// The article's "Working with many threads": three threads started and
// joined in order.

func init() {
	register(Scenario{
		Name:    "multiple-threads",
		Group:   "article",
		Section: "Working with many threads",
		Doc: "multiple_threads.py: main creates and starts threads 0, 1 and 2 (each logs 'starting', " +
			"sleeps 2 s, logs 'finishing'), then joins them in order, logging before and after each " +
			"join. Property: 'Thread i: finishing' is printed before 'Main    : thread i done'. " +
			"Outcome: the order in which the threads print 'finishing', such as 'finished 2,1,0'. " +
			"Exhaustive exploration passes and reaches all n! finishing orders (6 by default): the " +
			"article's 'they finish in the opposite order' is one of them. Parameter n: number of " +
			"threads (default 3).",
		Primitives: []string{"Thread", "join", "sleep"},
		Params:     []Param{{Name: "n", Default: 3, Doc: "number of threads", Min: 1, Max: 4}},
		Expect:     Expect{Note: "every one of the n! finishing orders occurs"},
		Build:      buildMultipleThreads,
	})
}

func buildMultipleThreads(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		// The property and the outcome read the "finishing" lines only.
		tr := watchLog(main, isFinishingLine)
		threads := make([]*sched.Thread, n)
		for index := range n {
			tr.log(main, "Main    : create and start thread %d.", index)
			threads[index] = main.Go("", threadFunction(tr, index))
		}
		for index, thread := range threads {
			tr.log(main, "Main    : before joining thread %d.", index)
			main.Join(thread)
			main.Assert(tr.has(finishingLine(index)), "Thread %d has not printed 'finishing' after join returned", index)
			tr.log(main, "Main    : thread %d done", index)
		}
		main.Outcome("%s", finishingOrder(tr))
	}
}

func finishingLine(index int) string {
	return "Thread " + itoa(index) + ": finishing"
}

// isFinishingLine reports whether line is a thread's "finishing" line.
func isFinishingLine(line string) bool {
	return strings.HasPrefix(line, "Thread ") && strings.HasSuffix(line, ": finishing")
}

// finishingOrder renders the threads' finishing order: "finished 2,1,0".
func finishingOrder(tr *transcript) string {
	var order []string
	for _, l := range tr.matching("Thread ") {
		if name, ok := strings.CutSuffix(l, ": finishing"); ok {
			order = append(order, strings.TrimPrefix(name, "Thread "))
		}
	}
	return "finished " + strings.Join(order, ",")
}
