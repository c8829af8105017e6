package sched

import "time"

// Access says how an operation touches its object. Two operations of
// different threads on the same object are dependent when at least one of
// them writes.
type Access uint8

const (
	// None touches no shared object (sleep, a random draw).
	None Access = iota
	// Read observes the object without changing it.
	Read
	// Write may change the object.
	Write
)

func (a Access) String() string {
	switch a {
	case Read:
		return "read"
	case Write:
		return "write"
	}
	return "none"
}

// ObjectClass says what an object means for happens-before.
type ObjectClass uint8

const (
	// Sync objects (locks, events, queues, threads) order the threads that
	// touch them: every operation on one both acquires and releases its
	// vector clock.
	Sync ObjectClass = iota
	// Data objects (shared variables) are checked for data races: two
	// accesses, one a write, not ordered by happens-before, are a race.
	Data
	// Plain objects (the log) are dependent for exploration but neither
	// order threads nor race.
	Plain
)

// ObjID identifies an object within one execution: objects are numbered in
// creation order.
type ObjID int32

// NoObject is the ObjID of operations that touch no object.
const NoObject ObjID = -1

// Object is the scheduler's handle on a shared object. Primitives embed one
// and register it with [Thread.Register] before use.
type Object struct {
	id    ObjID
	class ObjectClass
	kind  string
	name  string
	hb    objectClocks
	state State
}

// ID returns the object's id in this execution.
func (o *Object) ID() ObjID { return o.id }

// Kind returns the object's kind, such as "Lock".
func (o *Object) Kind() string { return o.kind }

// Class returns the object's class.
func (o *Object) Class() ObjectClass { return o.class }

// Name returns the object's name as the model gave it.
func (o *Object) Name() string { return o.name }

// String returns "Kind 'name'".
func (o *Object) String() string { return o.kind + " '" + o.name + "'" }

// Waiter says when a blocking operation is enabled. Ready is called by the
// scheduler with the waiting thread; it must not have side effects, and
// its answer must follow from the thread and the state its operation's
// object encodes (State): stateful exploration predicts which threads
// are enabled from those two alone.
type Waiter interface {
	Ready(t *Thread) bool
}

// Holder is optionally implemented by a Waiter to explain, in a deadlock
// report, why it is not ready ("held by Thread-2").
type Holder interface {
	Holder(t *Thread) string
}

// Op is a pending operation: what a thread is about to do.
type Op struct {
	// Name is the operation, such as "acquire"; a constant string.
	Name string
	// Obj is the object touched, or nil.
	Obj *Object
	// Access is how Obj is touched.
	Access Access
	// Wait, if not nil, makes the operation blocking: it is enabled only
	// when Wait.Ready reports true, or when its timeout has fired.
	Wait Waiter
	// Timeout, when Timed is set, registers a deadline this long after the
	// declaration; when it fires the operation becomes enabled and
	// [Thread.Step] reports that it timed out.
	Timeout time.Duration
	// Timed says whether Timeout applies.
	Timed bool
	// Blind says that the thread learns nothing from the object's state
	// in this step (a store, setting an event): stateful exploration then
	// leaves the object's state out of the thread's history, so that
	// histories differ only by what the thread observed.
	Blind bool
}

// never is the Waiter of a sleep: only its deadline enables it.
type never struct{}

func (never) Ready(*Thread) bool { return false }
