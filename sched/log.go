package sched

// What a model reads of its log (the package doc's "The log").
//
// A print is a step on the shared output. Nothing in the scheduler reads
// the lines: only the model can, through Go values it keeps beside the log
// (a transcript its assertions and outcomes read). So the model declares
// what it reads, and that decides how prints depend on each other:
//
//   - by default every line is read: a print writes the output, so two
//     prints of different threads are dependent and exploration orders
//     them both ways;
//   - after ForgetLog nothing is read: a print touches no shared object
//     (its Op has Access None), so it commutes with every step of the
//     other threads;
//   - after WatchLog(read) only the lines read reports true for are read:
//     those are writes of the output, ordered among themselves; the others
//     commute with everything.
//
// Every print stays in the trace and the log, as a step of its thread,
// whatever the rule. With a rule that lets prints commute, equivalent
// executions may show the lines in different orders; exploration runs one
// of them.

// logMode is what a model reads of its log.
type logMode uint8

const (
	logAll  logMode = iota // every line (the default)
	logNone                // nothing: ForgetLog
	logSome                // the lines a filter keeps: WatchLog
)

// logRule is the model's declaration, reset at every execution.
type logRule struct {
	mode logMode
	read func(line string) bool
}

// ForgetLog declares that nothing in the model reads what it printed: no
// assertion, outcome or later step depends on the lines or their order.
// Prints then commute with every step of the other threads (exploration
// does not order them), and the log leaves the state, as printf in SPIN.
// Models whose properties read their own transcript must call WatchLog
// instead, or nothing.
func (t *Thread) ForgetLog() {
	t.checkLive()
	t.s.logReads = logRule{mode: logNone}
	if t.s.state.on {
		t.s.state.forgetLog = true
		t.s.state.program = 0
		t.s.dirtyProgram()
	}
}

// WatchLog declares that the model reads only the printed lines for which
// read reports true (an outcome built from the "finishing" lines, say),
// and of those only their text and their order among themselves: the
// model keeps the lines it reads itself (a transcript) and must keep no
// other. Prints of those lines are writes of the output, ordered among
// themselves and kept in the state; every other print commutes with every
// step of the other threads and leaves the state, as after ForgetLog.
// read must be a pure function of the line. Call it before the first
// print: a line printed earlier was ordered as if read.
func (t *Thread) WatchLog(read func(line string) bool) {
	t.checkLive()
	t.s.logReads = logRule{mode: logSome, read: read}
}

// printOp is the step that prints text: a write of the output when the
// model reads the line (Log passes no text when nothing reads it), else a
// step on the output that touches nothing another thread reads.
func (s *Scheduler) printOp(text string) Op {
	if s.logReads.mode == logNone || (s.logReads.mode == logSome && !s.logReads.read(text)) {
		return Op{Name: "print", Obj: &s.stdout, Access: None}
	}
	return Op{Name: "print", Obj: &s.stdout, Access: Write}
}
