package sched

import (
	"fmt"
	"iter"
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
	// broken: its body called runtime.Goexit; it is parked for good and
	// never reused nor stopped (goexit).
	broken bool
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

// runBody runs one thread body, as CPython's thread bootstrap runs run():
// an exception it does not catch goes to the except hook and ends the
// thread only; a Go panic is a failure of the execution, with the model's
// own frames of the thread's stack. A thread being unwound (a daemon
// frozen at exit, or any thread after a failure) fails nothing more.
func (c *coro) runBody() {
	t := c.t
	returned := false
	defer func() {
		r := recover()
		if r != nil {
			if _, ok := r.(abort); !ok && !t.aborting {
				t.s.failPanic(t, oneLine(fmt.Sprint(r)), modelStack())
			}
		}
		if r == nil && !returned {
			c.goexit(t)
			return
		}
		t.bodyDone()
	}()
	if exc := t.Try(func() { c.body(t) }); exc != nil {
		t.uncaught(exc)
	}
	returned = true
}

// goexit handles a thread body that called runtime.Goexit (what
// testing.T's Fatal, FailNow and SkipNow do): the execution fails with a
// Panic that says so. Goexit cannot be stopped, and had the coroutine's
// goroutine ended, iter.Pull would end the scheduler's goroutine too; so
// the coroutine hands control back as if the body had ended and then
// parks for good, abandoned by the pool: one goroutine leaked per such
// execution, and the search goes on.
func (c *coro) goexit(t *Thread) {
	if !t.aborting {
		t.s.fail(t, Panic, "runtime.Goexit called in "+t.name+
			" (t.Fatal, t.FailNow or t.SkipNow in a model?): a model reports failures with Assert or Fail, never by ending its goroutine")
	}
	t.bodyDone()
	c.broken = true
	for c.yield(struct{}{}) {
	}
	select {} // the pool never resumes a broken coroutine; stop is not called on it
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
	if c.broken {
		return
	}
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
