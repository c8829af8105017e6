package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Semaphore is Python's threading.Semaphore, built as CPython builds it: a
// counter guarded by Condition(Lock()). Every operation first takes the
// internal lock ("acquire" on Lock 'name.lock'); acquire then waits on the
// condition while the counter is 0 and takes one unit ("acquire" on the
// Semaphore); release adds n and notifies n waiters ("release").
//
// Waiters are notified in FIFO order, but a notified waiter must win the
// internal lock back and re-check the counter: a thread that arrives
// meanwhile takes the unit first (barging), and the waiter then waits
// again at the tail of the deque. Any thread may release; an unbounded
// Semaphore released more than acquired just grows.
type Semaphore struct {
	obj     sched.Object
	lock    *Lock
	cond    *Condition
	value   int
	initial int
	bounded bool
}

// BoundedSemaphore is threading.BoundedSemaphore: a Semaphore whose release
// above its initial value is CPython's ValueError, checked under the lock
// with nothing changed.
type BoundedSemaphore struct{ Semaphore }

// NewSemaphore returns a Semaphore holding value. A negative value is
// CPython's ValueError.
func NewSemaphore(t *sched.Thread, name string, value int) *Semaphore {
	s := &Semaphore{}
	s.init(t, "Semaphore", name, value)
	return s
}

// NewBoundedSemaphore returns a BoundedSemaphore holding, and bounded by,
// value.
func NewBoundedSemaphore(t *sched.Thread, name string, value int) *BoundedSemaphore {
	s := &BoundedSemaphore{}
	s.bounded = true
	s.init(t, "BoundedSemaphore", name, value)
	return s
}

func (s *Semaphore) init(t *sched.Thread, kind, name string, value int) {
	if value < 0 {
		t.Misuse("ValueError: semaphore initial value must be >= 0")
	}
	s.value, s.initial = value, value
	s.lock = NewLock(t, name+".lock")
	t.Register(&s.obj, sched.Sync, kind, name)
	s.obj.Track(s)
	s.cond = newInnerCondition(s.lock, &s.obj, func() string { return "value is 0" })
	s.lock.guard(s)
}

// AppendState encodes the counter, the initial value (a BoundedSemaphore's
// bound; the kind says whether it is bounded) and the waiters. The
// internal lock's state includes it: Acquire reads the counter after
// acquiring the lock.
func (s *Semaphore) AppendState(b []byte) []byte {
	b = sched.AppendInt(sched.AppendInt(b, s.value), s.initial)
	return s.cond.appendWaiters(b)
}

// changed marks the internal lock changed with the semaphore.
func (s *Semaphore) changed(t *sched.Thread) { t.Changed(&s.lock.obj) }

// Object returns the semaphore's scheduler object.
func (s *Semaphore) Object() *sched.Object { return &s.obj }

// Acquire blocks until the counter is above 0, then decrements it. It
// returns true.
func (s *Semaphore) Acquire(t *sched.Thread) bool {
	s.lock.Acquire(t)
	for s.value == 0 {
		s.cond.wait(t, false, 0)
	}
	return s.finishAcquire(t)
}

// TryAcquire is acquire(blocking=False): false at once if the counter is
// 0, without waiting on the condition.
func (s *Semaphore) TryAcquire(t *sched.Thread) bool {
	s.lock.Acquire(t)
	return s.finishAcquire(t)
}

// AcquireTimeout is acquire(timeout=d). The deadline is fixed at the first
// wait, which waits the full d; later passes stop once the time is up. A d
// <= 0 makes one polling wait. It can return true after the deadline: a
// waiter that timed out but finds a unit when it has the lock back takes
// it.
func (s *Semaphore) AcquireTimeout(t *sched.Thread, d time.Duration) bool {
	s.lock.Acquire(t)
	var end time.Duration
	for first := true; s.value == 0; first = false {
		if first {
			end = t.Clock() + d
		} else if d = end - t.Clock(); d <= 0 {
			break
		}
		s.cond.wait(t, true, d)
	}
	return s.finishAcquire(t)
}

// finishAcquire takes a unit if there is one and releases the lock.
func (s *Semaphore) finishAcquire(t *sched.Thread) bool {
	ok := s.value > 0
	access := sched.Read
	if ok {
		access = sched.Write
	}
	t.Step(sched.Op{Name: "acquire", Obj: &s.obj, Access: access})
	if ok {
		s.value--
		s.changed(t)
	}
	t.SetResult(ok)
	s.lock.Release(t)
	return ok
}

// Release adds one unit and notifies one waiter.
func (s *Semaphore) Release(t *sched.Thread) { s.ReleaseN(t, 1) }

// ReleaseN is release(n): it adds n units and notifies n waiters. n < 1 is
// CPython's ValueError, and so is exceeding a BoundedSemaphore's initial
// value.
func (s *Semaphore) ReleaseN(t *sched.Thread, n int) {
	if n < 1 {
		t.Misuse("ValueError: n must be one or more")
	}
	s.lock.Acquire(t)
	t.Step(sched.Op{Name: "release", Obj: &s.obj, Access: sched.Write})
	if s.bounded && s.value+n > s.initial {
		s.lock.Release(t) // leaving "with self._cond:"
		t.Misuse("ValueError: Semaphore released too many times")
	}
	s.value += n
	s.changed(t)
	s.cond.wake(t, n)
	t.SetResult(s.value)
	s.lock.Release(t)
}

// With runs body holding one unit, as "with sem:".
func (s *Semaphore) With(t *sched.Thread, body func()) {
	s.Acquire(t)
	defer s.Release(t)
	body()
}

// Value reads the counter without the lock, as repr() does.
func (s *Semaphore) Value(t *sched.Thread) int {
	t.Step(sched.Op{Name: "value", Obj: &s.obj, Access: sched.Read})
	t.SetResult(s.value)
	return s.value
}
