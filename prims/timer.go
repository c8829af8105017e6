package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Timer is Python's threading.Timer, a Thread subclass: a thread that
// waits on its finished Event for interval, calls fn unless the Event was
// set meanwhile, then sets it. The interval counts from when the timer
// thread starts running; a negative or zero interval fires at once.
// Cancel sets the Event: before or during the wait it stops the call, once
// fn has started it has no effect, and before Start it makes the thread
// exit without calling fn.
//
// Its lifecycle is a Thread's ([sched.Thread.NewThread]): NewTimer
// creates the thread, not started, as Timer.__init__ calls
// Thread.__init__ (named "Thread-N" then, without a target suffix, its
// daemon flag inherited from the creating thread), and then the Event.
// Start, Join, IsAlive, SetDaemon and Repr are the Thread's, with
// CPython's RuntimeErrors: a second start ("threads can only be started
// once"), a join before the start ("cannot join thread before it is
// started") or of itself, daemon set after the start ("cannot set daemon
// status of active thread"). repr is "<Timer(Thread-1, initial)>",
// "started", "stopped", with " daemon" and the ident as for a Thread.
type Timer struct {
	interval time.Duration
	fn       func(*sched.Thread)
	finished *Event
	thread   *sched.Thread
}

// NewTimer returns a Timer that is not started. An empty name gives the
// thread CPython's "Thread-N", numbered now. Creating it is not a step.
func NewTimer(t *sched.Thread, name string, interval time.Duration, fn func(*sched.Thread)) *Timer {
	tm := &Timer{interval: interval, fn: fn}
	tm.thread = t.NewThread(sched.ThreadSpec{Name: name, Class: "Timer"}, tm.run)
	tm.finished = NewEvent(t, tm.thread.Name()+".finished")
	return tm
}

// Start is timer.start(): Thread.start, two steps ([sched.Thread.Start]).
// Starting it twice raises RuntimeError "threads can only be started
// once".
func (tm *Timer) Start(t *sched.Thread) { t.Start(tm.thread) }

// Cancel stops the timer if it has not fired yet.
func (tm *Timer) Cancel(t *sched.Thread) { tm.finished.Set(t) }

// Thread returns the timer's thread: created by NewTimer, started by
// Start.
func (tm *Timer) Thread() *sched.Thread { return tm.thread }

// Join is timer.join(): it waits until the timer's thread has finished.
// Before Start it raises RuntimeError "cannot join thread before it is
// started", as for any Thread.
func (tm *Timer) Join(t *sched.Thread) { t.Join(tm.thread) }

// IsAlive is timer.is_alive(): false before Start.
func (tm *Timer) IsAlive(t *sched.Thread) bool { return t.IsAlive(tm.thread) }

// SetDaemon is timer.daemon = daemon, before Start.
func (tm *Timer) SetDaemon(t *sched.Thread, daemon bool) { t.SetDaemon(tm.thread, daemon) }

// Repr is repr(timer), as CPython prints it: "<Timer(Thread-1, initial)>".
func (tm *Timer) Repr(t *sched.Thread) string { return t.Repr(tm.thread) }

// Finished returns the timer's finished Event.
func (tm *Timer) Finished() *Event { return tm.finished }

func (tm *Timer) run(t *sched.Thread) {
	tm.finished.WaitTimeout(t, tm.interval)
	if !tm.finished.IsSet(t) {
		tm.fn(t)
	}
	tm.finished.Set(t)
}
