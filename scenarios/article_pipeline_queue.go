package scenarios

import (
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's "Producer-Consumer Using Queue": the Pipeline is a
// queue.Queue(maxsize=10), and an Event set by main after sleep(0.1) stops
// both threads.

// articleQueueMessages replace random.randint(1, 101): the first messages
// of the article's run of prodcom_queue.py.
var articleQueueMessages = []int{32, 51, 25, 94, 29, 96, 6, 31}

const queueDoc = "The article's producer loops while not event.is_set(): it gets a message from the " +
	"network, logs 'Producer got message: N' and puts it; main sleeps 0.1 s, logs 'Main: about to set " +
	"event' and sets the event; both threads run on a ThreadPoolExecutor(max_workers=2). The messages " +
	"are the article's (32, 51, 25, ...). Time is a choice here (threads may be arbitrarily slow " +
	"against the clock), so a loop that ends only when time passes has no bound. With m > 0 the " +
	"network therefore delivers m messages and is then silent (the producer's next read waits for " +
	"the event and the loop ends): every execution is finite and stateless exhaustive search " +
	"complete, for these parameters only. With m = 0 the network is never silent: it cycles " +
	"through the first cycle (default 8) of the article's messages, and the producer loops until " +
	"the event is set. Executions are then unbounded (stateless search ends them at the step " +
	"limit), but with size >= 1 the states are finite, so stateful exploration is complete: each " +
	"loop declares its local state at its head (the producer's and the consumer's places in the " +
	"cycle), the log is not part of the state (the property does not read it), time is not either, " +
	"and the consumer calls task_done() after each message (not in the article) so that the " +
	"queue's count of unfinished tasks, part of its state, stays bounded. The only unbounded thing " +
	"left is how long main's sleep(0.1) takes. The states grow with the cycle and the size: cycle " +
	"= 1 (every message 32) and size = 1 make the smallest model with the same failures (339,748 " +
	"states for pipeline-queue-fixed, many more with cycle = 8). The " +
	"property is checked as each message arrives (it is the next one sent) and at the end (the " +
	"queue is empty: nothing sent was left unstored). "

// queueParams are the pipeline's parameters, m defaulting to m.
func queueParams(m int) []Param {
	return []Param{
		{Name: "m", Default: m, Doc: "messages the network delivers; 0: it is never silent (stateful search)",
			Min: 0, Max: len(articleQueueMessages)},
		{Name: "size", Default: 10, Doc: "the queue's maxsize (0: unbounded, infinite states with m = 0)", Min: 0, Max: 10},
		{Name: "cycle", Default: len(articleQueueMessages), Doc: "with m = 0, the messages the network cycles through",
			Min: 1, Max: len(articleQueueMessages)},
	}
}

func init() {
	params := queueParams(2)
	register(Scenario{
		Name:    "pipeline-queue",
		Group:   "article",
		Section: "Producer-Consumer Using Queue",
		Doc: "prodcom_queue.py. " + queueDoc + "The consumer uses the article's final condition, while " +
			"not event.is_set() or not pipeline.empty(): get, log 'Consumer storing message: N (queue " +
			"size=S)'. Property: every message produced is stored, and the program ends. Exhaustive " +
			"exploration FAILS it, against the article, in two ways. A deadlock (found first, in the " +
			"default schedule): when the consumer finds the event clear and the queue empty it blocks " +
			"in get() with no timeout; once main sets the event the producer leaves without putting " +
			"anything, and the consumer (and main, joining the pool) wait forever. The cap makes this " +
			"the plain order, but it needs only a quiet network or a producer slow between its put " +
			"and its next is_set(). And an assertion: the race the article says the condition " +
			"prevents still loses a message when the event is set after the producer's is_set() and " +
			"the consumer finds the queue empty before the producer's put: that message stays in the " +
			"queue. Both remain with m = 0. Parameters m (default 2), size (default 10) and cycle.",
		Primitives: []string{"ThreadPoolExecutor", "Queue", "Event", "sleep"},
		Params:     params,
		Expect: Expect{Fails: sched.Deadlock, Also: []sched.Kind{sched.Assertion},
			Note: "the consumer blocks in get() after the producer left"},
		Build: func(p Params) sched.Program { return buildPipelineQueue(p, drainQueue) },
	})
	register(Scenario{
		Name:    "pipeline-queue-exit-bug",
		Group:   "article",
		Section: "Producer-Consumer Using Queue",
		Doc: "pipeline-queue with the consumer the article warns against, which checks only the " +
			"event: while not event.is_set(). " + queueDoc + "Property: every message produced is " +
			"stored, and the program ends. Exhaustive exploration fails with an assertion, as the " +
			"article says: the consumer leaves as soon as the event is set, with messages still in the " +
			"queue, even with no preemption at all. With size < m (or m = 0) it also finds the " +
			"article's second problem, the producer blocked forever on a full queue; and it deadlocks " +
			"in get() exactly as pipeline-queue does, which explore reports first. Parameters m " +
			"(default 2), size (default 10) and cycle.",
		Primitives: []string{"ThreadPoolExecutor", "Queue", "Event", "sleep"},
		Params:     params,
		Expect: Expect{Fails: sched.Deadlock, Also: []sched.Kind{sched.Assertion},
			Note: "the consumer blocks in get() after the producer left; messages left in the queue"},
		Build: func(p Params) sched.Program { return buildPipelineQueue(p, eventOnly) },
	})
	register(Scenario{
		Name:    "pipeline-queue-fixed",
		Group:   "article",
		Section: "Producer-Consumer Using Queue",
		Doc: "Not in the article: pipeline-queue repaired the way pipeline-lock ends its pipeline. " +
			"The event stops only the producer, which then puts SENTINEL; the consumer gets until it " +
			"gets SENTINEL, whatever the event. " + queueDoc + "Property: every message produced is " +
			"stored, and the program ends. Exhaustive exploration passes: the consumer never waits " +
			"for a message nobody will put, and nothing follows the sentinel in the queue. Outcome: " +
			"how many messages were stored. Parameters m (default 1: with 2, stateless search takes " +
			"250,000 executions), size (default 10) and cycle.",
		Primitives: []string{"ThreadPoolExecutor", "Queue", "Event", "sleep"},
		Params:     queueParams(1),
		Expect:     Expect{Note: "the sentinel ends the consumer after the last message"},
		Build:      func(p Params) sched.Program { return buildPipelineQueue(p, untilSentinel) },
	})
}

// consumerLoop is how the consumer decides to stop.
type consumerLoop int

const (
	eventOnly     consumerLoop = iota // while not event.is_set()
	drainQueue                        // ... or not pipeline.empty()
	untilSentinel                     // until it gets SENTINEL
)

// queueRun is one execution's producer, consumer and what they did.
type queueRun struct {
	tr       *transcript
	pipeline *prims.Queue[int]
	event    *prims.Event
	m        int // messages the network delivers; 0: never silent
	cycle    int // with m = 0, the messages the network cycles through
	loop     consumerLoop
	// sent is written by the producer only, stored by the consumer only:
	// how many messages each has handled, modulo cycle when m = 0.
	sent, stored int
}

// message is the network's message number i (i < m, or i < cycle).
func (r *queueRun) message(i int) int { return articleQueueMessages[i] }

// next counts one more message: up to m, or around the cycle when m = 0.
func (r *queueRun) next(i int) int {
	if r.m == 0 {
		return (i + 1) % r.cycle
	}
	return i + 1
}

func (r *queueRun) producer(t *sched.Thread) {
	for {
		// The producer's future depends on sent alone.
		t.Checkpoint("producer", r.sent)
		if r.event.IsSet(t) {
			break
		}
		if r.m > 0 && r.sent == r.m {
			r.event.Wait(t) // the network is silent until shutdown
			continue
		}
		message := r.message(r.sent)
		r.tr.log(t, "Producer got message: %d", message)
		r.pipeline.Put(t, message)
		r.sent = r.next(r.sent)
	}
	r.tr.log(t, "Producer received EXIT event. Exiting")
	if r.loop == untilSentinel {
		r.pipeline.Put(t, sentinel)
	}
}

func (r *queueRun) consumer(t *sched.Thread) {
	for {
		// The consumer's future depends on stored alone: the place in
		// the network's messages of the one it expects next.
		t.Checkpoint("consumer", r.stored)
		if !r.goOn(t) {
			break
		}
		message, _ := r.pipeline.Get(t)
		if message == sentinel {
			break
		}
		r.check(t, message)
		r.stored = r.next(r.stored)
		r.tr.log(t, "Consumer storing message: %d (queue size=%d)", message, r.pipeline.Qsize(t))
		if r.m == 0 {
			r.pipeline.TaskDone(t)
		}
	}
	r.tr.log(t, "Consumer received EXIT event. Exiting")
}

// goOn is the consumer's loop condition.
func (r *queueRun) goOn(t *sched.Thread) bool {
	switch r.loop {
	case eventOnly:
		return !r.event.IsSet(t)
	case drainQueue:
		return !r.event.IsSet(t) || !r.pipeline.Empty(t)
	}
	return true
}

// check fails unless message is the next one the producer sent.
func (r *queueRun) check(t *sched.Thread, message int) {
	if r.m > 0 && r.stored >= r.m {
		t.Fail(sched.Assertion, "the consumer got "+itoa(message)+" after all "+itoa(r.m)+" messages")
	}
	if want := r.message(r.stored); message != want {
		t.Fail(sched.Assertion, "the consumer got "+itoa(message)+", want "+itoa(want)+": a message was lost")
	}
}

func buildPipelineQueue(p Params, loop consumerLoop) sched.Program {
	m, size, cycle := p["m"], p["size"], p["cycle"]
	return func(main *sched.Thread) {
		tr := forgetLog(main) // the property reads the counts and the queue, not the log
		r := &queueRun{tr: tr, m: m, cycle: cycle, loop: loop,
			pipeline: prims.NewQueue[int](main, "pipeline", size), event: prims.NewEvent(main, "event")}
		withPool(main, 2, func(main *sched.Thread) {
			main.Sleep(100 * time.Millisecond)
			r.tr.log(main, "Main: about to set event")
			r.event.Set(main)
		}, r.producer, r.consumer)
		left := r.pipeline.Qsize(main)
		if m > 0 {
			main.Outcome("stored %d of %d", r.stored, r.sent)
		} else {
			main.Outcome("%d left in the queue", left)
		}
		main.Assert(left == 0, "%d messages sent were left in the queue, unstored", left)
	}
}
