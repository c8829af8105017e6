package visual

import (
	"github.com/threadsim/threadsim/sched"
)

// paintLifetimes marks the rows before a thread was started and after it
// exited, and fills the end row.
func paintLifetimes(p *page, r *sched.Result, life []lifetime) {
	p.End = make([]cell, len(p.Lanes))
	p.End[0].Lane = "clock"
	for id, l := range life {
		j := laneIndex(sched.ThreadID(id))
		for i := range p.Rows {
			if i <= l.Born || (l.Exit >= 0 && i > l.Exit) {
				p.Rows[i].Cells[j].State = stateOutside(i, l)
			}
		}
		p.End[j] = cell{Lane: laneKey(sched.ThreadID(id))}
		if l.Exit >= 0 {
			p.End[j].State, p.End[j].Label = "done", "finished"
		}
	}
}

func stateOutside(i int, l lifetime) string {
	if i <= l.Born {
		return "unborn"
	}
	return "done"
}

// paintSpans draws every thread's pending intervals: the gaps between its
// steps, and after its last step if it never finished.
func paintSpans(p *page, r *sched.Result, n names, life []lifetime) {
	s := newSpanner(n, r)
	for id, l := range life {
		tid := sched.ThreadID(id)
		prev := l.Born
		for _, i := range l.Steps {
			e := r.Trace[i]
			paint(p, s.gap(tid, prev+1, i-1, e.Op, e.Obj))
			prev = i
		}
		if l.Exit < 0 {
			paintEnd(p, r, s, tid, prev+1)
		}
	}
}

// paintEnd draws the gap of a thread that never finished, from row a to the
// end, and its state in the end row.
func paintEnd(p *page, r *sched.Result, s spanner, id sched.ThreadID, a int) {
	end := &p.End[laneIndex(id)]
	ts, ok := threadState(r.Failure, id)
	if !ok {
		end.State, end.Label = "ready", "frozen: the program ended first"
		paint(p, []span{{Thread: id, From: a, To: len(r.Trace) - 1, Kind: spanReady, Label: "pending when the program ended"}})
		return
	}
	end.Label = ts.String()
	switch ts.State {
	case "blocked":
		end.State = "blocked"
		obj := objectNamed(r, ts.Object)
		sp := s.gap(id, a, len(r.Trace)-1, ts.Op, obj)
		for i := range sp {
			if sp[i].Kind == spanBlocked {
				sp[i].Label = waitText(ts, s.object(obj))
			}
		}
		paint(p, sp)
	case "finished":
		end.State = "done"
	default:
		end.State = "ready"
		paint(p, []span{{Thread: id, From: a, To: len(r.Trace) - 1, Kind: spanReady, Label: ts.String()}})
	}
}

// waitText is what a thread blocked at the end waits for; obj is its
// object as shown.
func waitText(ts sched.ThreadState, obj string) string {
	s := ts.Op
	if obj == "" {
		obj = ts.Object
	}
	if obj != "" {
		s += " " + obj
	}
	if ts.Why != "" {
		s += ", " + ts.Why
	}
	return s
}

// threadState returns thread id's state in failure f.
func threadState(f *sched.Failure, id sched.ThreadID) (sched.ThreadState, bool) {
	if f == nil {
		return sched.ThreadState{}, false
	}
	for _, ts := range f.Threads {
		if ts.Thread == id {
			return ts, true
		}
	}
	return sched.ThreadState{}, false
}

// objectNamed returns the object whose "Kind 'name'" is s, or NoObject.
func objectNamed(r *sched.Result, s string) sched.ObjID {
	for _, o := range r.Objects {
		if o.String() == s {
			return o.ID
		}
	}
	return sched.NoObject
}

// paint applies spans to the cells of their lanes; the first cell of a
// span carries its label.
func paint(p *page, spans []span) {
	for _, sp := range spans {
		j := laneIndex(sp.Thread)
		at := labelRow(p, sp)
		for i := sp.From; i <= sp.To && i < len(p.Rows); i++ {
			c := &p.Rows[i].Cells[j]
			c.State = sp.Kind
			if i == at {
				c.Title = spanTitle(sp)
				c.Start, c.Label, c.Until = true, sp.Label, sp.Until
				c.Float = sp.To-at >= 2
			}
		}
	}
}

// labelRow is the row that carries sp's label: its first row shown when
// the inner steps are hidden, its first row if none is.
func labelRow(p *page, sp span) int {
	for i := sp.From; i <= sp.To && i < len(p.Rows); i++ {
		if !p.Rows[i].Inner {
			return i
		}
	}
	return sp.From
}

// spanTitle is a span's hover text.
func spanTitle(sp span) string {
	switch {
	case sp.Kind == spanBlocked:
		return "blocked in " + sp.Label + "; " + sp.Until
	case sp.Label != "":
		return sp.Label
	}
	return "runnable, not chosen"
}

// markPreemptions marks each preempting step and, in the lane of the thread
// it preempted, the row where that thread lost the processor.
func markPreemptions(p *page, r *sched.Result, n names) {
	cur := sched.NoThread
	for i, e := range r.Trace {
		if e.Preemption && cur != sched.NoThread {
			p.Rows[i].Cells[laneIndex(cur)].Mark = "preempted by " + n.thread(e.Thread)
			if v := p.Rows[i].Cells[laneIndex(e.Thread)].Step; v != nil {
				v.Preempts = n.thread(cur)
			}
		}
		if e.Thread != sched.ClockID {
			cur = e.Thread
		}
	}
}

// stepAt returns the card of step i, or nil.
func stepAt(p *page, r *sched.Result, i int) *stepView {
	if i < 0 || i >= len(r.Trace) {
		return nil
	}
	return p.Rows[i].Cells[laneIndex(r.Trace[i].Thread)].Step
}
