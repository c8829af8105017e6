package sched

// foreignStep handles an operation of t called where t's code is not
// running: from a goroutine the model started itself (a raw go statement)
// after t moved on or ended, or from another thread's code. That goroutine
// is outside the simulator and cannot be unwound, so like a stuck model
// this is reported as one line, with the schedule so far, to
// Options.OnStuck (by default printed, and the process exits with status
// 3); the goroutine then parks for good.
func (s *Scheduler) foreignStep(t *Thread, op Op) {
	what := "ended"
	if t.coro != nil {
		what = "is parked at another operation"
	}
	s.watchdog.report(s.opts.OnStuck, "threadsim: "+op.Name+" was called for thread "+t.name+" from code that is not "+
		t.name+"'s own while "+t.name+" "+what+": a goroutine the model started itself (a raw go statement) or "+
		"another thread used its *Thread; every operation must run in its own thread's function (start threads with Thread.Go)")
	select {}
}
