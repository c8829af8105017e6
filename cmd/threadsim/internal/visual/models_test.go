package visual

import (
	"fmt"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// replay is a chooser that takes its decisions from a fixed list: the next
// decision at every real choice (two or more options), 0 once the list is
// used up. Forced steps take no decision, as in sched's schedules.
type replay struct {
	decisions []int
	next      int
}

// Choose returns the next decision of the list.
func (c *replay) Choose(ch *sched.Choice) int {
	if ch.N == 1 || c.next >= len(c.decisions) {
		return 0
	}
	d := c.decisions[c.next]
	c.next++
	return d
}

// run runs prog once with details under the given decisions.
func run(prog sched.Program, decisions ...int) *sched.Result {
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	return s.Run(prog, &replay{decisions: decisions}).Clone()
}

// lostUpdate is the article's FakeDatabase.update without its lock: two
// threads each read the value, sleep 100ms, and write the value read plus
// one. When both read before either writes, one update is lost; the read
// and the write of different threads are a data race.
func lostUpdate(main *sched.Thread) {
	value := prims.NewVar(main, "value", 0)
	update := func(t *sched.Thread) {
		t.Log("starting update")
		local := value.Load(t)
		local++
		t.Sleep(100 * time.Millisecond)
		value.Store(t, local)
		t.Log("finishing update")
	}
	t1 := main.Go("", update)
	t2 := main.Go("", update)
	main.Join(t1)
	main.Join(t2)
	end := value.Load(main)
	main.Log("Testing update. Ending value is %d.", end)
	main.Outcome("value=%d", end)
}

// sentinel tells the consumer that the producer is done.
const sentinel = -1

// pipeline is the article's "Producer-Consumer Using Lock" Pipeline with
// the bug the article points out: get_message reads self.message after
// releasing the producer lock, so the producer may overwrite it first.
type pipeline struct {
	message  *prims.Var[int]
	producer *prims.Lock
	consumer *prims.Lock
}

func newPipeline(t *sched.Thread) *pipeline {
	p := &pipeline{
		message:  prims.NewVar(t, "message", 0),
		producer: prims.NewLock(t, "producer_lock"),
		consumer: prims.NewLock(t, "consumer_lock"),
	}
	p.consumer.Acquire(t)
	return p
}

// getMessage is the buggy get_message: "return self.message" after the
// release.
func (p *pipeline) getMessage(t *sched.Thread) int {
	p.consumer.Acquire(t)
	p.producer.Release(t)
	return p.message.Load(t)
}

// setMessage is set_message.
func (p *pipeline) setMessage(t *sched.Thread, m int) {
	p.producer.Acquire(t)
	p.message.Store(t, m)
	p.consumer.Release(t)
}

// producerConsumer runs the producer and the consumer over a pipeline of
// two messages, then checks that the consumer stored what was sent.
func producerConsumer(main *sched.Thread) {
	p := newPipeline(main)
	sent := []int{43, 45}
	var stored []int
	prod := main.Go("producer", func(t *sched.Thread) {
		for _, m := range sent {
			t.Log("Producer got message: %d", m)
			p.setMessage(t, m)
		}
		p.setMessage(t, sentinel)
	})
	cons := main.Go("consumer", func(t *sched.Thread) {
		for m := 0; m != sentinel; {
			if m = p.getMessage(t); m != sentinel {
				t.Log("Consumer storing message: %d", m)
				stored = append(stored, m)
			}
		}
	})
	main.Join(prod)
	main.Join(cons)
	main.Outcome("stored=%v", stored)
	main.Assert(fmt.Sprint(stored) == fmt.Sprint(sent), "the consumer stored %v, the producer sent %v", stored, sent)
}

// deadlock takes two locks in opposite orders in two threads.
func deadlock(main *sched.Thread) {
	a, b := prims.NewLock(main, "a"), prims.NewLock(main, "b")
	both := func(first, second *prims.Lock) func(*sched.Thread) {
		return func(t *sched.Thread) {
			first.Acquire(t)
			second.Acquire(t)
			second.Release(t)
			first.Release(t)
		}
	}
	t1 := main.Go("", both(a, b))
	t2 := main.Go("", both(b, a))
	main.Join(t1)
	main.Join(t2)
}
