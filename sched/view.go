package sched

import "time"

// Read-only views of a scheduler's state, for choosers that reason about
// pending operations (exhaustive exploration with partial-order
// reduction). None of them changes the execution.

// Pending returns the operation t has declared and not yet completed. After
// the execution ended it is the operation the thread was parked in; for a
// thread that failed in its own code it is the step it completed last.
func (t *Thread) Pending() Op { return t.pend }

// Enabled reports whether t's pending operation can complete now.
func (t *Thread) Enabled() bool { return t.enabled() }

// Finished reports whether t has run to its end (its exit step included).
func (t *Thread) Finished() bool { return t.state == finished }

// Deadline reports the virtual time of t's registered deadline, if any.
func (t *Thread) Deadline() (at time.Duration, ok bool) {
	return t.deadline, t.waiting && t.state == live
}

// Trace returns the events of the current execution so far. The slice
// belongs to the scheduler: do not keep or modify it.
func (s *Scheduler) Trace() []Event { return s.result.Trace }

// Decisions returns the number of real choices (N > 1) made so far in
// the current execution.
func (s *Scheduler) Decisions() int { return len(s.result.Decisions) }
