package prims

import (
	"slices"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Condition is Python's threading.Condition, built as CPython builds it: a
// user lock plus a FIFO deque of per-waiter entries (CPython's private
// waiter Locks).
//
// Wait appends the caller's entry to the deque while it still holds the
// lock, releases the lock completely in one step ("release"; an RLock's
// recursion level is saved), blocks until notified or timed out ("wait"),
// then re-acquires the lock with no time limit ("acquire") and restores
// the level. A waiter that timed out removes its entry only after it has
// the lock back. Notify takes entries from the head of the deque: a
// notified waiter still has to win the lock back, and an entry whose
// waiter has timed out but not yet re-acquired the lock absorbs a notify
// (python-semantics 1.3): that waiter returns false and the notify is
// spent. There are no spurious wake-ups.
//
// Ownership is checked as CPython does: exactly for an RLock; for a plain
// Lock by a non-blocking acquire (a step) that, when it fails, assumes the
// caller holds the lock, even if another thread does.
type Condition struct {
	own     sched.Object
	obj     *sched.Object
	lock    Locker
	waiters []*waiter
	free    []*waiter
	trusted bool          // an internal condition: skip ownership checks
	why     func() string // what a waiter waits for, for deadlock reports
}

// waiter is one call's entry in the deque, CPython's per-waiter Lock.
type waiter struct {
	c        *Condition
	t        *sched.Thread
	notified bool
	timed    bool
	parked   bool // its timed wait step is declared
	late     bool // notified after its deadline fired: the notify is absorbed
}

// Ready reports whether the waiter was notified: the Waiter of "wait".
func (w *waiter) Ready(*sched.Thread) bool { return w.notified }

// Holder says what the waiter waits for, for deadlock reports.
func (w *waiter) Holder(*sched.Thread) string {
	if w.c.why != nil {
		return w.c.why()
	}
	return "not notified"
}

// NewCondition returns a Condition on lock, or on a new RLock when lock is
// nil. Holding the condition means holding that lock.
func NewCondition(t *sched.Thread, name string, lock Locker) *Condition {
	if lock == nil {
		lock = NewRLock(t, name)
	}
	c := &Condition{lock: lock}
	c.obj = &c.own
	t.Register(c.obj, sched.Sync, "Condition", name)
	return c
}

// newInnerCondition returns the condition of a primitive CPython builds on
// a Condition (Condition(Lock()) mostly): its steps touch obj, the
// primitive's own object, and the primitive's code always holds the lock,
// so ownership is not checked (for a Lock, CPython's check would be a
// failing non-blocking acquire: a step that changes nothing).
func newInnerCondition(lock Locker, obj *sched.Object, why func() string) *Condition {
	return &Condition{lock: lock, obj: obj, trusted: true, why: why}
}

// Object returns the condition's scheduler object.
func (c *Condition) Object() *sched.Object { return c.obj }

// Lock returns the condition's lock.
func (c *Condition) Lock() Locker { return c.lock }

// Acquire acquires the condition's lock.
func (c *Condition) Acquire(t *sched.Thread) bool { return c.lock.Acquire(t) }

// Release releases the condition's lock.
func (c *Condition) Release(t *sched.Thread) { c.lock.Release(t) }

// With runs body holding the condition's lock, as "with cond:".
func (c *Condition) With(t *sched.Thread, body func()) {
	c.lock.Acquire(t)
	defer c.lock.Release(t)
	body()
}

// Wait waits until notified and returns true.
func (c *Condition) Wait(t *sched.Thread) bool {
	c.checkOwned(t, "wait")
	return c.wait(t, false, 0)
}

// WaitTimeout waits until notified or until d of virtual time has passed,
// and reports whether it was notified. A d <= 0 polls: it still releases
// and re-acquires the lock.
func (c *Condition) WaitTimeout(t *sched.Thread, d time.Duration) bool {
	c.checkOwned(t, "wait")
	return c.wait(t, true, d)
}

// WaitFor is wait_for(pred): it waits until pred is true, re-evaluating it
// after each wake-up, and returns its last value.
func (c *Condition) WaitFor(t *sched.Thread, pred func() bool) bool {
	ok := pred()
	for !ok {
		c.Wait(t)
		ok = pred()
	}
	return ok
}

// WaitForTimeout is wait_for(pred, timeout=d): the deadline is set at the
// first wait, which waits the full d; before each later wait it stops if
// the time is up. With d <= 0 it makes one polling wait and evaluates pred
// twice. It returns pred's last value.
func (c *Condition) WaitForTimeout(t *sched.Thread, pred func() bool, d time.Duration) bool {
	ok := pred()
	var end time.Duration
	for first := true; !ok; first = false {
		if first {
			end = t.Now() + d
		} else if d = end - t.Now(); d <= 0 {
			break
		}
		c.WaitTimeout(t, d)
		ok = pred()
	}
	return ok
}

// Notify wakes the n longest waiters (fewer if fewer wait; none if n <= 0).
func (c *Condition) Notify(t *sched.Thread, n int) {
	c.checkOwned(t, "notify")
	t.Step(sched.Op{Name: "notify", Obj: c.obj, Access: sched.Write})
	t.SetResult(c.wake(t, n))
}

// NotifyAll wakes every waiter.
func (c *Condition) NotifyAll(t *sched.Thread) {
	c.checkOwned(t, "notify")
	t.Step(sched.Op{Name: "notify_all", Obj: c.obj, Access: sched.Write})
	t.SetResult(c.wake(t, len(c.waiters)))
}

// checkOwned raises CPython's RuntimeError when t does not own the lock.
func (c *Condition) checkOwned(t *sched.Thread, what string) {
	if !c.trusted && !c.lock.isOwned(t) {
		t.Misuse("RuntimeError: cannot " + what + " on un-acquired lock")
	}
}

// wait is Condition.wait after the ownership check: enqueue, release,
// block, re-acquire, and drop the entry if it was not notified.
func (c *Condition) wait(t *sched.Thread, timed bool, d time.Duration) bool {
	w := c.enqueue(t, timed)
	saved := c.lock.releaseSave(t)
	gotit := c.block(t, w, d)
	c.lock.acquireRestore(t, saved)
	if !gotit {
		c.remove(w)
	}
	c.free = append(c.free, w)
	return gotit
}

// block is the wait for a notify: forever, at most d, or a poll if d <= 0.
// A waiter notified before its deadline fired counts as notified even if
// the clock fired it before the waiter ran (a release wakes CPython's
// waiter however late it runs); one notified after is not. The step only
// observes the caller's own entry, so it reads: two waiters' wake-ups
// commute.
func (c *Condition) block(t *sched.Thread, w *waiter, d time.Duration) bool {
	op := sched.Op{Name: "wait", Obj: c.obj, Access: sched.Read, Wait: w}
	var gotit bool
	switch {
	case !w.timed:
		t.Step(op)
		gotit = true
	case d <= 0:
		op.Wait = nil
		t.Step(op)
		gotit = w.notified
	default:
		op.Timeout, op.Timed = d, true
		w.parked = true
		t.Step(op)
		gotit = w.notified && !w.late
	}
	t.SetResult(gotit)
	return gotit
}

// enqueue appends a fresh entry to the deque.
func (c *Condition) enqueue(t *sched.Thread, timed bool) *waiter {
	var w *waiter
	if n := len(c.free); n > 0 {
		w = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		w = &waiter{c: c}
	}
	w.t, w.notified, w.timed, w.parked, w.late = t, false, timed, false, false
	c.waiters = append(c.waiters, w)
	return w
}

// wake notifies up to n entries from the head of the deque, part of the
// caller's current step, and returns how many it took.
func (c *Condition) wake(t *sched.Thread, n int) int {
	k := min(max(n, 0), len(c.waiters))
	for _, w := range c.waiters[:k] {
		w.notified = true
		if w.timed {
			w.late = w.deadlineFired(t)
		}
	}
	rest := copy(c.waiters, c.waiters[k:])
	clear(c.waiters[rest:])
	c.waiters = c.waiters[:rest]
	return k
}

// remove drops w from the deque if it is still there.
func (c *Condition) remove(w *waiter) {
	for i, x := range c.waiters {
		if x == w {
			c.waiters = slices.Delete(c.waiters, i, i+1)
			return
		}
	}
}

// numWaiting returns the number of entries in the deque.
func (c *Condition) numWaiting() int { return len(c.waiters) }

// deadlineFired reports, during a notify by t, whether w's timed wait has
// already timed out, so that the notify is absorbed. Reading the clock
// marks the notify as dependent on fired deadlines.
func (w *waiter) deadlineFired(t *sched.Thread) bool {
	t.Now()
	_, pending := w.t.Deadline()
	return w.parked && !pending
}
