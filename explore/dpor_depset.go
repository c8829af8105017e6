package explore

import "github.com/threadsim/threadsim/sched"

// depSet summarises a sequence of events so that whether an event is
// dependent with one of them (dependent, dpor_dep.go) is answered without
// going through the sequence: optimal DPOR asks it of every sibling in a
// wakeup tree it descends, against the whole rest of a reversal
// (odporInsert). It must agree with dependent exactly, case by case
// (TestDepSetAgreesWithDependent); a change to dependent needs the same
// change here.
//
// Threads and objects are marked with a generation number, so that reset
// does not clear them.
type depSet struct {
	gen     uint32
	threads []uint32 // by threadIndex: gen if an event of the thread is in the set
	firstAt []int    // by threadIndex: the position of the thread's first event
	woken   []uint32 // gen if a fire in the set woke the thread
	objs    []uint32 // by object: gen if an event touched it
	written []uint32 // gen if an event wrote it
	// any: an event dependent with everything; clock: a fire; clockRead:
	// an event that read the clock; ends: the step that ended the program;
	// daemon: a daemon's step.
	any, clock, clockRead, ends, daemon bool
}

// reset empties the set.
func (ds *depSet) reset() {
	ds.gen++
	if ds.gen == 0 { // wrapped: old marks could match again
		clear(ds.threads)
		clear(ds.woken)
		clear(ds.objs)
		clear(ds.written)
		ds.gen = 1
	}
	ds.any, ds.clock, ds.clockRead, ds.ends, ds.daemon = false, false, false, false, false
}

// threadIndex maps a thread to its slot: the clock first.
func threadIndex(t sched.ThreadID) int {
	if t == sched.ClockID {
		return 0
	}
	return int(t) + 1
}

// mark sets slot i of marks to gen, growing it as needed.
func (ds *depSet) mark(marks *[]uint32, i int) {
	if i >= len(*marks) {
		*marks = append(*marks, make([]uint32, i+1-len(*marks))...)
	}
	(*marks)[i] = ds.gen
}

func (ds *depSet) marked(marks []uint32, i int) bool { return i < len(marks) && marks[i] == ds.gen }

// add puts event g, at position at of the sequence, in the set.
func (ds *depSet) add(g sig, at int) {
	if t := threadIndex(g.thread); !ds.marked(ds.threads, t) {
		ds.mark(&ds.threads, t)
		if t >= len(ds.firstAt) {
			ds.firstAt = append(ds.firstAt, make([]int, t+1-len(ds.firstAt))...)
		}
		ds.firstAt[t] = at
	}
	if g.obj != sched.NoObject {
		ds.mark(&ds.objs, int(g.obj))
		if g.access == sched.Write {
			ds.mark(&ds.written, int(g.obj))
		}
	}
	if g.thread == sched.ClockID {
		ds.clock = true
		if g.woken != sched.NoThread {
			ds.mark(&ds.woken, threadIndex(g.woken))
		}
	}
	ds.any = ds.any || g.any
	ds.clockRead = ds.clockRead || g.clockRead
	ds.ends = ds.ends || g.ends
	ds.daemon = ds.daemon || g.daemon
}

// dependent reports whether g is dependent with some event of the set,
// as dependent(x, g) for each x would: the same cases in the same order.
func (ds *depSet) dependent(g sig) bool {
	if ds.marked(ds.threads, threadIndex(g.thread)) {
		return true // the same thread
	}
	if ds.any || (g.any && ds.nonEmpty()) {
		return true
	}
	if g.obj != sched.NoObject && ds.marked(ds.objs, int(g.obj)) &&
		(ds.marked(ds.written, int(g.obj)) || g.access == sched.Write || mutReadRead) {
		return true
	}
	if ds.clock && (g.clockRead || ds.marked(ds.woken, threadIndex(g.thread))) {
		return true // a fire of the set and g
	}
	if g.thread == sched.ClockID && (ds.clockRead || (g.woken != sched.NoThread && ds.marked(ds.threads, threadIndex(g.woken)))) {
		return true // g a fire and an event of the set
	}
	return (ds.ends && (g.daemon || g.thread == sched.ClockID)) || (g.ends && (ds.daemon || ds.clock))
}

// first returns the position of thread t's first event in the set, or
// -1.
func (ds *depSet) first(t sched.ThreadID) int {
	if i := threadIndex(t); ds.marked(ds.threads, i) {
		return ds.firstAt[i]
	}
	return -1
}

// nonEmpty reports whether an event was added since reset: each one marks
// its thread.
func (ds *depSet) nonEmpty() bool {
	for _, m := range ds.threads {
		if m == ds.gen {
			return true
		}
	}
	return false
}
