package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// RLock is Python's threading.RLock (the C _thread.RLock): a lock with an
// owner thread and a recursion count. The owner may acquire it again
// without blocking; each acquire needs a matching release by the owner,
// and the last one frees it. Waiters are woken in no promised order, and a
// thread arriving when it is freed may take it before a waiter (barging).
type RLock struct {
	obj   sched.Object
	owner *sched.Thread
	count int
	guarded
}

// NewRLock returns an unowned RLock.
func NewRLock(t *sched.Thread, name string) *RLock {
	l := &RLock{}
	t.Register(&l.obj, sched.Sync, "RLock", name)
	l.obj.Track(l)
	return l
}

// AppendState encodes the owner and the recursion count and, for a
// Future's lock, the Future's state.
func (l *RLock) AppendState(b []byte) []byte {
	b = sched.AppendInt(sched.AppendThread(b, l.owner), l.count)
	return l.appendGuarded(b)
}

// Ready reports whether t may take the lock now: it is free or t owns it.
func (l *RLock) Ready(t *sched.Thread) bool { return l.owner == nil || l.owner == t }

// Holder says who owns the lock, for deadlock reports.
func (l *RLock) Holder(*sched.Thread) string {
	if l.owner == nil {
		return "free"
	}
	return "held by " + l.owner.Name()
}

// Object returns the lock's scheduler object.
func (l *RLock) Object() *sched.Object { return &l.obj }

// Acquire takes the lock, blocking while another thread owns it; the owner
// only raises the count. It returns true.
func (l *RLock) Acquire(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "acquire", Obj: &l.obj, Access: sched.Write, Wait: l})
	l.take(t)
	return true
}

// TryAcquire is acquire(blocking=False): it succeeds when the lock is free
// or already owned by t.
func (l *RLock) TryAcquire(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "acquire(nowait)", Obj: &l.obj, Access: sched.Write})
	if !l.Ready(t) {
		t.SetAccess(sched.Read)
		t.SetResult(false)
		return false
	}
	l.take(t)
	return true
}

// AcquireTimeout is acquire(timeout=d). As in CPython the argument is
// checked even when t already owns the lock: a negative d is a ValueError.
// A zero d is one attempt.
func (l *RLock) AcquireTimeout(t *sched.Thread, d time.Duration) bool {
	return timedAcquire(t, &l.obj, l, d, l.TryAcquire, l.take)
}

// Release lowers the count and frees the lock when it reaches 0. Releasing
// a lock that t does not own (held by another thread, or by none) is
// CPython's RuntimeError.
func (l *RLock) Release(t *sched.Thread) {
	t.Step(sched.Op{Name: "release", Obj: &l.obj, Access: sched.Write})
	if l.owner != t {
		t.Misuse("RuntimeError: cannot release un-acquired lock")
	}
	if l.count--; l.count == 0 {
		l.owner = nil
	}
	t.SetResult(l.count)
}

// With runs body holding the lock, as Python's "with rlock:".
func (l *RLock) With(t *sched.Thread, body func()) {
	l.Acquire(t)
	defer l.Release(t)
	body()
}

// IsOwned is CPython's _is_owned(): whether t owns the lock. Only t can
// change the answer, so it reads the state without a step. This read is
// sound for stateful exploration although no step on the lock precedes
// it: whether t owns the lock, and the count while it does, changed last
// in a step of t on the lock, so they are a function of t's history.
func (l *RLock) IsOwned(t *sched.Thread) bool { return l.owner == t }

// RecursionCount is CPython's _recursion_count(): t's recursion level, 0
// if t does not own the lock. Like IsOwned it needs no step, and is a
// function of t's history for the same reason.
func (l *RLock) RecursionCount(t *sched.Thread) int {
	if l.owner != t {
		return 0
	}
	return l.count
}

func (l *RLock) take(t *sched.Thread) {
	l.owner = t
	l.count++
	t.SetResult(true)
}
