package python

import (
	"strconv"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// newObject creates the prims object a "new" message announces: oid,
// kind, name, then the kind's arguments. The runtime announces an object
// on its first use in the execution, by the thread using it.
func (x *execution) newObject(t *sched.Thread, a []string) {
	if len(a) < 3 {
		t.Fail(sched.Panic, "threadsim: malformed new-object message")
	}
	oid, kind, name, args := a[0], a[1], a[2], a[3:]
	if exc := t.Try(func() { x.makeObject(t, oid, kind, name, args) }); exc != nil {
		x.objs[oid] = unmade{exc}
	}
}

// unmade is an object whose construction raised (Barrier(0) before
// CPython 3.13, which accepts it): every operation on it raises the same
// exception, the first being the one that announced it.
type unmade struct{ exc *sched.Exception }

// makeObject makes the object of a "new" message.
func (x *execution) makeObject(t *sched.Thread, oid, kind, name string, args []string) {
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	var o any
	switch kind {
	case "Lock":
		o = prims.NewLock(t, name)
	case "RLock":
		o = prims.NewRLock(t, name)
	case "Condition":
		lock, ok := x.objs[arg(0)].(prims.Locker)
		if !ok {
			t.Fail(sched.Panic, "threadsim: Condition "+name+" over a lock the runtime does not know")
		}
		o = prims.NewCondition(t, name, lock)
	case "Semaphore":
		o = prims.NewSemaphore(t, name, atoi(arg(0)))
	case "BoundedSemaphore":
		o = prims.NewBoundedSemaphore(t, name, atoi(arg(0)))
	case "Event":
		o = prims.NewEvent(t, name)
	case "Barrier":
		var action func(*sched.Thread)
		if key := arg(2); key != "" {
			action = func(bt *sched.Thread) { x.callback(bt, key) }
		}
		d, _ := timeout(arg(1))
		o = prims.NewBarrier(t, name, atoi(arg(0)), action, d)
	case "Queue", "PriorityQueue":
		o = prims.NewQueue[string](t, name, atoi(arg(0)))
	case "LifoQueue":
		o = prims.NewLifoQueue[string](t, name, atoi(arg(0)))
	case "SimpleQueue":
		o = prims.NewSimpleQueue[string](t, name)
	case "Executor":
		o = newOwner(t, name)
	default:
		t.Fail(sched.Panic, "threadsim: unknown object kind "+kind)
	}
	x.objs[oid] = o
}

// owner is what owns the primitives the standard library makes inside
// one of its objects (a ThreadPoolExecutor, concurrent.futures): an object
// without steps whose name prefixes theirs ("ThreadPoolExecutor-0"), so
// that compact views hide their steps as a Go executor's inner steps
// (cmd/threadsim/internal/visual.InnerObjects).
type owner struct{ obj sched.Object }

func newOwner(t *sched.Thread, name string) *owner {
	o := &owner{}
	t.Register(&o.obj, sched.Plain, "Executor", name)
	return o
}

// obj returns the object oid names.
func (x *execution) obj(t *sched.Thread, oid string) any {
	o, ok := x.objs[oid]
	if !ok {
		t.Fail(sched.Panic, "threadsim: unknown object "+oid)
	}
	return o
}

// variable returns the shared variable key names, made on first access
// holding the value Python saw then.
func (x *execution) variable(t *sched.Thread, key, name, init string) *prims.Var[string] {
	v, ok := x.vars[key]
	if !ok {
		v = prims.NewVar(t, name, init)
		x.vars[key] = v
	}
	return v
}

// timeout parses a timeout in seconds; "" is none.
func timeout(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	if f < 0 {
		f = 0
	}
	return time.Duration(f * float64(time.Second)), true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
