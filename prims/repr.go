package prims

import (
	"strconv"

	"github.com/threadsim/threadsim/sched"
)

// Each Repr reads the primitive's state in a step on its object, as
// CPython's __repr__ reads it without the primitive's lock, and returns
// the text CPython 3.13 prints. CPython shows the object's address; here
// it is a deterministic stand-in derived from the object's id (address).

// address stands for id(obj) in a repr: the same object has the same
// address in every execution that creates objects in the same order.
func address(o *sched.Object) string {
	return "0x" + strconv.FormatInt(0x7f0000000000+0x40*int64(o.ID()), 16)
}

// reprStep is the step a repr makes on o.
func reprStep(t *sched.Thread, o *sched.Object) {
	t.Step(sched.Op{Name: "repr", Obj: o, Access: sched.Read})
}

func withResult(t *sched.Thread, r string) string {
	t.SetResult(r)
	return r
}

// Repr is repr(lock): "<unlocked _thread.lock object at 0x...>", or
// "<locked ...>".
func (l *Lock) Repr(t *sched.Thread) string {
	reprStep(t, &l.obj)
	state := "unlocked"
	if l.held {
		state = "locked"
	}
	return withResult(t, "<"+state+" _thread.lock object at "+address(&l.obj)+">")
}

// Repr is repr(event): "<threading.Event at 0x...: unset>", or "set".
func (e *Event) Repr(t *sched.Thread) string {
	reprStep(t, &e.obj)
	state := "unset"
	if e.flag {
		state = "set"
	}
	return withResult(t, "<threading.Event at "+address(&e.obj)+": "+state+">")
}

// Repr is repr(sem): "<threading.Semaphore at 0x...: value=2>", and
// "value=1/3" (value and initial value) for a BoundedSemaphore.
func (s *Semaphore) Repr(t *sched.Thread) string {
	reprStep(t, &s.obj)
	class, value := "Semaphore", strconv.Itoa(s.value)
	if s.bounded {
		class, value = "BoundedSemaphore", value+"/"+strconv.Itoa(s.initial)
	}
	return withResult(t, "<threading."+class+" at "+address(&s.obj)+": value="+value+">")
}

// Repr is repr(barrier): "<threading.Barrier at 0x...: waiters=1/3>"
// (n_waiting and parties), or "broken".
func (b *Barrier) Repr(t *sched.Thread) string {
	reprStep(t, &b.obj)
	state := "broken"
	if b.state != broken {
		n := 0
		if b.state == filling {
			n = b.count
		}
		state = "waiters=" + strconv.Itoa(n) + "/" + strconv.Itoa(b.parties)
	}
	return withResult(t, "<threading.Barrier at "+address(&b.obj)+": "+state+">")
}
