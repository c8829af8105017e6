package visual

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Span kinds: how a thread's lane is drawn between two of its steps.
const (
	spanReady   = "ready"   // pending and enabled, not chosen
	spanBlocked = "blocked" // pending and waiting for another thread or the clock
)

// span is an interval of rows (inclusive) of one thread's lane.
type span struct {
	Thread   sched.ThreadID
	From, To int
	Kind     string
	// Label names what the thread waited for; Until says what ended it.
	Label, Until string
}

// spanner derives a thread's pending intervals from the trace.
type spanner struct {
	names
	trace []sched.Event
}

// gap returns the spans of thread id over rows [a, b], pending operation op
// on obj. end is true for the gap after the last step of a thread that
// never ran again.
func (s spanner) gap(id sched.ThreadID, a, b int, op string, obj sched.ObjID, end bool) []span {
	if a > b {
		return nil
	}
	wake := s.wake(id, a, b, obj)
	if !end && (wake < 0 || (!isBlocking(op) && s.trace[wake].Woken != id)) {
		return []span{{Thread: id, From: a, To: b, Kind: spanReady}}
	}
	if end {
		wake = b
	}
	start := s.blockStart(id, a, wake, op, obj)
	if start > wake {
		if end {
			return []span{{Thread: id, From: a, To: b, Kind: spanReady}}
		}
		start = wake
	}
	var out []span
	if start > a {
		out = append(out, span{Thread: id, From: a, To: start - 1, Kind: spanReady})
	}
	out = append(out, span{Thread: id, From: start, To: wake, Kind: spanBlocked,
		Label: s.waitLabel(id, start, op, obj), Until: s.until(id, wake, end)})
	if wake < b {
		out = append(out, span{Thread: id, From: wake + 1, To: b, Kind: spanReady})
	}
	return out
}

// wake returns the last row in [a, b] that may have enabled thread id's
// pending operation on obj: the clock firing its deadline, or another
// thread writing obj. It returns -1 when there is none.
func (s spanner) wake(id sched.ThreadID, a, b int, obj sched.ObjID) int {
	for i := b; i >= a; i-- {
		e := s.trace[i]
		if e.Thread == sched.ClockID && e.Woken == id {
			return i
		}
		if obj != sched.NoObject && e.Thread != id && e.Thread != sched.ClockID && e.Obj == obj && e.Access == sched.Write {
			return i
		}
	}
	return -1
}

// blockStart returns the first blocked row of a wait over [a, wake]. For an
// acquire of a lock that was free when the thread declared it, the wait
// starts after another thread took the lock.
func (s spanner) blockStart(id sched.ThreadID, a, wake int, op string, obj sched.ObjID) int {
	if !isAcquire(op) || !s.lockLike(obj) {
		return a
	}
	if h := s.holder(obj, a-1); h != sched.NoThread {
		return a
	}
	for i := a; i <= wake; i++ {
		e := s.trace[i]
		if e.Obj == obj && e.Thread != id && isAcquire(e.Op) && e.Detail != "false" {
			return i + 1
		}
	}
	return a
}

// holder returns the thread holding lock-like obj after row i: the last
// thread whose acquire of it succeeded, if no release came after. Lock has
// no owner: "holder" means who took it.
func (s spanner) holder(obj sched.ObjID, i int) sched.ThreadID {
	for ; i >= 0; i-- {
		e := s.trace[i]
		switch {
		case e.Obj != obj:
		case isRelease(e.Op):
			return sched.NoThread
		case isAcquire(e.Op) && e.Detail != "false":
			return e.Thread
		}
	}
	return sched.NoThread
}

// waitLabel says what a thread blocked at row start waits for.
func (s spanner) waitLabel(id sched.ThreadID, start int, op string, obj sched.ObjID) string {
	text := op
	if t := s.object(obj); t != "" {
		text += " " + t
	}
	if isAcquire(op) && s.lockLike(obj) {
		if h := s.holder(obj, start); h != sched.NoThread && h != id {
			text += ", held by " + s.thread(h)
		} else if h == id {
			text += ", held by " + s.thread(id) + " itself"
		}
	}
	return text
}

// until says what ended a wait at row wake.
func (s spanner) until(id sched.ThreadID, wake int, end bool) string {
	if end {
		return "never woken: the execution ended"
	}
	e := s.trace[wake]
	if e.Thread == sched.ClockID {
		return "until the clock fired at " + sched.FormatTime(e.Time) + " (step " + itoa(e.Step) + ")"
	}
	return "until " + s.thread(e.Thread) + "'s " + s.label(e) + " at step " + itoa(e.Step)
}

// lifetime is the rows a thread existed: declared its first operation at
// Born (-1 for the main thread), ran its exit step at Exit (-1 if never).
type lifetime struct {
	Born, Exit int
	Steps      []int
}

// lifetimes returns every thread's lifetime in r.
func lifetimes(r *sched.Result) []lifetime {
	out := make([]lifetime, len(r.Threads))
	for i := range out {
		out[i] = lifetime{Born: -1, Exit: -1}
	}
	for i, e := range r.Trace {
		if e.Child >= 0 && int(e.Child) < len(out) {
			out[e.Child].Born = i
		}
		if e.Thread < 0 || int(e.Thread) >= len(out) {
			continue
		}
		out[e.Thread].Steps = append(out[e.Thread].Steps, i)
		if e.Op == "exit" {
			out[e.Thread].Exit = i
		}
	}
	return out
}

// advance returns how far the clock moved at row i, 0 if it did not.
func advance(trace []sched.Event, i int) time.Duration {
	if i == 0 {
		return trace[0].Time
	}
	return trace[i].Time - trace[i-1].Time
}
