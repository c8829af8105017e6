package sched

// Hooks for models whose code is not Go (external models: (a Python program run by a
// a process that a virtual thread mirrors): they name their own source
// locations and stacks.

// SetWhere records where, in the model's own source, t's next step comes
// from ("prog.py:12 update"): the step's trace event carries it, and a
// failure report shows it beside t's pending operation. Go models leave it
// empty.
func (t *Thread) SetWhere(where string) { t.where = where }

// FailStack ends the execution with a failure of the given kind raised by
// t, whose Stack is the model's own (a Python traceback).
func (t *Thread) FailStack(kind Kind, msg, stack string) {
	t.s.fail(t, kind, msg)
	if t.s.failure.Thread == t.id && t.s.failure.Message == msg {
		t.s.failure.Stack = stack
	}
	panic(abort{})
}
