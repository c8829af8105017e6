package scenarios

import (
	"slices"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's "Producer-Consumer Using Lock": a single-slot Pipeline
// guarded by two Locks, and the variant the article warns against, which
// returns self.message after releasing the producer's lock.

// articleMessages replace random.randint(1, 101): they are the messages of
// the article's own run, so that exploration is over schedules only.
var articleMessages = []int{43, 45, 86, 40, 62, 15, 16, 61, 73, 22}

// sentinel is the article's SENTINEL = object(): no message equals it.
const sentinel = -1

// pipelineLockMax is the most messages pipeline-lock sends: issue 7 quotes
// SPIN on the two-lock pipeline with one million.
const pipelineLockMax = 1_000_000

var pipelineLockParams = []Param{{Name: "k", Default: 3, Doc: "messages the producer sends", Min: 0, Max: pipelineLockMax}}

// pipelineLockSizes documents the large sizes, for stateful search.
const pipelineLockSizes = "k goes up to 1,000,000, issue 7's size for this pipeline, but stateless search " +
	"is for a handful: past that, use stateful exploration, with a step limit above the run's length (8 " +
	"steps a message, 8 million for k = 1,000,000). Each thread declares its loop's local state (the " +
	"producer's index, the consumer's count) at the loop head, and the log is not part of the state, " +
	"so the states grow linearly with k: about 170 a message on the pool (17,050 at k = 100), whose " +
	"shutdown main runs while the messages flow, and 8 on plain threads (pipeline-lock-threads, " +
	"826 at k = 100)."

func init() {
	register(Scenario{
		Name:    "pipeline-lock",
		Group:   "article",
		Section: "Producer-Consumer Using Lock",
		Doc: "prodcom_lock.py: a Pipeline with one message slot, a producer_lock and a consumer_lock " +
			"(acquired in __init__). The producer logs 'Producer got message: N' and calls set_message " +
			"(acquire producer_lock, write message, release consumer_lock) for k messages, then sends " +
			"SENTINEL; the consumer calls get_message (acquire consumer_lock, read message into a " +
			"local, release producer_lock, return the local) and logs 'Consumer storing message: N' " +
			"until it gets SENTINEL. Both run on a ThreadPoolExecutor(max_workers=2). The messages are " +
			"the article's (43, 45, 86, ...) instead of random.randint, cycling after the tenth. " +
			"Property: the consumer stores exactly the messages sent, in order (each is checked as it " +
			"arrives, and the count at the end). Outcome: the messages stored. Exhaustive exploration " +
			"passes: the two locks alternate strictly and the read happens before the release. " +
			"Parameter k: messages sent (default 3). " + pipelineLockSizes,
		Primitives: []string{"ThreadPoolExecutor", "Lock", "Var"},
		Params:     pipelineLockParams,
		Expect:     Expect{Note: "every message stored once, in order"},
		Build:      func(p Params) sched.Program { return buildPipelineLock(p["k"], false, true) },
	})
	register(Scenario{
		Name:    "pipeline-lock-bug",
		Group:   "article",
		Section: "Producer-Consumer Using Lock",
		Doc: "pipeline-lock with the get_message the article warns against: it releases producer_lock " +
			"and then returns self.message. Between the release and the read the producer may set the " +
			"next message, so the consumer stores it twice and the first is lost. Property: the " +
			"consumer stores exactly the messages sent, in order. Exhaustive exploration fails, as " +
			"the article says: an assertion (a message lost or stored twice), and the read of " +
			"message races with the producer's next write. Parameter k: messages sent (default 3). " +
			pipelineLockSizes,
		Primitives: []string{"ThreadPoolExecutor", "Lock", "Var"},
		Params:     pipelineLockParams,
		Expect: Expect{Fails: sched.DataRace, Also: []sched.Kind{sched.Assertion},
			Note: "the read after the release sees the next message"},
		Build: func(p Params) sched.Program { return buildPipelineLock(p["k"], true, true) },
	})
	register(Scenario{
		Name:    "pipeline-lock-threads",
		Group:   "article",
		Section: "Producer-Consumer Using Lock",
		Doc: "pipeline-lock without the thread pool: main starts the producer and the consumer as " +
			"threads and joins them, as a Promela model runs them, for the comparison with SPIN " +
			"(testdata/spin has the Promela version). Property: the consumer stores exactly the " +
			"messages sent, in order. Exhaustive exploration passes. Parameter k: messages sent " +
			"(default 3). " + pipelineLockSizes,
		Primitives: []string{"Thread", "Lock", "Var"},
		Params:     pipelineLockParams,
		Expect:     Expect{Note: "every message stored once, in order"},
		Build:      func(p Params) sched.Program { return buildPipelineLock(p["k"], false, false) },
	})
}

// lockPipeline is the article's Pipeline class of the Lock section.
type lockPipeline struct {
	message      *prims.Var[int]
	producerLock *prims.Lock
	consumerLock *prims.Lock
	// late is the bug: return self.message after releasing producer_lock.
	late bool
}

func newLockPipeline(t *sched.Thread, late bool) *lockPipeline {
	p := &lockPipeline{
		message:      prims.NewVar(t, "message", 0),
		producerLock: prims.NewLock(t, "producer_lock"),
		consumerLock: prims.NewLock(t, "consumer_lock"),
		late:         late,
	}
	p.consumerLock.Acquire(t)
	return p
}

func (p *lockPipeline) getMessage(t *sched.Thread) int {
	p.consumerLock.Acquire(t)
	if p.late {
		p.producerLock.Release(t)
		return p.message.Load(t)
	}
	message := p.message.Load(t)
	p.producerLock.Release(t)
	return message
}

func (p *lockPipeline) setMessage(t *sched.Thread, message int) {
	p.producerLock.Acquire(t)
	p.message.Store(t, message)
	p.consumerLock.Release(t)
}

func buildPipelineLock(k int, late, pool bool) sched.Program {
	return func(main *sched.Thread) {
		tr := forgetLog(main) // the property reads what the consumer stored, not the log
		pipeline := newLockPipeline(main, late)
		// stored is written by the consumer only: it has stored messages
		// 0..stored-1, each checked on arrival.
		stored := 0
		producer := func(t *sched.Thread) {
			for i := 0; i < k; i++ {
				// The producer's future depends on i alone: k and the
				// pipeline are fixed, and the message is pipelineMessage(i).
				t.Checkpoint("producer", i)
				message := pipelineMessage(i)
				tr.log(t, "Producer got message: %d", message)
				pipeline.setMessage(t, message)
			}
			pipeline.setMessage(t, sentinel)
		}
		consumer := func(t *sched.Thread) {
			for {
				// The consumer's future depends on stored alone: it is
				// the index of the message it expects next.
				t.Checkpoint("consumer", stored)
				message := pipeline.getMessage(t)
				if message == sentinel {
					return
				}
				tr.log(t, "Consumer storing message: %d", message)
				checkStored(t, k, stored, message)
				stored++
			}
		}
		if pool {
			withPool(main, 2, nil, producer, consumer)
		} else {
			joinAll(main, []*sched.Thread{main.Go("", producer), main.Go("", consumer)})
		}
		main.Outcome("stored %s", messagesText(stored))
		main.Assert(stored == k, "the consumer stored %s, the producer sent %s", messagesText(stored), messagesText(k))
	}
}

// pipelineMessage is the producer's message i: the article's messages,
// cycling through them when it sends more than ten.
func pipelineMessage(i int) int { return articleMessages[i%len(articleMessages)] }

// checkStored fails unless message, the consumer's (i+1)-th, is the
// producer's message i: a message lost or stored twice fails at once.
func checkStored(t *sched.Thread, k, i, message int) {
	if i < k && message == pipelineMessage(i) {
		return
	}
	want := "none (only " + itoa(k) + " sent)"
	if i < k {
		want = itoa(pipelineMessage(i))
	}
	got := messagesText(i) + " then " + itoa(message)
	if i < len(articleMessages) {
		got = fmtInts(append(slices.Clone(articleMessages[:i]), message))
	}
	t.Outcome("stored %s", got)
	t.Fail(sched.Assertion, "message "+itoa(i+1)+" stored is "+itoa(message)+", want "+want+
		": the consumer stored "+got+" of "+messagesText(k))
}

// messagesText renders the first n messages: the list while they are the
// article's, else how many.
func messagesText(n int) string {
	if n <= len(articleMessages) {
		return fmtInts(articleMessages[:n])
	}
	return itoa(n) + " messages"
}
