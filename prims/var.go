package prims

import "github.com/threadsim/threadsim/sched"

// Var is a shared variable: each Load and Store is a step of its own, so
// the scheduler can run other threads between a read and the write that
// depends on it (the lost update, or reading self.message after releasing
// the lock that protected it). A Var made with NewVar is checked for data
// races; one made with NewAtomic is a synchronising atomic.
type Var[T any] struct {
	obj sched.Object
	v   T
}

// NewVar returns a race-checked shared variable holding init.
func NewVar[T any](t *sched.Thread, name string, init T) *Var[T] {
	v := &Var[T]{v: init}
	t.Register(&v.obj, sched.Data, "Var", name)
	v.obj.Track(v)
	return v
}

// NewAtomic returns an atomic shared variable: its accesses synchronise
// like a lock's and never race.
func NewAtomic[T any](t *sched.Thread, name string, init T) *Var[T] {
	v := &Var[T]{v: init}
	t.Register(&v.obj, sched.Sync, "Atomic", name)
	v.obj.Track(v)
	return v
}

// AppendState encodes the value (see sched.AppendValue: a value of a type
// other than an integer, a string or a bool is encoded by how it prints,
// so it must print everything its users read, and no address).
func (v *Var[T]) AppendState(b []byte) []byte { return appendItem(b, v.v) }

// Object returns the variable's scheduler object.
func (v *Var[T]) Object() *sched.Object { return &v.obj }

// Load reads the variable.
func (v *Var[T]) Load(t *sched.Thread) T {
	t.Step(sched.Op{Name: "read", Obj: &v.obj, Access: sched.Read})
	if t.Tracing() {
		t.SetResult(v.v)
	}
	return v.v
}

// Store writes the variable. The thread learns nothing from the step: it
// is Blind, so the value it overwrites stays out of the thread's history.
func (v *Var[T]) Store(t *sched.Thread, x T) {
	t.Step(sched.Op{Name: "write", Obj: &v.obj, Access: sched.Write, Blind: true})
	if t.Tracing() {
		t.SetResult(x)
	}
	v.v = x
}

// Peek returns the value without a step, for checks made when every other
// thread has finished (the final counter), never for model logic.
func (v *Var[T]) Peek() T { return v.v }

// CompareAndSwap writes new if the variable holds old, in one step, and
// reports whether it did. A failed compare-and-swap only reads.
func CompareAndSwap[T comparable](t *sched.Thread, v *Var[T], old, new T) bool {
	t.Step(sched.Op{Name: "cas", Obj: &v.obj, Access: sched.Write})
	if v.v != old {
		t.SetAccess(sched.Read)
		t.SetResult(false)
		return false
	}
	v.v = new
	t.SetResult(true)
	return true
}
