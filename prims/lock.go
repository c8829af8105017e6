package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Lock is Python's threading.Lock: locked or unlocked, with no owner, so
// any thread may release it. It is not reentrant: acquiring it again from
// the thread that holds it blocks. Waiters are woken in no promised order.
type Lock struct {
	obj    sched.Object
	held   bool
	holder string // who acquired it, for deadlock reports
	guarded
}

// NewLock returns an unlocked Lock.
func NewLock(t *sched.Thread, name string) *Lock {
	l := &Lock{}
	t.Register(&l.obj, sched.Sync, "Lock", name)
	l.obj.Track(l)
	return l
}

// AppendState encodes whether the lock is held and, for a primitive's
// internal lock, the primitive's state. Who acquired it only names.
func (l *Lock) AppendState(b []byte) []byte {
	return l.appendGuarded(sched.AppendBool(b, l.held))
}

// Ready reports whether the lock is free: the Waiter of a blocked acquire.
func (l *Lock) Ready(*sched.Thread) bool { return !l.held }

// Holder says who holds the lock, for deadlock reports.
func (l *Lock) Holder(*sched.Thread) string { return "held by " + l.holder }

// Object returns the lock's scheduler object.
func (l *Lock) Object() *sched.Object { return &l.obj }

// Acquire blocks until the lock is free, then takes it. It returns true, as
// Python's acquire() does.
func (l *Lock) Acquire(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "acquire", Obj: &l.obj, Access: sched.Write, Wait: l})
	l.take(t)
	return true
}

// TryAcquire is acquire(blocking=False): one attempt, true if it took the
// lock.
func (l *Lock) TryAcquire(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "acquire(nowait)", Obj: &l.obj, Access: sched.Write})
	return l.attempt(t)
}

// AcquireTimeout is acquire(timeout=d): it waits at most d of virtual time
// and reports whether it took the lock. A zero timeout is one attempt; a
// negative one is CPython's ValueError (timeout=-1, "forever", is Acquire).
func (l *Lock) AcquireTimeout(t *sched.Thread, d time.Duration) bool {
	return timedAcquire(t, &l.obj, l, d, l.TryAcquire, l.take)
}

// timedAcquire is acquire(timeout=d) of Lock and RLock: CPython's check of
// d, one attempt (try) for a zero d, else a wait of at most d on obj until
// w is ready, then take.
func timedAcquire(t *sched.Thread, obj *sched.Object, w sched.Waiter, d time.Duration,
	try func(*sched.Thread) bool, take func(*sched.Thread)) bool {
	if d < 0 {
		t.Misuse("ValueError: timeout value must be a non-negative number")
	}
	if d == 0 {
		return try(t)
	}
	if t.Step(sched.Op{Name: "acquire", Obj: obj, Access: sched.Write, Wait: w, Timeout: d, Timed: true}) {
		t.SetResult(false)
		return false
	}
	take(t)
	return true
}

// Release unlocks the lock; any thread may. Releasing an unlocked lock is
// CPython's RuntimeError.
func (l *Lock) Release(t *sched.Thread) {
	t.Step(sched.Op{Name: "release", Obj: &l.obj, Access: sched.Write})
	if !l.held {
		t.Misuse("RuntimeError: release unlocked lock")
	}
	l.held = false
}

// Locked reports whether the lock is held.
func (l *Lock) Locked(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "locked", Obj: &l.obj, Access: sched.Read})
	t.SetResult(l.held)
	return l.held
}

// With runs body holding the lock, as Python's "with lock:".
func (l *Lock) With(t *sched.Thread, body func()) {
	l.Acquire(t)
	defer l.Release(t)
	body()
}

func (l *Lock) attempt(t *sched.Thread) bool {
	if l.held {
		t.SetAccess(sched.Read) // a failed attempt changes nothing
		t.SetResult(false)
		return false
	}
	l.take(t)
	return true
}

func (l *Lock) take(t *sched.Thread) {
	l.held, l.holder = true, t.Name()
	t.SetResult(true)
}
