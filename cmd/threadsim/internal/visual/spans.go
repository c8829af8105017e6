package visual

import (
	"slices"
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

// spanner draws a thread's pending intervals from what the scheduler
// recorded: when each thread was blocked and which step enabled it
// (sched.Result.Blocks, recorded with Options.Detail).
type spanner struct {
	names
	trace  []sched.Event
	blocks map[sched.ThreadID][]sched.Block // by thread, in order
}

func newSpanner(n names, r *sched.Result) spanner {
	s := spanner{names: n, trace: r.Trace, blocks: map[sched.ThreadID][]sched.Block{}}
	for _, b := range r.Blocks {
		s.blocks[b.Thread] = append(s.blocks[b.Thread], b)
	}
	for _, bs := range s.blocks {
		slices.SortFunc(bs, func(x, y sched.Block) int { return x.From - y.From })
	}
	return s
}

// gap returns the spans of thread id over rows [a, b], pending operation op
// on obj: blocked where the scheduler found it blocked, runnable but not
// chosen elsewhere.
func (s spanner) gap(id sched.ThreadID, a, b int, op string, obj sched.ObjID) []span {
	if a > b {
		return nil
	}
	var out []span
	at := a
	for _, bl := range s.blocks[id] {
		from, to := max(bl.From, a), min(bl.To, b)
		if from > to {
			continue
		}
		if from > at {
			out = append(out, span{Thread: id, From: at, To: from - 1, Kind: spanReady})
		}
		out = append(out, span{Thread: id, From: from, To: to, Kind: spanBlocked,
			Label: s.waitLabel(id, from, op, obj), Until: s.until(bl.By)})
		at = to + 1
	}
	if at <= b {
		out = append(out, span{Thread: id, From: at, To: b, Kind: spanReady})
	}
	return out
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

// until says what ended a wait: the step by that enabled the thread, or
// none (-1).
func (s spanner) until(by int) string {
	if by < 0 || by >= len(s.trace) {
		return "never woken: the execution ended"
	}
	e := s.trace[by]
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
