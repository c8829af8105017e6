package sched

import "strconv"

// IdentBase is the ident of the main thread: thread id i has ident (and
// native_id) IdentBase+i, a deterministic stand-in for CPython's
// pthread_t and TID.
const IdentBase = 1000

// ThreadSpec holds threading.Thread's constructor arguments that the
// scheduler keeps. The zero value is Thread().
type ThreadSpec struct {
	// Name is the thread's name. "" gives CPython's default, "Thread-N"
	// numbered when the thread is created (not started), plus
	// " (Target)" when Target is set.
	Name string
	// Target is the __name__ of the target function, for the default
	// name: Thread(target=worker) is "Thread-1 (worker)".
	Target string
	// Class is the class name repr shows: "Thread" if empty ("Timer", a
	// subclass's name).
	Class string
}

// NewThread creates a thread that is not started, as Python's
// threading.Thread(target=fn, name=..., daemon=None): it inherits t's
// daemon flag ([Thread.SetDaemon] changes it before the start), has no
// ident and is not alive. [Thread.Start] starts it. Its object is
// registered now, so is_alive, join, daemon and repr before the start are
// steps on it. Creating it is not a step.
func (t *Thread) NewThread(spec ThreadSpec, fn func(*Thread)) *Thread {
	t.checkLive()
	s := t.s
	u := &Thread{s: s, id: NoThread, parent: NoThread, daemon: t.daemon, state: initial, body: fn, class: spec.Class}
	u.name = spec.Name
	if u.name == "" {
		s.named++
		u.name = s.threadName(s.named)
		if spec.Target != "" {
			u.name += " (" + spec.Target + ")"
		}
		if s.state.on {
			s.dirtyProgram()
		}
	}
	t.Register(&u.obj, Sync, "Thread", u.name)
	u.obj.state = u
	return u
}

// Start is u.start() called by t, in two steps as CPython's start checks
// the thread and then creates it: "start" on u's object (a thread started
// before raises RuntimeError "threads can only be started once"), then
// "start" on t's own object, which starts it as [Thread.Go] does. u's code
// runs from the scheduling point after.
func (t *Thread) Start(u *Thread) {
	t.Step(Op{Name: "start", Obj: &u.obj, Access: Write})
	if u.state != initial || u.starting {
		t.SetAccess(Read)
		t.Misuse("RuntimeError: threads can only be started once")
	}
	u.starting = true
	t.Step(Op{Name: "start", Obj: &t.obj, Access: Write})
	t.s.launch(t, u)
	t.Changed(&u.obj)
	t.s.noteChild(u)
	t.s.observe(t, uint64(u.id)|2<<40)
}

// SetDaemon is u.daemon = daemon, set by t before u starts; once u is
// started it raises RuntimeError "cannot set daemon status of active
// thread". A step on u's object.
func (t *Thread) SetDaemon(u *Thread, daemon bool) {
	t.Step(Op{Name: "set_daemon", Obj: &u.obj, Access: Write})
	if u.state != initial || u.starting {
		t.SetAccess(Read)
		t.Misuse("RuntimeError: cannot set daemon status of active thread")
	}
	u.daemon = daemon
}

// checkJoin raises join's RuntimeErrors: u not started ("cannot join
// thread before it is started", which a step on u's object finds out;
// nil is a thread never started), or u is t ("cannot join current
// thread").
func (t *Thread) checkJoin(u *Thread) {
	if u == nil {
		t.Misuse("RuntimeError: cannot join thread before it is started")
	}
	if u.state == initial {
		t.Step(Op{Name: "join", Obj: &u.obj, Access: Read})
		if u.state == initial {
			t.Misuse("RuntimeError: cannot join thread before it is started")
		}
	}
	if u == t {
		t.Misuse("RuntimeError: cannot join current thread")
	}
}

// Started reports whether the thread was started. Like Name, Daemon and
// Ident it is read without a step: it changes only in the step that
// starts the thread.
func (t *Thread) Started() bool { return t.state != initial }

// Ident returns thread.ident, and whether the thread has one: not before
// it starts (None). It is IdentBase plus the thread's id.
func (t *Thread) Ident() (ident int64, ok bool) {
	if t.state == initial {
		return 0, false
	}
	return IdentBase + int64(t.id), true
}

// NativeID returns thread.native_id, which here equals the ident.
func (t *Thread) NativeID() (id int64, ok bool) { return t.Ident() }

// GetIdent is threading.get_ident(): the calling thread's ident.
func (t *Thread) GetIdent() int64 { return IdentBase + int64(t.id) }

// CurrentThread is threading.current_thread(): t itself.
func (t *Thread) CurrentThread() *Thread { return t }

// MainThread is threading.main_thread().
func (t *Thread) MainThread() *Thread { return t.s.threads[0] }

// Enumerate is threading.enumerate(): the threads started and not yet
// finished, the main thread and daemons included, in start order. It
// reads each started thread's object in a step of its own, where CPython
// reads them all under one lock: a thread that starts or finishes during
// the call may or may not be listed, and exploration covers both.
func (t *Thread) Enumerate() []*Thread {
	var out []*Thread
	for i := 0; i < len(t.s.threads); i++ {
		u := t.s.threads[i]
		t.Step(Op{Name: "enumerate", Obj: &u.obj, Access: Read})
		if u.state == live || u.state == exiting {
			out = append(out, u)
		}
	}
	return out
}

// ActiveCount is threading.active_count(): len(Enumerate()).
func (t *Thread) ActiveCount() int { return len(t.Enumerate()) }

// Repr returns repr(u) as CPython 3.13 prints it, read by t in a step on
// u's object: "<Thread(Thread-1 (worker), started 1001)>", with initial,
// started or stopped, " daemon" for a daemon, and the ident once it has
// one; the main thread is a "_MainThread".
func (t *Thread) Repr(u *Thread) string {
	t.Step(Op{Name: "repr", Obj: &u.obj, Access: Read})
	r := u.repr()
	t.SetResult(r)
	return r
}

func (t *Thread) repr() string {
	status := "initial"
	switch t.state {
	case live, exiting:
		status = "started"
	case finished, dead:
		status = "stopped"
	}
	if t.daemon {
		status += " daemon"
	}
	if id, ok := t.Ident(); ok {
		status += " " + strconv.FormatInt(id, 10)
	}
	class := t.class
	switch {
	case class == "" && t.id == 0:
		class = "_MainThread"
	case class == "":
		class = "Thread"
	}
	return "<" + class + "(" + t.name + ", " + status + ")>"
}
