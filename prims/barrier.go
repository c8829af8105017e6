package prims

import (
	"strconv"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// ErrBrokenBarrier is threading.BrokenBarrierError.
var ErrBrokenBarrier error = sched.NewException("BrokenBarrierError", "")

// barrierState is CPython's Barrier._state.
type barrierState int8

const (
	filling   barrierState = 0
	draining  barrierState = 1
	resetting barrierState = -1
	broken    barrierState = -2
)

// Barrier is Python's threading.Barrier, built as CPython builds it: a
// count and a state (FILLING, DRAINING, RESETTING, BROKEN) guarded by
// Condition(Lock()).
//
// Wait takes the internal lock; while the barrier drains or resets it
// waits, untimed; a broken barrier raises at once. It then arrives
// ("arrive": index = count, count+1). The last of the parties runs the
// action under the lock, before anyone is released, and trips the barrier
// ("trip": DRAINING, notify all); the others wait_for the state to leave
// FILLING with the timeout, and on timeout break it ("break": BROKEN,
// notify all). On every path the thread then leaves ("leave": count-1; the
// last one out of a DRAINING or RESETTING barrier makes it FILLING and
// notifies all). A fast thread calling Wait for the next cycle therefore
// waits until every thread of the previous cycle has left.
//
// Wait returns the arrival index within the cycle (parties-1 for the
// thread that ran the action), or ErrBrokenBarrier.
type Barrier struct {
	obj     sched.Object
	lock    *Lock
	cond    *Condition
	parties int
	action  func(*sched.Thread)
	timeout time.Duration
	state   barrierState
	count   int
}

// NewBarrier returns a Barrier for parties threads. action, if not nil,
// runs in the last thread to arrive; timeout is the default for Wait, 0
// meaning none. parties < 1 is CPython's ValueError.
func NewBarrier(t *sched.Thread, name string, parties int, action func(*sched.Thread), timeout time.Duration) *Barrier {
	if parties < 1 {
		t.Misuse("ValueError: parties must be > 0")
	}
	b := &Barrier{parties: parties, action: action, timeout: timeout, lock: NewLock(t, name+".lock")}
	t.Register(&b.obj, sched.Sync, "Barrier", name)
	b.obj.Track(b)
	b.cond = newInnerCondition(b.lock, &b.obj, b.why)
	b.lock.guard(b)
	return b
}

// AppendState encodes the state machine (state and count), the parties,
// the default timeout, whether there is an action, and the waiters. The
// action is a closure and cannot be encoded: it was fixed when the model
// created the barrier, by the creating thread's local state, a function
// of its history then, and it never changes, so the barrier's place in the
// state stands for it. The internal lock's state includes the barrier's:
// Wait reads the state after acquiring the lock.
func (b *Barrier) AppendState(buf []byte) []byte {
	buf = append(buf, byte(b.state))
	buf = sched.AppendInt(buf, b.count)
	buf = sched.AppendInt(buf, b.parties)
	buf = sched.AppendInt(buf, int(b.timeout))
	buf = sched.AppendBool(buf, b.action != nil)
	return b.cond.appendWaiters(buf)
}

// changed marks the internal lock changed with the barrier.
func (b *Barrier) changed(t *sched.Thread) { t.Changed(&b.lock.obj) }

func (b *Barrier) why() string {
	switch b.state {
	case filling:
		return strconv.Itoa(b.count) + "/" + strconv.Itoa(b.parties) + " parties arrived"
	case draining:
		return "draining"
	case resetting:
		return "resetting"
	}
	return "broken"
}

// Object returns the barrier's scheduler object.
func (b *Barrier) Object() *sched.Object { return &b.obj }

// Parties returns the number of parties.
func (b *Barrier) Parties() int { return b.parties }

// Wait is wait(): it uses the barrier's default timeout, forever if none.
func (b *Barrier) Wait(t *sched.Thread) (int, error) {
	return b.wait(t, b.timeout > 0, b.timeout)
}

// WaitTimeout is wait(timeout=d). Unlike the constructor's, d = 0 is a
// real zero timeout: a thread that is not the last to arrive breaks the
// barrier at once.
func (b *Barrier) WaitTimeout(t *sched.Thread, d time.Duration) (int, error) {
	return b.wait(t, true, d)
}

func (b *Barrier) wait(t *sched.Thread, timed bool, d time.Duration) (int, error) {
	b.lock.Acquire(t)
	defer b.lock.Release(t)
	if err := b.enter(t); err != nil {
		return 0, err
	}
	t.Step(sched.Op{Name: "arrive", Obj: &b.obj, Access: sched.Write})
	index := b.count
	b.count++
	b.changed(t)
	t.SetResult(index)
	defer b.leave(t) // the finally: also when the action raised
	if index+1 == b.parties {
		b.release(t)
		return index, nil
	}
	return index, b.waitRelease(t, timed, d)
}

// enter waits while the barrier drains or resets, then fails if broken.
func (b *Barrier) enter(t *sched.Thread) error {
	for b.state == draining || b.state == resetting {
		b.cond.wait(t, false, 0)
	}
	if b.state == broken {
		return ErrBrokenBarrier
	}
	return nil
}

// release runs the action and trips the barrier. An exception the action
// raises breaks the barrier (the other parties get ErrBrokenBarrier) and
// propagates in this thread, as CPython's _release re-raises it.
func (b *Barrier) release(t *sched.Thread) {
	if b.action != nil {
		if exc := t.Try(func() { b.action(t) }); exc != nil {
			b.breakStep(t, "break")
			t.RaiseException(exc)
		}
	}
	t.Step(sched.Op{Name: "trip", Obj: &b.obj, Access: sched.Write})
	b.state = draining
	b.changed(t)
	b.cond.wake(t, b.cond.numWaiting())
}

// waitRelease is _wait: wait_for(state != FILLING, timeout), breaking the
// barrier on timeout.
func (b *Barrier) waitRelease(t *sched.Thread, timed bool, d time.Duration) error {
	pred := func() bool { return b.state != filling }
	var ok bool
	if timed {
		ok = b.cond.WaitForTimeout(t, pred, d)
	} else {
		ok = b.cond.WaitFor(t, pred)
	}
	if !ok {
		b.breakStep(t, "break")
		return ErrBrokenBarrier
	}
	if b.state == broken || b.state == resetting {
		return ErrBrokenBarrier
	}
	return nil
}

// leave is the finally of wait: count-1, and the last thread out of a
// draining or resetting barrier makes it FILLING.
func (b *Barrier) leave(t *sched.Thread) {
	t.Step(sched.Op{Name: "leave", Obj: &b.obj, Access: sched.Write})
	b.count--
	b.changed(t)
	if b.count == 0 && (b.state == draining || b.state == resetting) {
		b.state = filling
		b.cond.wake(t, b.cond.numWaiting())
	}
}

// Reset returns the barrier to FILLING: at once if nobody is inside,
// otherwise through RESETTING (current waiters get ErrBrokenBarrier) once
// the last of them leaves. A draining barrier is left to drain.
func (b *Barrier) Reset(t *sched.Thread) {
	b.lock.Acquire(t)
	t.Step(sched.Op{Name: "reset", Obj: &b.obj, Access: sched.Write})
	switch {
	case b.count == 0:
		b.state = filling
	case b.state == filling || b.state == broken:
		b.state = resetting
	}
	b.changed(t)
	b.cond.wake(t, b.cond.numWaiting())
	b.lock.Release(t)
}

// Abort breaks the barrier: current and future waiters get
// ErrBrokenBarrier until Reset.
func (b *Barrier) Abort(t *sched.Thread) {
	b.lock.Acquire(t)
	b.breakStep(t, "abort")
	b.lock.Release(t)
}

func (b *Barrier) breakStep(t *sched.Thread, name string) {
	t.Step(sched.Op{Name: name, Obj: &b.obj, Access: sched.Write})
	b.state = broken
	b.changed(t)
	b.cond.wake(t, b.cond.numWaiting())
}

// NWaiting is n_waiting, read without the lock: the count while FILLING,
// else 0.
func (b *Barrier) NWaiting(t *sched.Thread) int {
	t.Step(sched.Op{Name: "n_waiting", Obj: &b.obj, Access: sched.Read})
	n := 0
	if b.state == filling {
		n = b.count
	}
	t.SetResult(n)
	return n
}

// Broken is broken, read without the lock: true only when BROKEN.
func (b *Barrier) Broken(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "broken", Obj: &b.obj, Access: sched.Read})
	t.SetResult(b.state == broken)
	return b.state == broken
}
