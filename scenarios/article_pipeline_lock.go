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
			"the article's (43, 45, 86, ...) instead of random.randint. Property: the consumer stores " +
			"exactly the messages sent, in order. Outcome: the messages stored. Exhaustive exploration " +
			"passes: the two locks alternate strictly and the read happens before the release. " +
			"Parameter k: messages sent (default 3).",
		Primitives: []string{"ThreadPoolExecutor", "Lock", "Var"},
		Params:     []Param{{Name: "k", Default: 3, Doc: "messages the producer sends", Min: 0, Max: len(articleMessages)}},
		Expect:     Expect{Note: "every message stored once, in order"},
		Build:      func(p Params) sched.Program { return buildPipelineLock(p["k"], false) },
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
			"message races with the producer's next write. Parameter k: messages sent (default 3).",
		Primitives: []string{"ThreadPoolExecutor", "Lock", "Var"},
		Params:     []Param{{Name: "k", Default: 3, Doc: "messages the producer sends", Min: 0, Max: len(articleMessages)}},
		Expect: Expect{Fails: sched.Assertion, Also: []sched.Kind{sched.DataRace},
			Note: "the read after the release sees the next message"},
		Build: func(p Params) sched.Program { return buildPipelineLock(p["k"], true) },
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

func buildPipelineLock(k int, late bool) sched.Program {
	sent := articleMessages[:k]
	return func(main *sched.Thread) {
		tr := &transcript{}
		pipeline := newLockPipeline(main, late)
		var stored []int
		producer := func(t *sched.Thread) {
			for _, message := range sent {
				tr.log(t, "Producer got message: %d", message)
				pipeline.setMessage(t, message)
			}
			pipeline.setMessage(t, sentinel)
		}
		consumer := func(t *sched.Thread) {
			for message := 0; message != sentinel; {
				message = pipeline.getMessage(t)
				if message != sentinel {
					tr.log(t, "Consumer storing message: %d", message)
					stored = append(stored, message)
					checkStored(t, sent, stored)
				}
			}
		}
		withPool(main, 2, nil, producer, consumer)
		main.Outcome("stored %v", stored)
		main.Assert(slices.Equal(stored, sent), "the consumer stored %v, the producer sent %v", stored, sent)
	}
}

// checkStored fails as soon as the consumer's latest message is not the
// next one sent.
func checkStored(t *sched.Thread, sent, stored []int) {
	i := len(stored) - 1
	if i >= len(sent) || stored[i] != sent[i] {
		t.Outcome("stored %v", stored)
		t.Fail(sched.Assertion, "message "+itoa(i+1)+" stored is "+itoa(stored[i])+
			", want "+messageAt(sent, i)+": the consumer stored "+fmtInts(stored)+" of "+fmtInts(sent))
	}
}

func messageAt(sent []int, i int) string {
	if i < len(sent) {
		return itoa(sent[i])
	}
	return "none (only " + itoa(len(sent)) + " sent)"
}
