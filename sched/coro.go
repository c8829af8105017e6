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
	pool  *pool
	// broken: its body called runtime.Goexit; its goroutine has ended
	// (goexit) and the pool never takes it back.
	broken bool
}

// goexitEscape is the panic value a coroutine whose body called
// runtime.Goexit leaves with (goexit). iter.Pull's deferred recover keeps
// a panic value and re-panics it in the resuming goroutine, where resume
// recovers it; a plain Goexit would instead be propagated as a Goexit of
// the scheduler's goroutine.
type goexitEscape struct{}

// abort is the panic value that unwinds a thread whose execution has ended
// (a failure elsewhere, or a daemon frozen at exit).
type abort struct{}

func newCoro(p *pool) *coro {
	c := &coro{pool: p}
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
		if sp, ok := r.(searchPanic); ok {
			panic(sp) // not the thread's: resume raises it in Run's goroutine
		}
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
// Panic that says so. Goexit cannot be stopped, and iter.Pull propagates
// a Goexit of the coroutine's goroutine to the goroutine that resumed it
// (the scheduler's, the search's); but a panic raised by a deferred
// function during the Goexit is recovered by iter.Pull's own deferred
// function and handed to the resumer as a panic, while the Goexit goes on
// and ends the coroutine's goroutine. So goexit raises goexitEscape, and
// resume recovers it as if the body had ended: no goroutine is left
// behind, and the search goes on.
func (c *coro) goexit(t *Thread) {
	if !t.aborting {
		t.s.fail(t, Panic, "runtime.Goexit called in "+t.name+
			" (t.Fatal, t.FailNow or t.SkipNow in a model?): a model reports failures with Assert or Fail, never by ending its goroutine")
	}
	t.bodyDone()
	c.broken = true
	panic(goexitEscape{})
}

// resume switches to the coroutine until its thread's next step or end.
// A coroutine whose body called runtime.Goexit comes back as a
// goexitEscape panic (goexit), which ends its goroutine; resume returns
// as for a body that ended. A searchPanic coming back is raised as its
// original value: on a host's coroutine, hostLoop wraps it again.
func (c *coro) resume() {
	defer func() {
		if r := recover(); r != nil {
			if sp, ok := r.(searchPanic); ok {
				panic(sp.v) // back in Run's goroutine (execute): the original panic
			}
			if _, ok := r.(goexitEscape); !ok {
				panic(r)
			}
		}
	}()
	c.pool.resumes++
	c.next()
}

// start binds the coroutine to t and runs t's local code up to its first
// operation.
func (c *coro) start(t *Thread, body func(*Thread)) {
	c.t, c.body = t, body
	c.resume()
}

// pool keeps idle coroutines for reuse.
type pool struct {
	idle    []*coro
	created int
	resumes int // coroutine resumes so far (each is two switches)
}

func (p *pool) get() *coro {
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c
	}
	p.created++
	c := newCoro(p)
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
