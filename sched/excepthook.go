package sched

import "strings"

// ExceptHook is threading.excepthook: it runs in a thread other than the
// main one whose function raised exc and did not catch it, just before
// that thread ends.
type ExceptHook func(t *Thread, exc *Exception)

// DefaultExceptHook is threading.__excepthook__: it prints "Exception in
// thread NAME:" and the traceback, "Traceback (most recent call last):",
// the model's frames where the exception was raised ([Thread.Traceback])
// and the exception ("ValueError: boom"), in one print step, stamped with
// the virtual time like any log line. It ignores SystemExit silently, as
// CPython does.
func DefaultExceptHook(t *Thread, exc *Exception) {
	if exc.Matches("SystemExit") {
		return
	}
	t.printTraceback("Exception in thread "+t.name+":", exc)
}

// printTraceback prints head (if any) and exc's traceback in one print
// step; the step's detail in the trace is its first line and the
// exception's, without the frames.
func (t *Thread) printTraceback(head string, exc *Exception) {
	lines := tracebackLines(head, t.traceback, exc)
	t.printLines(lines, lines[0]+" "+exc.Error())
}

// tracebackLines are what CPython prints of an uncaught exception after
// head: "Traceback (most recent call last):", its frames, outermost
// first, and the exception.
func tracebackLines(head string, frames []string, exc *Exception) []string {
	lines := make([]string, 0, len(frames)+3)
	if head != "" {
		lines = append(lines, head)
	}
	lines = append(lines, "Traceback (most recent call last):")
	lines = append(lines, frames...)
	return append(lines, exc.Error())
}

// Traceback returns, while t's except hook runs, the frames of the
// exception it handles as CPython's traceback prints them, outermost
// first: `  File "dir/file.go", line 12, in pkg.function`, the model's
// own frames only (no runtime or scheduler frame; files named by their
// directory and name), from the thread's function down to where the
// exception was raised, so that the text is the same on every run and
// machine. CPython also prints each frame's source line; this does not.
// Outside the hook it returns nil.
func (t *Thread) Traceback() []string { return t.traceback }

// SetExceptHook replaces threading.excepthook for the rest of the
// execution; nil restores [DefaultExceptHook]. Like the assignment to the
// module attribute it is not a step: set it before starting the threads
// it is for.
func (t *Thread) SetExceptHook(h ExceptHook) {
	t.checkLive()
	t.s.excepthook = h
}

// uncaught ends t's function on an exception nothing caught, as CPython's
// thread bootstrap does: the exception is a failure that lets the
// execution go on, recorded where it escaped (before the hook's print,
// a step in which other threads may run); then the hook runs (for the
// main thread, sys.excepthook prints the traceback's first and last
// lines). If the hook raises, CPython prints "Exception in
// threading.excepthook:" and the hook's exception.
func (t *Thread) uncaught(exc *Exception) {
	frames, cut := modelFrames(t.caught)
	t.caught = nil
	t.s.noteUncaught(t, exc, stackText(frames, cut))
	t.traceback = pythonFrames(frames, cut)
	defer func() { t.traceback = nil }()
	switch {
	case t.id == 0:
		if !exc.Matches("SystemExit") {
			t.printTraceback("", exc)
		}
	default:
		hook := t.s.excepthook
		if hook == nil {
			hook = DefaultExceptHook
		}
		if e := t.Try(func() { hook(t, exc) }); e != nil {
			t.PrintLines("Exception in threading.excepthook:", e.Error())
		}
	}
}

// noteUncaught records an uncaught exception as a failure that does not
// stop the execution: a Misuse when a primitive raised it, else an
// UncaughtException, with the model's frames where it was raised as its
// Stack. SystemExit is none, and with Options.UncaughtExceptionsOK
// neither is an exception in a thread other than main (CPython's exit
// status ignores those).
func (s *Scheduler) noteUncaught(t *Thread, exc *Exception, stack string) {
	if exc.Matches("SystemExit") {
		return
	}
	kind := UncaughtException
	if exc.misuse {
		kind = Misuse
	}
	if s.noteUncaughtKind(t, kind, exc.Error()) {
		if f := s.failure; f.Thread == t.id && f.Message == exc.Error() && f.Stack == "" {
			f.Stack = stack
		}
	}
}

// noteUncaughtKind records an uncaught exception of the given kind as a
// failure that does not stop the execution, and reports whether it is
// one (Options.UncaughtExceptionsOK makes none in a thread but main).
func (s *Scheduler) noteUncaughtKind(t *Thread, kind Kind, msg string) bool {
	if s.opts.UncaughtExceptionsOK && t.id != 0 {
		return false
	}
	s.failRanOn(t, kind, msg)
	return true
}

// PrintLines prints several lines (at least one) in one step, as one
// write: Print for a message of several lines, read by the model if any
// of them is (WatchLog). The trace's detail shows them on one line.
func (t *Thread) PrintLines(lines ...string) {
	t.printLines(lines, strings.Join(lines, " "))
}

// printLines is PrintLines with the trace's detail given.
func (t *Thread) printLines(lines []string, detail string) {
	op := t.s.printOp(lines[0])
	for _, l := range lines[1:] {
		if o := t.s.printOp(l); o.Access == Write {
			op = o // the write is read if any of its lines is
		}
	}
	t.Step(op)
	for _, l := range lines {
		t.s.log(t, l)
		if op.Access == Write {
			t.s.logState(l)
		}
	}
	if t.s.opts.Detail {
		t.s.setDetail(detail)
	}
}
