package sched

import (
	"slices"
	"time"
)

// Result is what one execution produced.
type Result struct {
	// Trace is every step, in order (none with Options.NoTrace).
	Trace []Event
	// Logs are the lines printed, in order (none with Options.NoTrace).
	Logs []LogLine
	// Steps is the number of steps taken: len(Trace), with a trace.
	Steps int
	// Decisions are the decisions taken at real choices (N > 1): the
	// execution's schedule.
	Decisions []int
	// Preemptions counts the decisions that preempted an enabled thread.
	Preemptions int
	// Outcome is what the model recorded with Thread.Outcome.
	Outcome string
	// Failure is why the execution failed, or nil.
	Failure *Failure
	// Stopped reports that the chooser ended the execution early (Stop).
	Stopped bool
	// Races are the data races seen, first access order.
	Races []Race
	// Threads and Objects describe the execution's threads and objects.
	Threads []ThreadInfo
	Objects []ObjectInfo
	// Time is the virtual time at the end.
	Time time.Duration
	// Blocks are the intervals in which threads were blocked, in the order
	// they ended (with Options.Detail only).
	Blocks []Block
}

func (r *Result) reset() {
	r.Trace, r.Logs, r.Decisions = r.Trace[:0], r.Logs[:0], r.Decisions[:0]
	r.Races, r.Threads, r.Objects, r.Blocks = r.Races[:0], r.Threads[:0], r.Objects[:0], r.Blocks[:0]
	r.Preemptions, r.Outcome, r.Failure, r.Stopped, r.Time, r.Steps = 0, "", nil, false, 0, 0
}

func (r *Result) addDecision(d int, preemption bool) {
	r.Decisions = append(r.Decisions, d)
	if preemption {
		r.Preemptions++
	}
}

// Interrupted reports whether a failure stopped the execution before the
// program's end (every failure but one that ran on, Failure.RanOn).
func (r *Result) Interrupted() bool { return r.Failure != nil && !r.Failure.RanOn }

// Failed reports whether the execution failed or raced.
func (r *Result) Failed() bool { return r.Failure != nil || len(r.Races) > 0 }

// Clone returns a deep copy that the scheduler will not overwrite.
func (r *Result) Clone() *Result {
	c := *r
	c.Trace = slices.Clone(r.Trace)
	c.Logs = slices.Clone(r.Logs)
	c.Decisions = slices.Clone(r.Decisions)
	c.Races = slices.Clone(r.Races)
	c.Threads = slices.Clone(r.Threads)
	c.Objects = slices.Clone(r.Objects)
	c.Blocks = slices.Clone(r.Blocks)
	if r.Failure != nil {
		f := *r.Failure
		f.Threads = slices.Clone(r.Failure.Threads)
		c.Failure = &f
	}
	return &c
}

// ThreadName returns the name of thread id, "clock" for ClockID.
func (r *Result) ThreadName(id ThreadID) string {
	if id == ClockID {
		return "clock"
	}
	if id >= 0 && int(id) < len(r.Threads) {
		return r.Threads[id].Name
	}
	return "?"
}

// ObjectName returns "Kind 'name'" for obj, "" for NoObject.
func (r *Result) ObjectName(obj ObjID) string {
	if obj >= 0 && int(obj) < len(r.Objects) {
		return r.Objects[obj].String()
	}
	return ""
}

// finishResult completes the result. The threads and objects of an
// execution are mostly those of the last one, whose descriptions are
// still in the slices' arrays (reset keeps them): equal ones are kept
// rather than written again, which, while the collector marks, would
// cost a write barrier per string.
func (s *Scheduler) finishResult() *Result {
	r := &s.result
	r.Failure, r.Stopped, r.Time, r.Steps = s.failure, s.stopped, s.now, s.steps
	for _, t := range s.threads {
		r.Threads = appendNew(r.Threads, ThreadInfo{ID: t.id, Name: t.name, Path: t.path, Parent: t.parent, Daemon: t.daemon})
	}
	for _, o := range s.objects {
		r.Objects = appendNew(r.Objects, ObjectInfo{ID: o.id, Class: o.class, Kind: o.kind, Name: o.name})
	}
	return r
}

// appendNew appends x to s, writing it only when the array does not
// already hold it there.
func appendNew[T comparable](s []T, x T) []T {
	if n := len(s); n < cap(s) && s[:n+1][n] == x {
		return s[:n+1]
	}
	return append(s, x)
}
