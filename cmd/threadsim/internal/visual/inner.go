package visual

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// InnerObjects returns the objects that belong to another object: those
// named "P.x" where P names another object of the execution (the Lock
// 'event.lock' inside Event 'event', the queue inside Executor 'pool').
func InnerObjects(r *sched.Result) map[sched.ObjID]bool {
	names := map[string]bool{}
	for _, o := range r.Objects {
		if o.Kind != "Thread" {
			names[o.Name] = true
		}
	}
	inner := map[sched.ObjID]bool{}
	for _, o := range r.Objects {
		for i := strings.LastIndexByte(o.Name, '.'); i > 0; i = strings.LastIndexByte(o.Name[:i], '.') {
			if names[o.Name[:i]] {
				inner[o.ID] = true
				break
			}
		}
	}
	return inner
}

// IsInner reports whether step e is one of a primitive's inner steps,
// which compact views leave out: a step on an inner object that neither
// fires the clock nor starts a thread.
func IsInner(e sched.Event, inner map[sched.ObjID]bool) bool {
	return inner[e.Obj] && e.Thread != sched.ClockID && e.Child == sched.NoThread
}

// markInner marks the rows of inner steps and returns their number.
func markInner(p *page, r *sched.Result) int {
	inner := InnerObjects(r)
	n := 0
	for i, e := range r.Trace {
		if IsInner(e, inner) && i != len(r.Trace)-1 { // the last step stays in view
			p.Rows[i].Inner = true
			n++
		}
	}
	return n
}

// livelockCycle finds "steps A to B lead back" in a livelock's message.
var livelockCycle = regexp.MustCompile(`steps (\d+) to (\d+) lead back`)

// markCycle marks the rows of a livelock's cycle.
func markCycle(p *page, r *sched.Result) {
	if r.Failure == nil || r.Failure.Kind != sched.Livelock {
		return
	}
	m := livelockCycle.FindStringSubmatch(r.Failure.Message)
	if m == nil {
		return
	}
	from, _ := strconv.Atoi(m[1])
	to, _ := strconv.Atoi(m[2])
	for i := from; i <= to && i < len(p.Rows); i++ {
		p.Rows[i].Cycle = true
	}
}
