package sched

import (
	"encoding/binary"
	"fmt"
)

// # The state of an execution
//
// Stateful exploration needs to know when two scheduling points are the
// same state: when every future of one is a future of the other. With
// Options.State set, the scheduler keeps a fingerprint of the state at
// every scheduling point. The state is made of components, each encoded
// as bytes:
//
//   - the program: the "Thread-N" counter, and the printed lines the
//     model reads (none after [Thread.ForgetLog], those its filter keeps
//     after [Thread.WatchLog]);
//   - each thread: whether it is live, exiting or finished, its pending
//     operation (name, object, access, timed), its deadline relative to
//     now, whether the clock woke it, and its local state (none once it
//     finished, after [Thread.ForgetFinished]);
//   - each object: its kind and what its primitive encodes with
//     [State.AppendState] (a lock's owner and count, a queue's items and
//     waiters, a variable's value).
//
// Time itself is not part of the state: deadlines are relative to now,
// so a loop that only waits for time to pass comes back to a state it has
// been in. A thread that reads the clock observes it (below), but two
// states that differ only in the time have the same fingerprint before
// the reading, and a thread that will read the time has different
// futures in them. So Thread.Now marks the scheduler (ClockObserved), and
// a search that sees the mark starts again with Options.TimeInState,
// which puts the time in the program component. Primitives, which only
// subtract readings to know what is left of a timeout, read Thread.Clock,
// which leaves no mark.
//
// # Local state without stacks
//
// A thread's local state is its Go stack, which cannot be read. Thread
// code is deterministic between steps (the model's contract), so its
// local state at a scheduling point is a function of what it has observed:
// the operations it completed and what each returned, after the history
// of the thread that started it up to the start (which decided the code
// it runs). Each operation's result is a function of the operation, the
// state of the object it touched just before (unless the operation is
// Blind: a store learns nothing), whether it timed out, and, for a draw or
// a read of the clock, the value drawn or read. The scheduler folds
// exactly these into the thread's history fingerprint at each of its
// steps. Two threads with equal histories therefore have equal local
// states and equal futures; the converse does not hold (a loop never
// repeats its history), which costs merges, not soundness.
// [Thread.Checkpoint] replaces the history by what the model declares its
// local state to be, so that loops close.
//
// The argument needs two things of primitives and models: a primitive
// reads, in the local code after a step, only the state of that step's
// object (or objects it marks with [Thread.Changed] and encodes); and
// Go values a model shares between threads outside primitives are a
// function of the threads' histories and the objects' states (written by
// one thread, or right after a step on the object that orders them, as a
// transcript kept next to the log), and a thread reads another's value
// without a step only where the read decides no later step of its own (an
// assertion, an outcome, or after the writer finished and was joined).
// That last case is why a finished thread keeps its history in the state:
// the values its joiner reads are a function of it. A model whose threads
// hand nothing to their joiners outside primitives says so with
// [Thread.ForgetFinished], and finished threads' histories leave the state.
//
// # Fingerprints
//
// The fingerprint is the sum, modulo 2^64, of a 64-bit hash of each
// component tagged with its place. A step marks the components it
// changed: the stepping thread, the object it touched, objects marked
// with [Thread.Changed], new threads and objects, and on a fire every
// thread with a deadline. Marked objects are recomputed at the next step
// (its history needs its object's state), marked threads and the program
// when a fingerprint is read, once however many steps marked them.
// [Scheduler.AppendState] returns the full state for exact comparison;
// Options.CheckState recomputes every component at each scheduling point
// and fails the execution when the incremental fingerprint missed a
// change.

// State is implemented by primitives whose object has a state. AppendState
// appends an encoding of everything the primitive's future behaviour
// depends on: two objects with equal encodings must behave alike in every
// future. Threads appear by id ([AppendThread]).
type State interface {
	AppendState(b []byte) []byte
}

// component tags: the program, a thread, an object.
const (
	tagProgram uint64 = iota + 1
	tagThread
	tagObject
)

// stateTable is the incremental fingerprint.
type stateTable struct {
	on        bool
	sum       uint64
	program   uint64   // the program component's hash
	threads   []uint64 // each thread's component hash (0: not yet counted)
	objects   []uint64
	dirtyT    []ThreadID
	marked    []bool // by thread id + 1 (0: the program): in dirtyT
	dirtyO    []ObjID
	buf       []byte
	stdout    uint64 // hash chain of the printed lines
	forgetLog bool
	// forgetFinished: a finished thread's history is not part of its
	// component (ForgetFinished).
	forgetFinished bool
	wide           bool // the last step changed an object other than its own
}

func (st *stateTable) reset(on bool) {
	*st = stateTable{on: on, threads: st.threads[:0], objects: st.objects[:0],
		dirtyT: st.dirtyT[:0], marked: st.marked[:0], dirtyO: st.dirtyO[:0], buf: st.buf[:0]}
	st.mark(NoThread)
}

// Track makes s the state of o (see [State]). Objects without one have
// only their kind as state.
func (o *Object) Track(s State) { o.state = s }

// Changed tells the scheduler that o's state changed in the current step
// although o is not the step's object (a condition's wait releases its
// lock). Without State tracking it does nothing.
func (t *Thread) Changed(o *Object) {
	t.checkLive()
	if t.s.state.on {
		t.s.dirtyObject(o.id)
		t.s.state.wide = t.s.state.wide || o != t.pend.Obj
	}
}

// StepChangedOthers reports whether the last step changed, with
// Thread.Changed, an object other than its own: its effects reach beyond
// its declared object, so a search must not assume it commutes with steps
// on other objects. Only with Options.State.
func (s *Scheduler) StepChangedOthers() bool { return s.state.wide }

// Invisible reports whether thread id's pending step is seen by no other
// thread: it touches no object (a sleep, a yield, a draw), only with
// Access None (a print nothing reads: ForgetLog, WatchLog; a start), it
// prints after ForgetLog, or it is an untimed join of a finished thread
// (it reads an object no step writes again). Such a step changes only its
// thread (its history, and the operation its local code declares next),
// so it commutes with every step of the others, unless that local code
// reaches further: reads the clock or registers a deadline (its Event's
// ClockRead), changes another object (StepChangedOthers), or creates
// threads or objects (NumThreads, NumObjects; a start creates the thread
// it starts). Stateful exploration checks those after taking it. An exit
// is not invisible (join, is_alive, repr read it): stateful search takes
// it alone only while ExitObserved says no thread watched a started one
// (exits.go).
func (s *Scheduler) Invisible(id ThreadID) bool {
	op := &s.threads[id].pend
	if u, ok := op.Wait.(*Thread); ok && !op.Timed && u.state == finished {
		return true
	}
	return op.Obj == nil || op.Access == None || (op.Obj == &s.stdout && s.state.forgetLog)
}

// Joins reports whether thread id's pending step is an untimed join: it
// is enabled exactly when the thread it joins has finished, and then
// Invisible.
func (s *Scheduler) Joins(id ThreadID) bool {
	op := &s.threads[id].pend
	_, ok := op.Wait.(*Thread)
	return ok && !op.Timed
}

// Starts reports whether thread id's pending step starts a thread.
func (s *Scheduler) Starts(id ThreadID) bool {
	op := &s.threads[id].pend
	return op.Name == "start" && op.Obj == &s.threads[id].obj
}

// Components returns thread t's and object o's components of the
// fingerprint (object 0 for NoObject): the fingerprint is their sum with
// the others', so a search can tell whether a step changed only its
// thread and its object, and predict the fingerprint after a step it has
// seen before from the same two components. Options.State must be set.
func (s *Scheduler) Components(t ThreadID, o ObjID) (thread, object uint64) {
	s.refreshState()
	if o != NoObject {
		object = s.state.objects[o]
	}
	return s.state.threads[t], object
}

// AppendComponents appends every thread's component to threads and every
// object's to objects, by id (see Components): with the program's, they
// sum to the fingerprint. Options.State must be set.
func (s *Scheduler) AppendComponents(threads, objects []uint64) ([]uint64, []uint64) {
	s.refreshState()
	return append(threads, s.state.threads...), append(objects, s.state.objects...)
}

// Prints reports whether thread id's pending step prints a line that is
// read (a write of the output).
func (s *Scheduler) Prints(id ThreadID) bool {
	op := &s.threads[id].pend
	return op.Obj == &s.stdout && op.Access == Write
}

// LogForgotten reports whether the model called Thread.ForgetLog in this
// execution: printing is then invisible (Invisible).
func (s *Scheduler) LogForgotten() bool { return s.state.forgetLog }

// ClockObserved reports whether a thread of any execution run so far
// called Thread.Now: the program may depend on the time itself, which a
// state without Options.TimeInState leaves out.
func (s *Scheduler) ClockObserved() bool { return s.clockObserved }

// NumObjects returns the number of objects registered so far.
func (s *Scheduler) NumObjects() int { return len(s.objects) }

// Checkpoint declares t's local state at this point: label (the place in
// the code) and locals (every local value its future depends on). It
// replaces t's history of observations, so that a loop that comes back to
// the same place with the same locals comes back to the same state. It is
// not a step. Declaring less than the thread's real local state makes
// stateful exploration unsound for the model.
func (t *Thread) Checkpoint(label string, locals ...int) {
	t.checkLive()
	if !t.s.state.on {
		return
	}
	h := hashString(0x636b7074, label)
	for _, v := range locals {
		h = mix(h ^ uint64(v))
	}
	t.hist = h
	t.s.dirtyThread(t.id)
}

// ForgetFinished declares that no thread reads a Go value another thread
// wrote once that thread has finished: threads hand their results over
// through primitives (a Var, a queue), never through Go variables their
// joiner reads after the join, and no assertion or outcome reads such a
// variable either. A finished thread can no longer act, so its history
// of observations then leaves the state: states that differ only in what
// finished threads observed are one state (lost-update-threads n=6 stores
// about a twentieth of the states). Without it, a finished thread keeps
// its history, since its joiner may read the thread's Go values, which
// are a function of it ("Local state without stacks" above). A model that
// declares it and reads such a value is explored unsoundly.
func (t *Thread) ForgetFinished() {
	t.checkLive()
	if !t.s.state.on || t.s.state.forgetFinished {
		return
	}
	t.s.state.forgetFinished = true
	for _, u := range t.s.threads {
		if u.state == finished {
			t.s.dirtyThread(u.id)
		}
	}
}

// Fingerprint returns the fingerprint of the current state (Options.State
// must be set). Call it at a scheduling point, from a Chooser.
func (s *Scheduler) Fingerprint() uint64 {
	s.refreshState()
	return s.state.sum
}

// AppendState appends the full state to b: equal states, equal bytes.
func (s *Scheduler) AppendState(b []byte) []byte {
	b = s.appendProgram(b)
	for _, t := range s.threads {
		b = append(b, 0xfe)
		b = t.appendState(b)
	}
	for _, o := range s.objects {
		b = append(b, 0xff)
		b = o.appendState(b)
	}
	return b
}

func (s *Scheduler) dirtyThread(id ThreadID) { s.state.mark(id) }
func (s *Scheduler) dirtyObject(id ObjID)    { s.state.dirtyO = append(s.state.dirtyO, id) }
func (s *Scheduler) dirtyProgram()           { s.state.mark(NoThread) }

// mark adds thread id's component (NoThread: the program's) to those to
// recompute, once: a thread is marked at each of its steps, and a replay
// of many steps recomputes it when a fingerprint is read.
func (st *stateTable) mark(id ThreadID) {
	i := int(id) + 1
	for len(st.marked) <= i {
		st.marked = append(st.marked, false)
	}
	if !st.marked[i] {
		st.marked[i] = true
		st.dirtyT = append(st.dirtyT, id)
	}
}

// stepState updates t's history with the step it is about to take and marks
// what the step changes. It runs before the step's effect.
func (s *Scheduler) stepState(t *Thread) {
	s.state.wide = false
	h := hashString(uint64(t.pend.Access)<<1|b2u(t.timedOut), t.pend.Name)
	if o := t.pend.Obj; o != nil {
		h = mix(h ^ uint64(o.id)<<32)
		if !t.pend.Blind {
			s.refreshObjects()
			h = mix(h ^ s.state.objects[o.id])
		}
		s.dirtyObject(o.id)
	}
	t.hist = mix(t.hist ^ h)
	s.dirtyThread(t.id)
}

// childHistory is the history a thread that parent starts begins with:
// parent's, which its start step has just extended. Which function the
// child runs, and with what captured values, is decided by the parent's
// local state, so two threads with equal histories run the same code,
// whatever ids the interleaving gave them.
func childHistory(parent *Thread) uint64 { return mix(parent.hist ^ 0x6368696c64) }

// observe folds a value t observed (a draw, the clock) into its history.
func (s *Scheduler) observe(t *Thread, v uint64) {
	if s.state.on {
		t.hist = mix(t.hist ^ mix(v+0x6f6273))
		s.dirtyThread(t.id)
	}
}

// logState adds a printed line the model reads to the program component.
func (s *Scheduler) logState(text string) {
	if s.state.on && !s.state.forgetLog {
		s.state.stdout = hashString(s.state.stdout, text)
		s.dirtyProgram()
	}
}

// clockMoved marks every thread with a deadline: its distance to now
// changed; and the program, when the time is part of the state.
func (s *Scheduler) clockMoved() {
	if !s.state.on {
		return
	}
	if s.opts.TimeInState {
		s.dirtyProgram()
	}
	for _, t := range s.threads {
		if t.waiting {
			s.dirtyThread(t.id)
		}
	}
}

// refreshState recomputes the components marked since the last call.
func (s *Scheduler) refreshState() {
	s.refreshObjects()
	st := &s.state
	for len(st.threads) < len(s.threads) {
		st.threads = append(st.threads, 0)
		st.mark(ThreadID(len(st.threads) - 1))
	}
	for _, id := range st.dirtyT {
		st.marked[id+1] = false
		if id == NoThread {
			st.buf = s.appendProgram(st.buf[:0])
			st.program = st.replace(st.program, tagProgram, 0)
			continue
		}
		st.buf = s.threads[id].appendState(st.buf[:0])
		st.threads[id] = st.replace(st.threads[id], tagThread, uint64(id))
	}
	st.dirtyT = st.dirtyT[:0]
}

// refreshObjects recomputes the object components marked since the last
// call: a step's history needs its object's, the thread components wait.
func (s *Scheduler) refreshObjects() {
	st := &s.state
	for len(st.objects) < len(s.objects) {
		st.objects = append(st.objects, 0)
		st.dirtyO = append(st.dirtyO, ObjID(len(st.objects)-1))
	}
	for _, id := range st.dirtyO {
		st.buf = s.objects[id].appendState(st.buf[:0])
		st.objects[id] = st.replace(st.objects[id], tagObject, uint64(id))
	}
	st.dirtyO = st.dirtyO[:0]
}

// replace swaps a component's old hash for the hash of st.buf in the sum
// and returns the new hash. A component's hash is never 0 once counted.
func (st *stateTable) replace(old, tag, place uint64) uint64 {
	h := hashBytes(mix(tag<<56^place), st.buf) | 1
	st.sum += h - old
	return h
}

// checkState recomputes every component and reports the first one whose
// recorded hash is out of date.
func (s *Scheduler) checkState() string {
	s.refreshState()
	st := &s.state
	for id, t := range s.threads {
		st.buf = t.appendState(st.buf[:0])
		if hashBytes(mix(tagThread<<56^uint64(id)), st.buf)|1 != st.threads[id] {
			return "thread " + t.name
		}
	}
	for id, o := range s.objects {
		st.buf = o.appendState(st.buf[:0])
		if hashBytes(mix(tagObject<<56^uint64(id)), st.buf)|1 != st.objects[id] {
			return o.String()
		}
	}
	st.buf = s.appendProgram(st.buf[:0])
	if hashBytes(mix(tagProgram<<56), st.buf)|1 != st.program {
		return "the program (thread names or log)"
	}
	return ""
}

func (s *Scheduler) appendProgram(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(s.named))
	if s.opts.TimeInState {
		b = binary.AppendVarint(b, int64(s.now))
	}
	if !s.state.forgetLog {
		b = binary.LittleEndian.AppendUint64(b, s.state.stdout)
	}
	return b
}

// appendState encodes the thread's component.
func (t *Thread) appendState(b []byte) []byte {
	flags := byte(t.state) | b2b(t.daemon)<<2 | b2b(t.waiting)<<3 | b2b(t.expired)<<4 |
		b2b(t.timedOut)<<5 | b2b(t.pend.Timed)<<6
	b = append(b, flags, byte(t.pend.Access))
	b = AppendString(b, t.pend.Name)
	b = binary.AppendVarint(b, int64(objID(t.pend.Obj)))
	if t.waiting {
		b = binary.AppendVarint(b, int64(t.deadline-t.s.now))
	}
	if t.state == finished && t.s.state.forgetFinished {
		return b
	}
	return binary.LittleEndian.AppendUint64(b, t.hist)
}

// appendState encodes an object's component: its kind and its state.
func (o *Object) appendState(b []byte) []byte {
	b = AppendString(b, o.kind)
	if o.state != nil {
		b = o.state.AppendState(b)
	}
	return b
}

// AppendState encodes a thread's object: whether it has finished (what
// join and is_alive observe), and for a thread not started yet (NewThread)
// its daemon flag and whether a Start has claimed it. Only that: a thread
// whose body returned is alive until its exit step, so the step that
// returns changes its thread's component and its object's, not a third
// one.
func (t *Thread) AppendState(b []byte) []byte {
	b = append(b, b2b(t.state == finished))
	if t.state == initial { // what Start, SetDaemon and repr read
		b = append(b, 2|b2b(t.daemon)<<2|b2b(t.starting)<<3)
	}
	return b
}

// AppendInt appends v to a state encoding.
func AppendInt(b []byte, v int) []byte { return binary.AppendVarint(b, int64(v)) }

// AppendBool appends v to a state encoding.
func AppendBool(b []byte, v bool) []byte { return append(b, b2b(v)) }

// AppendString appends s, length first, to a state encoding.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// AppendThread appends a thread's id, or -1 for nil, to a state encoding.
func AppendThread(b []byte, t *Thread) []byte {
	if t == nil {
		return binary.AppendVarint(b, -1)
	}
	return binary.AppendVarint(b, int64(t.id))
}

// AppendValue appends a value of any type: integers, strings and booleans
// directly, anything else as fmt's %#v.
func AppendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case int:
		return append(AppendInt(b, x), 'i')
	case int64:
		return append(AppendInt(b, int(x)), 'i')
	case uint64:
		return append(binary.AppendUvarint(b, x), 'u')
	case string:
		return append(AppendString(b, x), 's')
	case bool:
		return append(AppendBool(b, x), 'b')
	case nil:
		return append(b, 'n')
	}
	return append(AppendString(b, sprintValue(v)), 'v')
}

func sprintValue(v any) string {
	if s, ok := v.(interface{ String() string }); ok {
		return s.String()
	}
	if e, ok := v.(error); ok {
		return "error:" + e.Error()
	}
	return fmt.Sprintf("%T:%#v", v, v)
}

// hashBytes is a 64-bit hash of b seeded with seed: eight bytes at a time
// through a multiply-xorshift mixer. Not cryptographic; fixed, so that a
// fingerprint is the same on every machine.
func hashBytes(seed uint64, b []byte) uint64 {
	h := seed ^ uint64(len(b))*0x9e3779b97f4a7c15
	for ; len(b) >= 8; b = b[8:] {
		h = mix(h ^ binary.LittleEndian.Uint64(b))
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	return mix(h ^ tail ^ 0xa5)
}

func hashString(seed uint64, s string) uint64 {
	h := seed ^ uint64(len(s))*0x9e3779b97f4a7c15
	for ; len(s) >= 8; s = s[8:] {
		h = mix(h ^ (uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56))
	}
	var tail uint64
	for i := 0; i < len(s); i++ {
		tail |= uint64(s[i]) << (8 * i)
	}
	return mix(h ^ tail ^ 0xa5)
}

// mix is SplitMix64's finalizer.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func b2b(v bool) byte {
	if v {
		return 1
	}
	return 0
}

func b2u(v bool) uint64 { return uint64(b2b(v)) }
