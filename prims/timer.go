package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Timer is Python's threading.Timer: a thread that waits on its finished
// Event for interval, calls fn unless the Event was set meanwhile, then
// sets it. The interval counts from when the timer thread starts running;
// a negative or zero interval fires at once. Cancel sets the Event: before
// or during the wait it stops the call, once fn has started it has no
// effect, and before Start it makes the thread exit without calling fn.
// Like any Thread it inherits the daemon flag of the thread that starts it
// and can be started once.
type Timer struct {
	name     string
	interval time.Duration
	fn       func(*sched.Thread)
	finished *Event
	thread   *sched.Thread
}

// NewTimer returns a Timer that is not started. An empty name becomes
// the thread's "Thread-N" when it starts.
func NewTimer(t *sched.Thread, name string, interval time.Duration, fn func(*sched.Thread)) *Timer {
	ename := name
	if ename == "" {
		ename = "timer"
	}
	return &Timer{name: name, interval: interval, fn: fn, finished: NewEvent(t, ename+".finished")}
}

// Start starts the timer thread. Starting it twice is CPython's
// RuntimeError.
//
// A Timer owns no object: its state is its Event's and its thread's, and
// interval and fn never change. tm.thread is read here without a step, a
// Go value outside the primitives that stateful exploration allows: only
// the first Start writes it (a second one fails the execution), so it is
// a function of that thread's history.
func (tm *Timer) Start(t *sched.Thread) {
	if tm.thread != nil {
		t.Misuse("RuntimeError: threads can only be started once")
	}
	tm.thread = t.Go(tm.name, tm.run)
}

// Cancel stops the timer if it has not fired yet.
func (tm *Timer) Cancel(t *sched.Thread) { tm.finished.Set(t) }

// Thread returns the timer's thread, nil before Start (sched's Join and
// IsAlive take nil for a thread never started).
func (tm *Timer) Thread() *sched.Thread { return tm.thread }

// Join is timer.join(): it waits until the timer's thread has finished.
// Before Start it raises RuntimeError "cannot join thread before it is
// started", as for any Thread.
func (tm *Timer) Join(t *sched.Thread) { t.Join(tm.thread) }

// IsAlive is timer.is_alive(): false before Start.
func (tm *Timer) IsAlive(t *sched.Thread) bool { return t.IsAlive(tm.thread) }

// Finished returns the timer's finished Event.
func (tm *Timer) Finished() *Event { return tm.finished }

func (tm *Timer) run(t *sched.Thread) {
	tm.finished.WaitTimeout(t, tm.interval)
	if !tm.finished.IsSet(t) {
		tm.fn(t)
	}
	tm.finished.Set(t)
}
