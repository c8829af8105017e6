package sched

import (
	"fmt"
	"slices"
	"time"
)

// Event is one step of an execution.
type Event struct {
	// Step is the event's index in the trace.
	Step int
	// Time is the virtual time at which it ran.
	Time time.Duration
	// Thread ran it; ClockID for a fired deadline.
	Thread ThreadID
	// Op is the operation ("acquire", "read", "fire", ...).
	Op string
	// Obj is the object touched, or NoObject.
	Obj ObjID
	// Access is how Obj was touched, as it turned out.
	Access Access
	// ClockRead is set when the step read the virtual time (registered a
	// deadline or called Now): it is then dependent with fired deadlines.
	ClockRead bool
	// Child is the thread this step started, or NoThread.
	Child ThreadID
	// Woken is the thread whose deadline this fire reached, or NoThread.
	Woken ThreadID
	// Decision is the decision that chose this step, or -1 when the step
	// was forced.
	Decision int
	// Preemption reports whether the step preempted an enabled thread.
	Preemption bool
	// Detail is the operation's result, recorded with Options.Detail.
	Detail string
	// Where is the source location the model gave the step (SetWhere in
	// external.go).
	Where string
	// (record sets every field, without zeroing the event first: a new
	// field must be set there.)
}

// LogLine is a line a thread printed with Log.
type LogLine struct {
	Step   int
	Time   time.Duration
	Thread ThreadID
	Text   string
}

// ThreadInfo describes a thread of an execution.
type ThreadInfo struct {
	ID     ThreadID
	Name   string
	Path   string
	Parent ThreadID
	Daemon bool
}

// ObjectInfo describes an object of an execution.
type ObjectInfo struct {
	ID    ObjID
	Class ObjectClass
	Kind  string
	Name  string
}

// String returns "Kind 'name'".
func (o ObjectInfo) String() string { return o.Kind + " '" + o.Name + "'" }

// FormatTime renders virtual time as the article's logs do: 00:00:02.000.
func FormatTime(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// record adds t's step, about to be taken, to the trace. It sets every
// field of the event (nextEvent would zero it first, at every step).
func (s *Scheduler) record(t *Thread) {
	var e *Event
	if s.opts.NoTrace {
		e = s.nextEvent()
	} else {
		tr := roomFor(s.result.Trace)
		tr = tr[:len(tr)+1]
		s.result.Trace = tr
		e = &tr[len(tr)-1]
	}
	e.Step, e.Time, e.Thread, e.Op = s.steps, s.now, t.id, t.pend.Name
	e.Obj, e.Access, e.ClockRead, e.Child, e.Woken = objID(t.pend.Obj), t.pend.Access, false, NoThread, NoThread
	e.Decision, e.Preemption, e.Detail, e.Where = s.decisionOf(), s.preempted(), "", t.where
}

// nextEvent returns the event of the step being taken, zeroed, for the
// caller to fill: a new last element of the trace (filled in place: an
// Event is a dozen words, and this runs at every step), or with
// Options.NoTrace the one event kept.
func (s *Scheduler) nextEvent() *Event {
	if s.opts.NoTrace {
		s.lone, s.hasLone = Event{}, true
		return &s.lone
	}
	tr := roomFor(s.result.Trace)
	tr = tr[:len(tr)+1]
	s.result.Trace = tr
	e := &tr[len(tr)-1]
	*e = Event{}
	return e
}

// lastEvent returns the current step's event, to complete it, or nil
// before the first step.
func (s *Scheduler) lastEvent() *Event {
	if s.opts.NoTrace {
		if !s.hasLone {
			return nil
		}
		return &s.lone
	}
	if n := len(s.result.Trace); n > 0 {
		return &s.result.Trace[n-1]
	}
	return nil
}

// LastEvent returns the event of the last step taken, with or without
// Options.NoTrace; false before the first step.
func (s *Scheduler) LastEvent() (Event, bool) {
	if e := s.lastEvent(); e != nil {
		return *e, true
	}
	return Event{}, false
}

// roomFor returns s with room for one more element, doubling its capacity
// when it is full: append grows a large slice by a quarter at a time, and
// a stateful run of millions of steps would spend much of its time copying
// its trace and log.
func roomFor[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 64))
}

func objID(o *Object) ObjID {
	if o == nil {
		return NoObject
	}
	return o.id
}

// decisionOf returns the decision of the step being recorded, -1 if forced.
func (s *Scheduler) decisionOf() int {
	if s.choice.N > 1 {
		return s.lastDecision
	}
	return -1
}

func (s *Scheduler) preempted() bool {
	return s.choice.N > 1 && s.choice.CurrentEnabled && s.lastDecision != 0
}

func (s *Scheduler) setDetail(text string) {
	if e := s.lastEvent(); e != nil {
		e.Detail = text
	}
}

func (s *Scheduler) setAccess(a Access) {
	if e := s.lastEvent(); e != nil {
		e.Access = a
	}
}

// readClock marks the current step as reading the virtual time.
func (s *Scheduler) readClock() {
	if e := s.lastEvent(); e != nil {
		e.ClockRead = true
	}
}

func (s *Scheduler) log(t *Thread, text string) {
	if !s.opts.NoTrace {
		s.result.Logs = append(roomFor(s.result.Logs), LogLine{Step: s.steps - 1, Time: s.now, Thread: t.id, Text: text})
	}
}
