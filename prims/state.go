package prims

import (
	"encoding/binary"

	"github.com/threadsim/threadsim/sched"
)

// # State
//
// Every primitive that owns a sched.Object tracks it with a sched.State
// (see sched/state.go): its AppendState encodes everything a later
// operation on it reads, waiters included, and nothing that only names
// or describes (object names, deadlock-report strings). Three rules keep
// the encodings sound for stateful exploration:
//
//   - A step changes only its own object, or marks with Thread.Changed
//     each other object its local code changes (a Condition wait queues
//     its entry after a step on the lock; an Executor records a worker
//     after the step that started it).
//
//   - Local code after a step reads only the state of that step's object.
//     A composite primitive reads its fields after acquiring its internal
//     lock (the Semaphore's counter, the Queue's items): that lock guards
//     it, and its encoding includes the whole state of the primitive it
//     guards (see guarded), so the acquire step folds into the thread's
//     history what its local code then reads. Every change of the
//     primitive marks the lock changed.
//
//   - An entry a waiting thread will still read (a Condition entry
//     notified but not yet seen by its waiter, an item handed to a parked
//     SimpleQueue getter) stays in the encoding until the waiter's step
//     reads it.
//
//   - A step whose local code learns nothing from its object (a Var
//     store, a SimpleQueue put) is Blind, so that what it overwrites stays
//     out of the thread's history.

// guarded is the state of the primitive a Lock or RLock guards, or nil
// for a user's lock: the lock's encoding appends it, because the local
// code after an acquire reads it.
type guarded struct{ by sched.State }

// guard makes the lock's state include p's.
func (g *guarded) guard(p sched.State) { g.by = p }

// appendGuarded appends the guarded primitive's state, if any.
func (g *guarded) appendGuarded(b []byte) []byte {
	if g.by == nil {
		return append(b, 0)
	}
	return g.by.AppendState(append(b, 1))
}

// appendItem appends a value held by a primitive (a queue item, a
// variable's value, a future's result or exception): with its own
// AppendState if it has one (a work item), length-prefixed so that items
// in a row stay apart, else with sched.AppendValue.
func appendItem(b []byte, x any) []byte {
	s, ok := x.(sched.State)
	if !ok {
		return sched.AppendValue(b, x)
	}
	at := len(b)
	b = s.AppendState(append(b, 0, 0, 0, 0))
	binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	return append(b, 'S')
}
