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
	guard   *sched.Object // an inner condition's lock, whose state includes obj's
	lock    Locker
	waiters []*waiter // the deque: entries not yet notified
	woken   []*waiter // notified entries their waiter has not yet seen
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
	c.obj.Track(c)
	return c
}

// AppendState encodes which lock the condition is on (the model chose it)
// and its entries.
func (c *Condition) AppendState(b []byte) []byte {
	b = sched.AppendInt(b, int(c.lock.Object().ID()))
	return c.appendWaiters(b)
}

// appendWaiters encodes the deque and the notified entries not yet seen,
// in order: each entry's thread and flags. An inner condition's owner
// includes it in its own state.
func (c *Condition) appendWaiters(b []byte) []byte {
	for _, ws := range [2][]*waiter{c.waiters, c.woken} {
		b = sched.AppendInt(b, len(ws))
		for _, w := range ws {
			b = sched.AppendThread(b, w.t)
			b = append(b, b2b(w.notified)|b2b(w.timed)<<1|b2b(w.parked)<<2|b2b(w.late)<<3)
		}
	}
	return b
}

// changed marks the condition's object changed in t's current step, which
// need not be a step on it (a wait queues its entry after a step on the
// lock), and an inner condition's lock, whose state includes it.
func (c *Condition) changed(t *sched.Thread) {
	t.Changed(c.obj)
	if c.guard != nil {
		t.Changed(c.guard)
	}
}

func b2b(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// newInnerCondition returns the condition of a primitive CPython builds on
// a Condition (Condition(Lock()) mostly): its steps touch obj, the
// primitive's own object, and the primitive's code always holds the lock,
// so ownership is not checked (for a Lock, CPython's check would be a
// failing non-blocking acquire: a step that changes nothing). The
// primitive's lock guards it: the primitive encodes the condition's
// entries, and the lock the primitive's state.
func newInnerCondition(lock Locker, obj *sched.Object, why func() string) *Condition {
	return &Condition{lock: lock, obj: obj, guard: lock.Object(), trusted: true, why: why}
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
			end = t.Clock() + d
		} else if d = end - t.Clock(); d <= 0 {
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
		c.remove(t, w)
	}
	c.free = append(c.free, w)
	return gotit
}

// block is the wait for a notify: forever, at most d, or a poll if d <= 0.
// A waiter notified before its deadline fired counts as notified even if
// the clock fired it before the waiter ran (a release wakes CPython's
// waiter however late it runs); one notified after is not. The step only
// observes the caller's own entry, so it reads: two waiters' wake-ups
// commute. Once the step has read a notified entry, the entry leaves the
// state (only the caller's own entry changes, so they still commute).
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
		c.changed(t)
		t.Step(op)
		gotit = w.notified && !w.late
	}
	c.seen(t, w)
	t.SetResult(gotit)
	return gotit
}

// seen drops w from the notified entries once its waiter's step has read
// it (the step folds the entry into the waiter's history).
func (c *Condition) seen(t *sched.Thread, w *waiter) {
	if i := slices.Index(c.woken, w); i >= 0 {
		c.woken = slices.Delete(c.woken, i, i+1)
		c.changed(t)
	}
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
	c.changed(t)
	return w
}

// wake notifies up to n entries from the head of the deque, part of the
// caller's current step, and returns how many it took. They move to the
// notified entries until their waiters see them.
func (c *Condition) wake(t *sched.Thread, n int) int {
	k := min(max(n, 0), len(c.waiters))
	if k == 0 {
		return 0
	}
	for _, w := range c.waiters[:k] {
		w.notified = true
		if w.timed {
			w.late = w.deadlineFired(t)
		}
	}
	c.woken = append(c.woken, c.waiters[:k]...)
	c.changed(t)
	rest := copy(c.waiters, c.waiters[k:])
	clear(c.waiters[rest:])
	c.waiters = c.waiters[:rest]
	return k
}

// remove drops w from the deque if it is still there. It runs after the
// step that re-acquired the lock: it marks the condition changed.
func (c *Condition) remove(t *sched.Thread, w *waiter) {
	if i := slices.Index(c.waiters, w); i >= 0 {
		c.waiters = slices.Delete(c.waiters, i, i+1)
		c.changed(t)
	}
}

// numWaiting returns the number of entries in the deque.
func (c *Condition) numWaiting() int { return len(c.waiters) }

// deadlineFired reports, during a notify by t, whether w's timed wait has
// already timed out, so that the notify is absorbed. Reading the clock
// marks the notify as dependent on fired deadlines. The answer reads
// another thread's deadline, not the condition, without a step on it;
// that is harmless for stateful exploration: it decides only w.late,
// which the condition encodes, never the notifier's local state.
func (w *waiter) deadlineFired(t *sched.Thread) bool {
	t.Clock()
	_, pending := w.t.Deadline()
	return w.parked && !pending
}
