package sched

// Hooks for external models, whose code is not Go (a Python program run
// by a process that virtual threads mirror): they name their own source
// locations and stacks, and check properties over their own output.

// SetWhere records where, in the model's own source, t's next step comes
// from ("prog.py:12 update"): the step's trace event carries it, and a
// failure report shows it beside t's pending operation. Go models leave it
// empty.
func (t *Thread) SetWhere(where string) {
	t.checkLive()
	t.where = where
}

// FailStack ends the execution with a failure of the given kind raised by
// t, whose Stack is the model's own (a Python traceback).
func (t *Thread) FailStack(kind Kind, msg, stack string) {
	t.checkLive()
	t.s.fail(t, kind, msg)
	if t.s.failure.Thread == t.id && t.s.failure.Message == msg {
		t.s.failure.Stack = stack
	}
	panic(abort{})
}

// UncaughtStack records that an exception the model's own code raised
// and did not catch ended t's function (an external model's thread
// bootstrap caught it), with the model's traceback as Stack: the failure
// an uncaught exception of a Go model is, of kind UncaughtException, or
// Misuse when a primitive raised it, which lets the execution go on
// ([Failure.RanOn]) and is none in a thread other than main with
// Options.UncaughtExceptionsOK. Unlike FailStack it returns: t goes on to
// its except hook and its end.
func (t *Thread) UncaughtStack(kind Kind, msg, stack string) {
	t.checkLive()
	if !t.s.noteUncaughtKind(t, kind, msg) {
		return
	}
	if f := t.s.failure; f.Thread == t.id && f.Message == msg && f.Stack == "" {
		f.Stack = stack
	}
}

// ReadOutput is a step that reads everything printed so far: a property
// the model checks over its own output (outside Go) makes it first, so
// that exploration orders it against every print.
func (t *Thread) ReadOutput() {
	t.Step(Op{Name: "read output", Obj: &t.s.stdout, Access: Read})
}
