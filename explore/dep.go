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
	// daemon: a step of a daemon thread; ends: the exit of a non-daemon
	// thread, which may end the program and freeze every daemon.
	daemon, ends bool
}

func eventSig(e *sched.Event, s *sched.Scheduler) sig {
	g := sig{thread: e.Thread, obj: e.Obj, access: e.Access, clockRead: e.ClockRead, woken: e.Woken, child: e.Child}
	if e.Thread != sched.ClockID {
		t := s.Thread(e.Thread)
		g.daemon = t.Daemon()
		g.ends = !g.daemon && e.Op == "exit" && e.Obj == t.Object().ID()
	}
	return g
}

// pendingSig is the most dependent signature thread t's pending operation
// can have: declared access, and clock read assumed (its local code may
// register a deadline).
func pendingSig(t sched.ThreadID, op sched.Op, daemon bool) sig {
	obj := sched.NoObject
	if op.Obj != nil {
		obj = op.Obj.ID()
	}
	return sig{thread: t, obj: obj, access: op.Access, clockRead: true, woken: sched.NoThread, child: sched.NoThread, daemon: daemon}
}

// dependent reports whether two events may not commute (DPOR-NOTES §1.4,
// conservatively, from what sched reports):
//   - events of one thread (program order; the clock is one thread, so
//     deadlines fire in order);
//   - two accesses to one object, at least one a write (locks: every
//     operation writes; Vars: read/read and failed-CAS/read commute);
//   - a fire and a step that read the clock (registered a deadline);
//   - a fire and any step of the thread it wakes (the enabler happens
//     before what it enables);
//   - a start and any step of the started thread;
//   - the exit of a non-daemon thread (it may end the program) and any
//     step of a daemon thread.
func dependent(a, b sig) bool {
	if a.thread == b.thread {
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
	return a.child == b.thread || b.child == a.thread || (a.ends && b.daemon) || (b.ends && a.daemon)
}
