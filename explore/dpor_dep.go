package explore

import "github.com/threadsim/threadsim/sched"

// sig is what partial-order reduction knows of one event: its thread, the
// object it touched and how (as executed: a failed compare-and-swap is a
// read), whether it read the virtual clock (registered a deadline), the
// thread it started and, for a fired deadline, the thread it woke.
type sig struct {
	thread    sched.ThreadID
	obj       sched.ObjID
	access    sched.Access
	clockRead bool
	woken     sched.ThreadID
	child     sched.ThreadID
	// daemon: a step of a daemon thread; ends: the step that ended the
	// program (the last non-daemon exit of an execution that did not fail),
	// after which no daemon step and no fire can happen.
	daemon, ends bool
	// any: dependent with every event (a pending operation not recorded).
	any bool
}

// setEvent makes g the signature of event e, whose thread is a daemon or
// not: g is written field by field in place, as finishPrev does at every
// scheduling point (a struct literal is built on the stack and copied,
// and that copy's wide loads stall on the narrow stores just made).
func (g *sig) setEvent(e *sched.Event, daemon bool) {
	g.thread, g.obj, g.access, g.clockRead = e.Thread, depObject(e.Obj, e.Access), e.Access, e.ClockRead
	g.woken, g.child, g.daemon, g.ends, g.any = e.Woken, e.Child, daemon, false, false
}

// isEvent reports whether setEvent(e, daemon) would leave g as it is.
func (g *sig) isEvent(e *sched.Event, daemon bool) bool {
	return g.thread == e.Thread && g.obj == depObject(e.Obj, e.Access) && g.access == e.Access &&
		g.clockRead == e.ClockRead && g.woken == e.Woken && g.child == e.Child && g.daemon == daemon &&
		!g.ends && !g.any
}

// isDaemonEvent reports whether e is a step of a daemon thread.
func isDaemonEvent(e *sched.Event, s *sched.Scheduler) bool {
	return e.Thread != sched.ClockID && s.Thread(e.Thread).Daemon()
}

// pendingSig is the most dependent signature thread t's pending operation
// can have: declared access, and clock read assumed (its local code may
// register a deadline).
func pendingSig(t sched.ThreadID, op sched.Op, daemon bool) sig {
	obj := sched.NoObject
	if op.Obj != nil {
		obj = depObject(op.Obj.ID(), op.Access)
	}
	return sig{thread: t, obj: obj, access: op.Access, clockRead: true, woken: sched.NoThread, child: sched.NoThread, daemon: daemon}
}

// depObject is the object a step with the given access touches for
// dependence: none when it has Access None (a print nothing reads,
// sched.Thread.ForgetLog and WatchLog), which commutes with everything.
func depObject(obj sched.ObjID, a sched.Access) sched.ObjID {
	if a == sched.None {
		return sched.NoObject
	}
	return obj
}

// dependent reports whether two events may not commute (DPOR-NOTES §1.4,
// conservatively, from what sched reports). A start happens before every
// step of the thread it starts, which the race analysis orders through
// vector clocks; it is left out here because the child's id is not stable
// across branches (ids are creation order) and no step of the child can
// come before its start anyway:
//   - events of one thread (program order; the clock is one thread, so
//     deadlines fire in order);
//   - two accesses to one object, at least one a write (locks: every
//     operation writes; Vars: read/read and failed-CAS/read commute; a
//     step of Access None touches nothing: a start, which changes nothing
//     of its thread's object that joins or is_alive see, and a print
//     nobody reads);
//   - a fire and a step that read the clock (registered a deadline);
//   - a fire and any step of the thread it wakes (the enabler happens
//     before what it enables);
//   - the step that ended the program and any step of a daemon thread or
//     fire.
func dependent(a, b sig) bool { return dependentAt(&a, &b) }

// dependentAt is dependent for signatures in place: the race analysis
// asks it for every candidate, and a signature is nine fields, which
// passed by value do not fit in the registers.
func dependentAt(a, b *sig) bool {
	if a.thread == b.thread || a.any || b.any {
		return true
	}
	if a.obj != sched.NoObject && a.obj == b.obj && (a.access == sched.Write || b.access == sched.Write || mutReadRead) {
		return true
	}
	if a.thread == sched.ClockID && (b.clockRead || b.thread == a.woken) {
		return true
	}
	if b.thread == sched.ClockID && (a.clockRead || a.thread == b.woken) {
		return true
	}
	return ends(a, b) || ends(b, a)
}

// ends reports whether a may end the program before b: a non-daemon exit
// and a step of a daemon or a fire, which cannot happen after the end.
func ends(a, b *sig) bool { return a.ends && (b.daemon || b.thread == sched.ClockID) }
