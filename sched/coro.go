package sched

import (
	"fmt"
	"iter"
	"runtime/debug"
)

// coro is a pooled coroutine that runs virtual thread bodies one after
// another. Switching to it and back costs one iter.Pull round trip; it is
// reused across threads and executions so that starting a thread costs no
// goroutine.
type coro struct {
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
	t     *Thread       // the thread it runs now
	body  func(*Thread) // that thread's function
}

// abort is the panic value that unwinds a thread whose execution has ended
// (a failure elsewhere, or a daemon frozen at exit).
type abort struct{}

func newCoro() *coro {
	c := &coro{}
	c.next, c.stop = iter.Pull(c.loop)
	return c
}

// loop runs bodies until the pool is closed. After each body it parks with
// the thread's exit pending; it is resumed only when given a new body.
func (c *coro) loop(yield func(struct{}) bool) {
	c.yield = yield
	if !yield(struct{}{}) { // parked until the first body arrives
		return
	}
	for {
		c.runBody()
		if !yield(struct{}{}) {
			return
		}
	}
}

// runBody runs one thread body, turning a panic into a failure of the
// execution with the thread's own stack.
func (c *coro) runBody() {
	t := c.t
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abort); !ok {
				t.s.failPanic(t, fmt.Sprint(r), string(debug.Stack()))
			}
		}
		t.bodyDone()
	}()
	c.body(t)
}

// start binds the coroutine to t and runs t's local code up to its first
// operation.
func (c *coro) start(t *Thread, body func(*Thread)) {
	c.t, c.body = t, body
	c.next()
}

// pool keeps idle coroutines for reuse.
type pool struct {
	idle    []*coro
	created int
}

func (p *pool) get() *coro {
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c
	}
	p.created++
	c := newCoro()
	c.next() // run to the park at the top of loop
	return c
}

func (p *pool) put(c *coro) {
	c.t, c.body = nil, nil
	p.idle = append(p.idle, c)
}

// close ends every idle coroutine's goroutine.
func (p *pool) close() {
	for _, c := range p.idle {
		c.stop()
	}
	p.idle = nil
	p.created = 0
}
