package python

import (
	"github.com/threadsim/threadsim/sched"
)

// shape is the structure of one of the program's containers (a list,
// dict, set, deque or bytearray): its length, its keys and the order of
// its items, which the container's methods change and every access to it
// depends on. Its items are Vars of their own (so threads writing distinct
// items neither race nor depend on each other); the shape is a Plain
// object: its steps are ordered for exploration, but it neither races nor
// orders threads, as CPython's container operations are atomic. Its state
// is the length the runtime saw at its last step.
type shape struct {
	obj sched.Object
	n   string
}

func newShape(t *sched.Thread, name, n string) *shape {
	c := &shape{n: n}
	t.Register(&c.obj, sched.Plain, "Container", name)
	c.obj.Track(c)
	return c
}

// AppendState encodes the length.
func (c *shape) AppendState(b []byte) []byte { return append(append(b, c.n...), 0) }

// read is a step that reads the shape (an item access, len, a truth test,
// iteration); n is the container's length.
func (c *shape) read(t *sched.Thread, n string) {
	t.Step(sched.Op{Name: "read", Obj: &c.obj, Access: sched.Read})
	c.n = n
	if t.Tracing() {
		t.SetResult("len " + n)
	}
}

// write is a step that changes the shape (a method such as append, a new
// key, del): n is the length before, op names the change.
func (c *shape) write(t *sched.Thread, n, op string) {
	t.Step(sched.Op{Name: "write", Obj: &c.obj, Access: sched.Write, Blind: true})
	c.n = n
	if t.Tracing() {
		t.SetResult(op)
	}
}

// readAll is a step that reads every item and the shape (sum, sorted,
// print of the container, x in a list, a slice): one step, a write of the
// shape for exploration, so that it is ordered against every item access
// (each reads the shape) and every method; n is the length.
func (c *shape) readAll(t *sched.Thread, n string) {
	t.Step(sched.Op{Name: "read all", Obj: &c.obj, Access: sched.Write})
	c.n = n
	if t.Tracing() {
		t.SetResult("len " + n)
	}
}

// container returns the shape key names, made on its first access.
func (x *execution) container(t *sched.Thread, key, name, n string) *shape {
	c, ok := x.shapes[key]
	if !ok {
		c = newShape(t, name, n)
		x.shapes[key] = c
	}
	return c
}
