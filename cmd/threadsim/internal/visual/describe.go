package visual

import (
	"fmt"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// names resolves the ids of a result to what a reader sees: thread names,
// object names, and thread objects (start, join and exit touch a thread's
// own object) to the thread they stand for.
type names struct {
	r *sched.Result
	// threadOf maps the ObjID of a thread's own object to that thread.
	threadOf map[sched.ObjID]sched.ThreadID
}

// newNames indexes r's objects. The scheduler registers exactly one
// "Thread" object per spawned thread, in thread id order.
func newNames(r *sched.Result) names {
	n := names{r: r, threadOf: map[sched.ObjID]sched.ThreadID{}}
	next := sched.ThreadID(0)
	for _, o := range r.Objects {
		if o.Kind == "Thread" && int(next) < len(r.Threads) {
			n.threadOf[o.ID] = next
			next++
		}
	}
	return n
}

// thread returns the name of thread id.
func (n names) thread(id sched.ThreadID) string { return n.r.ThreadName(id) }

// object returns how object obj is shown: a thread's object by the thread's
// name, any other as "Kind 'name'", "" for NoObject.
func (n names) object(obj sched.ObjID) string {
	if id, ok := n.threadOf[obj]; ok {
		return n.thread(id)
	}
	return n.r.ObjectName(obj)
}

// isStdout reports whether obj is the shared output that Log prints to.
func (n names) isStdout(obj sched.ObjID) bool {
	return obj >= 0 && int(obj) < len(n.r.Objects) && n.r.Objects[obj].Kind == "stdout"
}

// target returns what step e acted on, for its label: the started thread,
// the woken thread, or the object.
func (n names) target(e sched.Event) string {
	switch {
	case e.Child != sched.NoThread:
		return n.thread(e.Child)
	case e.Thread == sched.ClockID, n.isStdout(e.Obj):
		return ""
	}
	if id, ok := n.threadOf[e.Obj]; ok && id == e.Thread {
		return "" // exit touches the thread's own object
	}
	return n.object(e.Obj)
}

// result returns step e's result as shown: its recorded detail.
func (n names) result(e sched.Event) string {
	if e.Thread == sched.ClockID && e.Detail == "" && e.Woken != sched.NoThread {
		return "wakes " + n.thread(e.Woken)
	}
	return e.Detail
}

// label returns "op target", the one-line text of a step.
func (n names) label(e sched.Event) string {
	if t := n.target(e); t != "" {
		return e.Op + " " + t
	}
	return e.Op
}

// lockLike reports whether obj is a Lock or an RLock: an object one thread
// holds between its acquire and its release, whose holder is tracked from
// the trace. (A Semaphore's acquire does not make its thread the holder.)
func (n names) lockLike(obj sched.ObjID) bool {
	if obj < 0 || int(obj) >= len(n.r.Objects) {
		return false
	}
	k := n.r.Objects[obj].Kind
	return k == "Lock" || k == "RLock"
}

// isAcquire and isRelease recognise lock operations.
func isAcquire(op string) bool { return op == "acquire" || strings.HasPrefix(op, "acquire(") }
func isRelease(op string) bool { return op == "release" }

// check reports a result that cannot be drawn: nil, or a trace whose steps
// are not numbered from 0 or name threads the result does not list.
func check(r *sched.Result) error {
	if r == nil {
		return fmt.Errorf("visual: no result to draw")
	}
	for i, e := range r.Trace {
		if e.Step != i {
			return fmt.Errorf("visual: trace event %d is numbered step %d", i, e.Step)
		}
		if e.Thread != sched.ClockID && (e.Thread < 0 || int(e.Thread) >= len(r.Threads)) {
			return fmt.Errorf("visual: step %d names thread %d, which the result does not list", i, e.Thread)
		}
	}
	return nil
}
