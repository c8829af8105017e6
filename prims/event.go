package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Event is Python's threading.Event, built as CPython builds it: a flag
// guarded by Condition(Lock()).
//
// Set takes the internal lock, sets the flag and notifies every waiter
// ("set"); Clear takes the lock and resets it ("clear"). IsSet reads the
// flag without the lock. Wait takes the lock even when the flag is set,
// and when it is not, returns the result of the condition wait: a set
// followed at once by a clear still wakes every waiter with true, and a
// timed waiter whose deadline passed before it re-acquired the lock can
// return false although the flag is set (python-semantics 1.3).
type Event struct {
	obj  sched.Object
	lock *Lock
	cond *Condition
	flag bool
}

// NewEvent returns an Event whose flag is false.
func NewEvent(t *sched.Thread, name string) *Event {
	e := &Event{lock: NewLock(t, name+".lock")}
	t.Register(&e.obj, sched.Sync, "Event", name)
	e.obj.Track(e)
	e.cond = newInnerCondition(e.lock, &e.obj, func() string { return "not set" })
	e.lock.guard(e)
	return e
}

// AppendState encodes the flag and the waiters. The internal lock's state
// includes it: Wait reads the flag after acquiring the lock.
func (e *Event) AppendState(b []byte) []byte {
	return e.cond.appendWaiters(sched.AppendBool(b, e.flag))
}

// Object returns the event's scheduler object.
func (e *Event) Object() *sched.Object { return &e.obj }

// IsSet reads the flag, without the lock.
func (e *Event) IsSet(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "is_set", Obj: &e.obj, Access: sched.Read})
	t.SetResult(e.flag)
	return e.flag
}

// Set sets the flag and wakes every waiter. Setting it again is harmless.
func (e *Event) Set(t *sched.Thread) {
	e.lock.Acquire(t)
	t.Step(sched.Op{Name: "set", Obj: &e.obj, Access: sched.Write})
	e.flag = true
	t.Changed(&e.lock.obj)
	t.SetResult(e.cond.wake(t, e.cond.numWaiting()))
	e.lock.Release(t)
}

// Clear resets the flag.
func (e *Event) Clear(t *sched.Thread) {
	e.lock.Acquire(t)
	t.Step(sched.Op{Name: "clear", Obj: &e.obj, Access: sched.Write})
	e.flag = false
	t.Changed(&e.lock.obj)
	e.lock.Release(t)
}

// Wait blocks until the flag is set or a set wakes it, and returns true.
func (e *Event) Wait(t *sched.Thread) bool { return e.wait(t, false, 0) }

// WaitTimeout waits at most d of virtual time (d <= 0 polls) and returns
// the flag if it was set on entry, else whether a set woke it.
func (e *Event) WaitTimeout(t *sched.Thread, d time.Duration) bool { return e.wait(t, true, d) }

func (e *Event) wait(t *sched.Thread, timed bool, d time.Duration) bool {
	e.lock.Acquire(t)
	signaled := e.flag
	if signaled {
		t.Step(sched.Op{Name: "wait", Obj: &e.obj, Access: sched.Read})
		t.SetResult(true)
	} else {
		signaled = e.cond.wait(t, timed, d)
	}
	e.lock.Release(t)
	return signaled
}
