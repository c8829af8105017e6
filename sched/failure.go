package sched

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of a failure. Distinct bugs have distinct kinds, so that
// minimisation never trades one bug for another.
type Kind uint8

const (
	// Assertion: a property the model checks with Assert is false.
	Assertion Kind = iota + 1
	// Panic: a thread panicked.
	Panic
	// Deadlock: no thread can run, no deadline is pending, and a
	// non-daemon thread has not finished.
	Deadlock
	// Misuse: an operation CPython rejects with an exception (releasing
	// an unlocked Lock, over-releasing a BoundedSemaphore, ...) that
	// nothing caught. Like an UncaughtException it ends only its thread.
	Misuse
	// StepLimit: the execution ran out of steps (Options.MaxSteps): a
	// livelock, an unfair schedule, or a loop that needs more steps. One
	// execution cannot tell them apart: explore's stateless searches and
	// the threadsim command report it as undecided, no failure.
	StepLimit
	// DataRace: two conflicting accesses to a shared variable are not
	// ordered by happens-before.
	DataRace
	// Diverged: a replayed schedule no longer fits the model.
	Diverged
	// Livelock: stateful exploration found a cycle of states that a fair
	// scheduler can follow forever, so the program never ends.
	Livelock
	// UncaughtException: an exception the model raised ended a thread
	// (threading.excepthook ran) or the main function. The execution goes
	// on, as in CPython: the failure does not stop it (Failure.RanOn), and
	// the first one is the execution's failure.
	UncaughtException
)

var kindNames = [...]string{"", "assertion", "panic", "deadlock", "misuse", "step-limit", "data-race", "diverged",
	"livelock", "uncaught-exception"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && k > 0 {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind returns the Kind named s.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s && i > 0 {
			return Kind(i), true
		}
	}
	return 0, false
}

// Failure says why an execution failed.
type Failure struct {
	Kind Kind
	// Thread is the thread that failed, or NoThread (deadlock, step limit).
	Thread ThreadID
	// ThreadName is its name.
	ThreadName string
	// Step is the step at which it failed.
	Step int
	// Message says what went wrong, in CPython's words where it has them.
	Message string
	// Stack is the failing thread's Go stack, for a panic.
	Stack string
	// Threads is every thread's state when the execution ended.
	Threads []ThreadState
	// RanOn reports that the execution went on after the failure to the
	// program's end (an uncaught exception ends only its thread); Threads
	// are then the states when it was recorded. A later failure that
	// stops the execution clears it and adds its own line to Message.
	RanOn bool
}

// ThreadState is a thread's state at the end of a failed execution.
type ThreadState struct {
	Thread ThreadID
	Name   string
	// State is "finished", "runnable", "blocked", "frozen", or "raised
	// KIND" for the thread that failed.
	State string
	// Op and Object are the pending operation and what it touches.
	Op     string
	Object string
	// Why says what the thread waits for ("held by Thread-2"), if known.
	Why string
	// Where is the model's source location of the pending operation
	// (Thread.SetWhere), if the model gives one.
	Where string
}

func (ts ThreadState) String() string {
	s := ts.Name + ": " + ts.State
	if ts.Op != "" {
		s += " "
		if !strings.HasPrefix(ts.Op, "after ") {
			s += "in "
		}
		s += ts.Op
		if ts.Object != "" {
			s += " on " + ts.Object
		}
	}
	if ts.Why != "" {
		s += " (" + ts.Why + ")"
	}
	if ts.Where != "" {
		s += " at " + ts.Where
	}
	return s
}

// Error returns the failure as one line.
func (f *Failure) Error() string {
	msg := f.Kind.String()
	if f.ThreadName != "" {
		msg += " in " + f.ThreadName
	}
	msg += " at step " + strconv.Itoa(f.Step) + ": " + f.Message
	return msg
}

// Describe returns the failure with every thread's state, one per line.
func (f *Failure) Describe() string {
	var b strings.Builder
	b.WriteString(f.Error())
	for _, ts := range f.Threads {
		b.WriteString("\n  " + ts.String())
	}
	if f.Stack != "" {
		b.WriteString("\n" + f.Stack)
	}
	return b.String()
}

// fail records a failure that stops the execution. After an uncaught
// exception that let it go on, the exception stays the failure (it came
// first, and is likely the cause), no longer RanOn, with this one's line
// added to its message and the threads' states when it stopped.
func (s *Scheduler) fail(t *Thread, kind Kind, msg string) {
	switch {
	case s.failure == nil:
		s.failure = s.newFailure(t, kind, msg)
	case s.failure.RanOn:
		stop := s.newFailure(t, kind, msg)
		s.failure.RanOn = false
		s.failure.Message += "; then " + stop.Error()
		s.failure.Threads = stop.Threads
	}
}

// failRanOn records a failure that lets the execution go on, unless one
// was already recorded.
func (s *Scheduler) failRanOn(t *Thread, kind Kind, msg string) {
	if s.failure == nil {
		s.failure = s.newFailure(t, kind, msg)
		s.failure.RanOn = true
	}
}

// FailedRunningOn reports whether the execution has failed with a failure
// that lets it go on (an uncaught exception, Failure.RanOn): a chooser
// that stops it there keeps the failure.
func (s *Scheduler) FailedRunningOn() bool { return s.failure != nil && s.failure.RanOn }

// halted reports whether a failure stopped the execution.
func (s *Scheduler) halted() bool { return s.failure != nil && !s.failure.RanOn }

func (s *Scheduler) newFailure(t *Thread, kind Kind, msg string) *Failure {
	f := &Failure{Kind: kind, Thread: NoThread, Step: s.steps, Message: msg}
	if t != nil {
		f.Thread, f.ThreadName = t.id, t.name
	}
	f.Threads = s.threadStates()
	if t != nil { // it is running: its pending operation is the one it completed
		ts := &f.Threads[t.id]
		ts.State, ts.Why = "raised "+kind.String(), ""
		if ts.Op != "" {
			ts.Op = "after " + ts.Op
		}
	}
	return f
}

func (s *Scheduler) failPanic(t *Thread, msg, stack string) {
	s.fail(t, Panic, "panic: "+msg)
	if s.failure.Kind == Panic {
		s.failure.Stack = stack
	}
}

func (s *Scheduler) failDeadlock() {
	var blocked []string
	for _, t := range s.threads {
		if t.state == live && !t.daemon {
			blocked = append(blocked, t.name)
		}
	}
	s.fail(nil, Deadlock, "no thread can run and no deadline is pending; blocked: "+strings.Join(blocked, ", "))
}

func (s *Scheduler) failStepLimit() {
	s.fail(nil, StepLimit, fmt.Sprintf("no end after %d steps (a livelock, an unfair schedule, or a loop that needs more steps: raise the limit)", s.steps))
}

// threadStates describes every thread for a failure report.
func (s *Scheduler) threadStates() []ThreadState {
	out := make([]ThreadState, 0, len(s.threads))
	for _, t := range s.threads {
		out = append(out, s.threadState(t))
	}
	return out
}

func (s *Scheduler) threadState(t *Thread) ThreadState {
	ts := ThreadState{Thread: t.id, Name: t.name, Where: t.where}
	switch {
	case t.state == finished:
		ts.State = "finished"
		return ts
	case t.state == dead:
		ts.State = "frozen"
		return ts
	case t.state == exiting:
		ts.State, ts.Op = "runnable", "exit"
		return ts
	case t.enabled():
		ts.State = "runnable"
	default:
		ts.State = "blocked"
	}
	ts.Op = t.pend.Name
	if t.pend.Obj != nil {
		ts.Object = t.pend.Obj.String()
	}
	if h, ok := t.pend.Wait.(Holder); ok && ts.State == "blocked" {
		ts.Why = h.Holder(t)
	}
	if t.waiting {
		ts.Why = strings.TrimPrefix(ts.Why+", until "+FormatTime(t.deadline), ", ")
	}
	return ts
}
