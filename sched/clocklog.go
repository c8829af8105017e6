package sched

// # Clocks on demand
//
// The vector clocks (race.go) have one reader: the race check of a step
// on a Data object, which asks whether the earlier accesses to it happen
// before the step. Many models have no Data object (atomics, locks,
// queues: inc and lastzero take every step on a Sync object), and
// there the clock work of every step (a join and a copy on a Sync
// object, a copy at a thread's start) is read by nothing. So until the
// first step on a Data object of an execution, the scheduler logs those
// operations in order, a few bytes each; that step applies them, and
// from there the operations are applied at their steps (clocksNow), as a
// model that checks races on one object will likely check them again.
// The clocks a race check reads are therefore those the operations,
// applied one at a time at their steps, would have given: the log holds
// every operation that changes a clock (a Sync step, a start), in the
// order they happened, and nothing else reads or changes a clock
// meanwhile. An object registered again (Thread.Register) first has the
// operations on it applied, as its clock is then reset. Result.Races are
// those of the clocks applied at every step
// (TestClocksOnDemandFindTheSameRaces).

// clockOp is a logged operation on the clocks: thread's step on Sync
// object obj, or, when obj is NoObject, the start of thread child by
// thread (NoThread: the main thread's start).
type clockOp struct {
	thread ThreadID
	obj    ObjID
	child  ThreadID
}

// eagerClocks applies every clock operation at its step from the start
// of every execution, as the scheduler did before the log: the oracle of
// the log's tests.
var eagerClocks = false

// logStart logs the start of t by parent (nil: the main thread).
func (s *Scheduler) logStart(parent, t *Thread) {
	if s.opts.NoRaces {
		return
	}
	if s.clocksNow {
		inheritClock(parent, t)
		return
	}
	op := clockOp{thread: NoThread, obj: NoObject, child: t.id}
	if parent != nil {
		op.thread = parent.id
	}
	s.clockOps = append(s.clockOps, op)
}

// applyClocks applies the logged operations, in order, and empties the
// log.
func (s *Scheduler) applyClocks() {
	for _, op := range s.clockOps {
		if op.obj == NoObject {
			var parent *Thread
			if op.thread != NoThread {
				parent = s.threads[op.thread]
			}
			inheritClock(parent, s.threads[op.child])
		} else {
			s.syncStep(s.threads[op.thread], s.objects[op.obj])
		}
	}
	s.clockOps = s.clockOps[:0]
}

// registered reports whether o is registered in this execution.
func (s *Scheduler) registered(o *Object) bool {
	return o.id >= 0 && int(o.id) < len(s.objects) && s.objects[o.id] == o
}
