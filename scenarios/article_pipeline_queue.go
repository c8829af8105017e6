package scenarios

import (
	"slices"
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
	"against the clock), so a loop that ends only when time passes has no bound: the network " +
	"therefore delivers m messages and is then silent (the producer's next read waits for the event " +
	"and the loop ends). Without this cap exhaustive search would be bounded, never complete; with " +
	"it, it is complete for these parameters only. "

func init() {
	params := []Param{
		{Name: "m", Default: 2, Doc: "messages the network delivers", Min: 0, Max: len(articleQueueMessages)},
		{Name: "size", Default: 10, Doc: "the queue's maxsize", Min: 0, Max: 10},
	}
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
			"queue. Parameters m (default 2) and size (default 10).",
		Primitives: []string{"ThreadPoolExecutor", "Queue", "Event", "sleep"},
		Params:     params,
		Expect: Expect{Fails: sched.Deadlock, Also: []sched.Kind{sched.Assertion},
			Note: "the consumer blocks in get() after the producer left"},
		Build: func(p Params) sched.Program { return buildPipelineQueue(p["m"], p["size"], true) },
	})
	register(Scenario{
		Name:    "pipeline-queue-exit-bug",
		Group:   "article",
		Section: "Producer-Consumer Using Queue",
		Doc: "pipeline-queue with the consumer the article warns against, which checks only the " +
			"event: while not event.is_set(). " + queueDoc + "Property: every message produced is " +
			"stored, and the program ends. Exhaustive exploration fails with an assertion, as the " +
			"article says: the consumer leaves as soon as the event is set, with messages still in the " +
			"queue, even with no preemption at all. With size < m it also finds the article's second " +
			"problem, the producer blocked forever on a full queue; and it deadlocks in get() exactly " +
			"as pipeline-queue does, which explore reports first. Parameters m (default 2) and size " +
			"(default 10).",
		Primitives: []string{"ThreadPoolExecutor", "Queue", "Event", "sleep"},
		Params:     params,
		Expect: Expect{Fails: sched.Assertion, Also: []sched.Kind{sched.Deadlock},
			Note: "messages left in the queue"},
		Build: func(p Params) sched.Program { return buildPipelineQueue(p["m"], p["size"], false) },
	})
}

// queueRun is one execution's producer, consumer and what they did.
type queueRun struct {
	tr       *transcript
	pipeline *prims.Queue[int]
	event    *prims.Event
	network  []int // the messages the network delivers
	sent     []int
	stored   []int
	drain    bool // the article's final consumer condition
}

func (r *queueRun) producer(t *sched.Thread) {
	for !r.event.IsSet(t) {
		if len(r.sent) == len(r.network) {
			r.event.Wait(t) // the network is silent until shutdown
			continue
		}
		message := r.network[len(r.sent)]
		r.tr.log(t, "Producer got message: %d", message)
		r.pipeline.Put(t, message)
		r.sent = append(r.sent, message)
	}
	r.tr.log(t, "Producer received EXIT event. Exiting")
}

func (r *queueRun) consumer(t *sched.Thread) {
	for !r.event.IsSet(t) || (r.drain && !r.pipeline.Empty(t)) {
		message, _ := r.pipeline.Get(t)
		r.stored = append(r.stored, message)
		r.tr.log(t, "Consumer storing message: %d (queue size=%d)", message, r.pipeline.Qsize(t))
	}
	r.tr.log(t, "Consumer received EXIT event. Exiting")
}

func buildPipelineQueue(m, size int, drain bool) sched.Program {
	network := articleQueueMessages[:m]
	return func(main *sched.Thread) {
		r := &queueRun{tr: &transcript{}, network: network, drain: drain,
			pipeline: prims.NewQueue[int](main, "pipeline", size), event: prims.NewEvent(main, "event")}
		withPool(main, 2, func(main *sched.Thread) {
			main.Sleep(100 * time.Millisecond)
			r.tr.log(main, "Main: about to set event")
			r.event.Set(main)
		}, r.producer, r.consumer)
		main.Outcome("stored %d of %d", len(r.stored), len(r.sent))
		main.Assert(slices.Equal(r.stored, r.sent), "the producer sent %v, the consumer stored %v: %d left in the queue",
			r.sent, r.stored, len(r.sent)-len(r.stored))
	}
}
