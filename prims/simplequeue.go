package prims

import (
	"slices"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// SimpleQueue is Python's queue.SimpleQueue as CPython 3.13's C version
// behaves: an unbounded FIFO whose Put never blocks and hands the item
// straight to the longest-parked getter. Blocked getters are therefore
// served in FIFO order and cannot be overtaken: a get_nowait right after
// such a put finds the queue empty.
//
// Get is one step ("get") when an item is there; otherwise that step parks
// the getter at the tail of the getters' line and a second step ("get")
// waits for its hand-off. A getter whose deadline has fired has left the
// line: Put skips it.
type SimpleQueue[T any] struct {
	obj     sched.Object
	items   fifo[T]
	getters []*getter[T] // the line of parked getters
	handed  []*getter[T] // getters handed an item they have not yet taken
	free    []*getter[T]
}

// getter is a parked Get.
type getter[T any] struct {
	t     *sched.Thread
	item  T
	has   bool
	timed bool
}

// Ready reports whether an item was handed to the getter.
func (g *getter[T]) Ready(*sched.Thread) bool { return g.has }

// timedOut reports, during a Put by t, whether g's deadline has fired.
// Reading the clock marks the put as dependent on fired deadlines. It
// reads another thread's deadline without a step on it, harmlessly for
// stateful exploration: the answer decides only whether g is skipped (the
// queue's encoded state), never the putter's local state.
func (g *getter[T]) timedOut(t *sched.Thread) bool {
	if !g.timed {
		return false
	}
	t.Clock()
	_, pending := g.t.Deadline()
	return !pending
}

// Holder explains a getter that cannot complete.
func (g *getter[T]) Holder(*sched.Thread) string { return "queue is empty" }

// NewSimpleQueue returns an empty SimpleQueue.
func NewSimpleQueue[T any](t *sched.Thread, name string) *SimpleQueue[T] {
	q := &SimpleQueue[T]{}
	t.Register(&q.obj, sched.Sync, "SimpleQueue", name)
	q.obj.Track(q)
	return q
}

// AppendState encodes the items, the line of parked getters (each one's
// thread and whether it is timed) and the getters handed an item they
// have not yet taken (each one's thread and item): their second step
// reads it.
func (q *SimpleQueue[T]) AppendState(b []byte) []byte {
	b = q.items.appendState(b)
	b = sched.AppendInt(b, len(q.getters))
	for _, g := range q.getters {
		b = sched.AppendBool(sched.AppendThread(b, g.t), g.timed)
	}
	b = sched.AppendInt(b, len(q.handed))
	for _, g := range q.handed {
		b = appendItem(sched.AppendThread(b, g.t), g.item)
	}
	return b
}

// Object returns the queue's scheduler object.
func (q *SimpleQueue[T]) Object() *sched.Object { return &q.obj }

// Put adds x, or hands it to the longest-parked getter. It never blocks.
// Which of the two it does changes only the queue and returns nothing, so
// the step is Blind: the queue's state stays out of the putter's history.
func (q *SimpleQueue[T]) Put(t *sched.Thread, x T) {
	t.Step(sched.Op{Name: "put", Obj: &q.obj, Access: sched.Write, Blind: true})
	if t.Tracing() {
		t.SetResult(x)
	}
	for len(q.getters) > 0 {
		g := q.getters[0]
		q.getters[0] = nil
		q.getters = q.getters[1:]
		if g.timedOut(t) {
			continue // its timeout has fired: it left the line
		}
		g.item, g.has = x, true
		q.handed = append(q.handed, g)
		return
	}
	q.items.push(x)
}

// PutNowait is Put.
func (q *SimpleQueue[T]) PutNowait(t *sched.Thread, x T) { q.Put(t, x) }

// Get removes and returns the first item, waiting for one if needed.
func (q *SimpleQueue[T]) Get(t *sched.Thread) T {
	x, _ := q.get(t, true, false, 0)
	return x
}

// GetNowait returns the first item, or ErrEmpty.
func (q *SimpleQueue[T]) GetNowait(t *sched.Thread) (T, error) { return q.get(t, false, false, 0) }

// GetTimeout is get(timeout=d): ErrEmpty if no item comes within d; d = 0
// polls; a negative d is CPython's ValueError.
func (q *SimpleQueue[T]) GetTimeout(t *sched.Thread, d time.Duration) (T, error) {
	if d < 0 {
		t.Misuse("ValueError: 'timeout' must be a non-negative number")
	}
	return q.get(t, d > 0, true, d)
}

func (q *SimpleQueue[T]) get(t *sched.Thread, block, timed bool, d time.Duration) (T, error) {
	var zero T
	t.Step(sched.Op{Name: "get", Obj: &q.obj, Access: sched.Write})
	if q.items.len() > 0 {
		x := q.items.pop()
		q.result(t, x)
		return x, nil
	}
	if !block {
		t.SetAccess(sched.Read)
		t.SetResult(ErrEmpty)
		return zero, ErrEmpty
	}
	g := q.park(t, timed)
	op := sched.Op{Name: "get", Obj: &q.obj, Access: sched.Write, Wait: g, Timeout: d, Timed: timed}
	t.Step(op)
	x, ok := g.item, g.has
	g.item = zero
	q.free = append(q.free, g)
	q.taken(g)
	if !ok {
		q.unpark(g)
		t.SetResult(ErrEmpty)
		return zero, ErrEmpty
	}
	// The hand-off only touched the getter; taking it off the handed
	// getters changes only the caller's own entry, so takes commute.
	t.SetAccess(sched.Read)
	q.result(t, x)
	return x, nil
}

// park puts a getter at the tail of the line.
func (q *SimpleQueue[T]) park(t *sched.Thread, timed bool) *getter[T] {
	var g *getter[T]
	if n := len(q.free); n > 0 {
		g = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		g = &getter[T]{}
	}
	g.t, g.has, g.timed = t, false, timed
	q.getters = append(q.getters, g)
	return g
}

// taken drops g from the handed getters once its step has read its item.
func (q *SimpleQueue[T]) taken(g *getter[T]) {
	if i := slices.Index(q.handed, g); i >= 0 {
		q.handed = slices.Delete(q.handed, i, i+1)
	}
}

// unpark removes a timed-out getter from the line if a Put has not
// already skipped it.
func (q *SimpleQueue[T]) unpark(g *getter[T]) {
	for i, x := range q.getters {
		if x == g {
			q.getters = append(q.getters[:i], q.getters[i+1:]...)
			return
		}
	}
}

func (q *SimpleQueue[T]) result(t *sched.Thread, x T) {
	if t.Tracing() {
		t.SetResult(x)
	}
}

// Qsize returns the number of items waiting.
func (q *SimpleQueue[T]) Qsize(t *sched.Thread) int {
	t.Step(sched.Op{Name: "qsize", Obj: &q.obj, Access: sched.Read})
	t.SetResult(q.items.len())
	return q.items.len()
}

// Empty reports whether no item is waiting.
func (q *SimpleQueue[T]) Empty(t *sched.Thread) bool { return q.Qsize(t) == 0 }
