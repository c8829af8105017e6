package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Errors of concurrent.futures.
var (
	// ErrCancelled is concurrent.futures.CancelledError.
	ErrCancelled = error(sched.NewException("CancelledError", ""))
	// ErrTimeout is TimeoutError.
	ErrTimeout = error(sched.NewException("TimeoutError", ""))
)

// futureState is a Future's _state.
type futureState uint8

const (
	pending futureState = iota
	running
	cancelled
	cancelledAndNotified
	finished
)

var futureStateNames = [...]string{"PENDING", "RUNNING", "CANCELLED", "CANCELLED_AND_NOTIFIED", "FINISHED"}

// Future is concurrent.futures.Future as CPython builds it: a state guarded
// by a Condition on an RLock ('name.lock'), notified (all) when the future
// finishes or is cancelled. Every method takes that lock, makes one step on
// the future that bears its name, and releases it; Result and Exception
// wait once on the condition when the future is not done.
//
// A future goes PENDING, RUNNING, FINISHED; from PENDING it may be
// CANCELLED instead, and CANCELLED_AND_NOTIFIED once a worker dequeues it.
// The function's error is the future's exception.
type Future[R any] struct {
	obj    sched.Object
	lock   *RLock
	cond   *Condition
	state  futureState
	result R
	err    error
}

func newFuture[R any](t *sched.Thread, name string) *Future[R] {
	f := &Future[R]{lock: NewRLock(t, name+".lock")}
	t.Register(&f.obj, sched.Sync, "Future", name)
	f.obj.Track(f)
	f.cond = newInnerCondition(f.lock, &f.obj, func() string { return "not done" })
	f.lock.guard(f)
	return f
}

// AppendState encodes the state, the result, the exception and the
// waiters. The lock's state includes it: Result reads the state after
// acquiring the lock.
func (f *Future[R]) AppendState(b []byte) []byte {
	b = appendItem(append(b, byte(f.state)), f.result)
	b = appendItem(b, f.err)
	return f.cond.appendWaiters(b)
}

// changed marks the lock changed with the future.
func (f *Future[R]) changed(t *sched.Thread) { t.Changed(&f.lock.obj) }

// Object returns the future's scheduler object.
func (f *Future[R]) Object() *sched.Object { return &f.obj }

// Result waits until the future is done and returns its value or the
// function's error; ErrCancelled if it was cancelled.
func (f *Future[R]) Result(t *sched.Thread) (R, error) { return f.wait(t, "result", false, 0) }

// Get is result() as Python has it: it waits until the future is done and
// returns the value, or raises the call's exception in t (its error as a
// sched.Exception: see sched.AsException), CancelledError if it was
// cancelled.
func (f *Future[R]) Get(t *sched.Thread) R {
	v, err := f.Result(t)
	t.Reraise(err)
	return v
}

// ResultTimeout is result(timeout=d): it waits once, at most d (a poll if
// d <= 0), and returns ErrTimeout if the future is still not done.
func (f *Future[R]) ResultTimeout(t *sched.Thread, d time.Duration) (R, error) {
	return f.wait(t, "result", true, d)
}

// Exception waits until the future is done and returns the function's
// error (nil if it succeeded), or ErrCancelled.
func (f *Future[R]) Exception(t *sched.Thread) error {
	_, err := f.wait(t, "exception", false, 0)
	return err
}

func (f *Future[R]) wait(t *sched.Thread, name string, timed bool, d time.Duration) (R, error) {
	f.lock.Acquire(t)
	defer f.lock.Release(t)
	if !f.done() {
		f.cond.wait(t, timed, d)
	}
	t.Step(sched.Op{Name: name, Obj: &f.obj, Access: sched.Read})
	var zero R
	var err error
	switch {
	case f.state == cancelled || f.state == cancelledAndNotified:
		err = ErrCancelled
	case f.state != finished:
		err = ErrTimeout
	case f.err != nil:
		err = f.err
	default:
		t.SetResult(f.result)
		return f.result, nil
	}
	t.SetResult(err)
	return zero, err
}

func (f *Future[R]) done() bool { return f.state >= cancelled }

// Cancel cancels a pending future and reports whether the future is
// cancelled: false if it is running or finished.
func (f *Future[R]) Cancel(t *sched.Thread) bool {
	f.lock.Acquire(t)
	defer f.lock.Release(t)
	t.Step(sched.Op{Name: "cancel", Obj: &f.obj, Access: sched.Write})
	var ok bool
	switch f.state {
	case running, finished:
		t.SetAccess(sched.Read)
	case cancelled, cancelledAndNotified:
		ok = true
	default:
		f.state, ok = cancelled, true
		f.changed(t)
		f.cond.wake(t, f.cond.numWaiting())
	}
	t.SetResult(ok)
	return ok
}

// Cancelled reports whether the future was cancelled.
func (f *Future[R]) Cancelled(t *sched.Thread) bool {
	return f.is(t, "cancelled", func(s futureState) bool { return s == cancelled || s == cancelledAndNotified })
}

// Running reports whether the function is running.
func (f *Future[R]) Running(t *sched.Thread) bool {
	return f.is(t, "running", func(s futureState) bool { return s == running })
}

// Done reports whether the future finished or was cancelled.
func (f *Future[R]) Done(t *sched.Thread) bool {
	return f.is(t, "done", func(s futureState) bool { return s >= cancelled })
}

func (f *Future[R]) is(t *sched.Thread, name string, pred func(futureState) bool) bool {
	f.lock.Acquire(t)
	t.Step(sched.Op{Name: name, Obj: &f.obj, Access: sched.Read})
	ok := pred(f.state)
	t.SetResult(ok)
	f.lock.Release(t)
	return ok
}

// setRunningOrNotifyCancel is set_running_or_notify_cancel: a worker's
// claim on the future. It reports whether the function should run.
func (f *Future[R]) setRunningOrNotifyCancel(t *sched.Thread) bool {
	f.lock.Acquire(t)
	defer f.lock.Release(t)
	t.Step(sched.Op{Name: "set_running", Obj: &f.obj, Access: sched.Write})
	switch f.state {
	case cancelled:
		f.state = cancelledAndNotified
		f.changed(t)
		t.SetResult(false)
		return false
	case pending:
		f.state = running
		f.changed(t)
		t.SetResult(true)
		return true
	}
	t.Fail(sched.Panic, "RuntimeError: Future in unexpected state "+futureStateNames[f.state])
	return false
}

// set is set_result or set_exception: it finishes the future and notifies
// every waiter.
func (f *Future[R]) set(t *sched.Thread, v R, err error) {
	f.lock.Acquire(t)
	defer f.lock.Release(t)
	name := "set_result"
	if err != nil {
		name = "set_exception"
	}
	t.Step(sched.Op{Name: name, Obj: &f.obj, Access: sched.Write})
	if f.done() {
		t.Misuse("InvalidStateError: " + futureStateNames[f.state])
	}
	f.result, f.err, f.state = v, err, finished
	f.changed(t)
	f.cond.wake(t, f.cond.numWaiting())
}
