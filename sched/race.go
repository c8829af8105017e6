package sched

// vclock is a vector clock indexed by ThreadID: vc[u] counts the
// synchronising steps of u that happen before the owner's present.
type vclock []uint32

func (v *vclock) grow(n int) {
	for len(*v) < n {
		*v = append(*v, 0)
	}
}

// join sets v to the pointwise maximum of v and w.
func (v *vclock) join(w vclock) {
	if len(*v) < len(w) {
		v.grow(len(w))
	}
	u := (*v)[:len(w)]
	for i, x := range w {
		u[i] = max(u[i], x)
	}
}

// set makes v a copy of w. Clocks are short (one entry per thread), so an
// element loop beats append's call to memmove.
func (v *vclock) set(w vclock) {
	if cap(*v) < len(w) {
		*v = append((*v)[:0], w...)
		return
	}
	u := (*v)[:len(w)]
	for i, x := range w {
		u[i] = x
	}
	*v = u
}

// epoch is one access: by which thread, at which of its clock values, at
// which step, and how.
type epoch struct {
	thread ThreadID
	clock  uint32
	step   int
	access Access
}

// objectClocks is an object's happens-before state: for a Sync object the
// clock of its last operation; for a Data object its last write and the
// reads since. The clock's and the reads' storage comes from the
// scheduler's slabs: every primitive embeds an Object, so its size is
// what every primitive the model creates allocates.
type objectClocks struct {
	vc       vclock
	write    epoch
	reads    []epoch
	reported bool
}

func (h *objectClocks) reset() {
	h.vc, h.reads = nil, nil
	h.write = epoch{thread: NoThread}
	h.reported = false
}

// slab hands out storage (vector clocks, reads) for the objects of one
// execution, so that steady-state executions allocate none. It is
// emptied at the start of every execution, when no object of the last one
// is in use any more.
type slab[T any] struct {
	buf  []T
	used int
}

func (b *slab[T]) reset() { b.used = 0 }

// take returns an empty slice with capacity n.
func (b *slab[T]) take(n int) []T {
	if b.used+n > len(b.buf) {
		b.buf, b.used = make([]T, max(2*len(b.buf), 1024, n)), 0
	}
	v := b.buf[b.used : b.used : b.used+n]
	b.used += n
	return v
}

// Access is one side of a data race.
type RaceAccess struct {
	Thread ThreadID
	Step   int
	Access Access
}

// Race is a pair of conflicting accesses to a Data object that no
// synchronisation orders: First happened earlier in the trace.
type Race struct {
	Obj    ObjID
	First  RaceAccess
	Second RaceAccess
}

// inheritClock gives a new thread its parent's clock (nil: the main
// thread starts with none): everything the parent did before start
// happens before the child's first step.
func inheritClock(parent, t *Thread) {
	t.vc = t.vc[:0]
	if parent != nil {
		// The parent's start step published its clock and then ticked:
		// the child sees the clock as published, not the parent's later
		// steps.
		t.vc.set(parent.vc)
		t.vc[parent.id]--
	}
	t.vc.grow(int(t.id) + 1)
	t.vc[t.id]++
}

// happensBefore takes t's step on o into the vector clocks and checks
// Data objects for races. Until the execution's first step on a Data
// object, a step on a registered Sync object is only logged
// (clocklog.go).
func (s *Scheduler) happensBefore(t *Thread, o *Object, a Access) {
	if o == nil || s.opts.NoRaces {
		return
	}
	if !s.clocksNow {
		if o.class == Sync && s.registered(o) {
			s.clockOps = append(s.clockOps, clockOp{thread: t.id, obj: o.id, child: NoThread})
			return
		}
		s.applyClocks()
	}
	switch o.class {
	case Sync:
		s.syncStep(t, o)
	case Data:
		s.clocksNow = true
		s.checkRace(t, o, a)
	}
}

// syncStep is t's step on Sync object o for the clocks: t's clock takes
// in o's, which then holds the result, and t's own entry ticks.
func (s *Scheduler) syncStep(t *Thread, o *Object) {
	syncClocks(&t.vc, &o.hb.vc, &s.slab)
	t.vc[t.id]++
}

// syncClocks joins an object's clock w into its thread's clock v and
// copies the result into w (an operation on a Sync object), in one pass
// when w has room: w's entries past its length are left from earlier use
// and are overwritten, not joined.
func syncClocks(v, w *vclock, slab *slab[uint32]) {
	if len(*v) < len(*w) {
		v.grow(len(*w))
	}
	if cap(*w) < len(*v) {
		v.join(*w)
		*w = slab.take(2 * len(*v))
		w.set(*v)
		return
	}
	a := *v
	b := (*w)[:len(a)]
	head := b[:len(*w)]
	joined := a[:len(head)]
	for i, x := range head {
		m := max(joined[i], x)
		joined[i], head[i] = m, m
	}
	for i := len(head); i < len(a); i++ {
		b[i] = a[i]
	}
	*w = b
}

func (s *Scheduler) checkRace(t *Thread, o *Object, a Access) {
	h := &o.hb
	now := epoch{thread: t.id, clock: t.vc[t.id], step: s.steps, access: a}
	if s.concurrent(t, h.write) {
		s.addRace(o, h.write, now)
	}
	if a == Read {
		if len(h.reads) == cap(h.reads) {
			h.reads = append(s.reads.take(max(2*cap(h.reads), 4)), h.reads...)
		}
		h.reads = append(h.reads, now)
		return
	}
	for _, r := range h.reads {
		if s.concurrent(t, r) {
			s.addRace(o, r, now)
		}
	}
	h.write, h.reads = now, h.reads[:0]
}

// concurrent reports whether access e of another thread is not ordered
// before t's present.
func (s *Scheduler) concurrent(t *Thread, e epoch) bool {
	if e.thread == NoThread || e.thread == t.id {
		return false
	}
	return int(e.thread) >= len(t.vc) || t.vc[e.thread] < e.clock
}

func (s *Scheduler) addRace(o *Object, first, second epoch) {
	if o.hb.reported {
		return
	}
	o.hb.reported = true
	s.result.Races = append(s.result.Races, Race{
		Obj:    o.id,
		First:  RaceAccess{Thread: first.thread, Step: first.step, Access: first.access},
		Second: RaceAccess{Thread: second.thread, Step: second.step, Access: second.access},
	})
}
