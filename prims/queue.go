package prims

import (
	"strconv"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Errors a Queue returns, as queue's exceptions.
var (
	// ErrEmpty is queue.Empty.
	ErrEmpty = error(sched.NewException("queue.Empty", ""))
	// ErrFull is queue.Full.
	ErrFull = error(sched.NewException("queue.Full", ""))
	// ErrShutDown is queue.ShutDown (3.13).
	ErrShutDown = error(sched.NewException("queue.ShutDown", ""))
)

// Queue is Python's queue.Queue, LifoQueue or PriorityQueue, built as
// CPython builds it: one mutex Lock ('name.mutex') shared by three
// Conditions, not_empty, not_full and all_tasks_done, whose steps all touch
// the queue's own object.
//
// Every method takes the mutex first ("acquire"), makes one step on the
// queue that bears its name ("put", "get", "qsize", "task_done", ...) and
// releases the mutex. Put and Get compute their deadline on entry, under
// the mutex, and fail before any wait when no time remains; each wait is a
// Condition wait, so getters and putters are notified FIFO but a thread
// arriving meanwhile can take the item or the slot first (barging), and
// the woken thread then waits again at the tail. Put notifies one getter,
// Get one putter.
//
// maxsize <= 0 means unbounded. It is read on every call, so SetMaxsize
// takes effect at once. Shutdown (3.13) makes puts fail with ErrShutDown
// and gets fail once the queue is empty; it wakes every putter and getter,
// but releases Join only when the unfinished count reaches 0.
type Queue[T any] struct {
	obj          sched.Object
	mutex        *Lock
	notEmpty     *Condition
	notFull      *Condition
	allTasksDone *Condition
	store        store[T]
	maxsize      int
	unfinished   int
	shutdown     bool
}

// NewQueue returns a first-in first-out queue.Queue(maxsize).
func NewQueue[T any](t *sched.Thread, name string, maxsize int) *Queue[T] {
	return newQueue[T](t, "Queue", name, maxsize, &fifo[T]{})
}

// NewLifoQueue returns a queue.LifoQueue(maxsize): last in, first out.
func NewLifoQueue[T any](t *sched.Thread, name string, maxsize int) *Queue[T] {
	return newQueue[T](t, "LifoQueue", name, maxsize, &lifo[T]{})
}

// NewPriorityQueue returns a queue.PriorityQueue(maxsize): the smallest
// item by less first; equal items in no promised order.
func NewPriorityQueue[T any](t *sched.Thread, name string, maxsize int, less func(a, b T) bool) *Queue[T] {
	return newQueue[T](t, "PriorityQueue", name, maxsize, &heapStore[T]{less: less})
}

func newQueue[T any](t *sched.Thread, kind, name string, maxsize int, s store[T]) *Queue[T] {
	q := &Queue[T]{maxsize: maxsize, store: s, mutex: NewLock(t, name+".mutex")}
	t.Register(&q.obj, sched.Sync, kind, name)
	q.obj.Track(q)
	q.notEmpty = newInnerCondition(q.mutex, &q.obj, func() string { return "not_empty: queue is empty" })
	q.notFull = newInnerCondition(q.mutex, &q.obj, func() string { return "not_full: queue is full" })
	q.allTasksDone = newInnerCondition(q.mutex, &q.obj, func() string {
		return "all_tasks_done: " + strconv.Itoa(q.unfinished) + " unfinished tasks"
	})
	q.mutex.guard(q)
	return q
}

// AppendState encodes the items in storage order, maxsize, the unfinished
// count, the shutdown flag and the waiters of the three conditions. The
// mutex's state includes it: every method reads the queue after acquiring
// the mutex.
func (q *Queue[T]) AppendState(b []byte) []byte {
	b = q.store.appendState(b)
	b = sched.AppendInt(b, q.maxsize)
	b = sched.AppendInt(b, q.unfinished)
	b = sched.AppendBool(b, q.shutdown)
	b = q.notEmpty.appendWaiters(b)
	b = q.notFull.appendWaiters(b)
	return q.allTasksDone.appendWaiters(b)
}

// changed marks the mutex changed with the queue.
func (q *Queue[T]) changed(t *sched.Thread) { t.Changed(&q.mutex.obj) }

// Object returns the queue's scheduler object.
func (q *Queue[T]) Object() *sched.Object { return &q.obj }

// Put blocks while the queue is full, then adds x.
func (q *Queue[T]) Put(t *sched.Thread, x T) error { return q.put(t, x, true, false, 0) }

// PutNowait is put_nowait(x): ErrFull at once if the queue is full.
func (q *Queue[T]) PutNowait(t *sched.Thread, x T) error { return q.put(t, x, false, false, 0) }

// PutTimeout is put(x, timeout=d): ErrFull if no slot frees within d. A
// negative d is CPython's ValueError on a bounded queue and is ignored on
// an unbounded one.
func (q *Queue[T]) PutTimeout(t *sched.Thread, x T, d time.Duration) error {
	return q.put(t, x, true, true, d)
}

// Get blocks while the queue is empty, then removes and returns an item.
func (q *Queue[T]) Get(t *sched.Thread) (T, error) { return q.get(t, true, false, 0) }

// GetNowait is get_nowait(): ErrEmpty at once if the queue is empty.
func (q *Queue[T]) GetNowait(t *sched.Thread) (T, error) { return q.get(t, false, false, 0) }

// GetTimeout is get(timeout=d): ErrEmpty if no item arrives within d. A
// negative d is CPython's ValueError, even if items are available.
func (q *Queue[T]) GetTimeout(t *sched.Thread, d time.Duration) (T, error) {
	return q.get(t, true, true, d)
}

func (q *Queue[T]) put(t *sched.Thread, x T, block, timed bool, d time.Duration) error {
	q.mutex.Acquire(t)
	defer q.mutex.Release(t)
	if err := q.waitNotFull(t, block, timed, d); err != nil {
		t.Step(sched.Op{Name: "put", Obj: &q.obj, Access: sched.Read})
		t.SetResult(err)
		return err
	}
	t.Step(sched.Op{Name: "put", Obj: &q.obj, Access: sched.Write})
	q.store.push(x)
	q.unfinished++
	q.changed(t)
	q.notEmpty.wake(t, 1)
	if t.Tracing() {
		t.SetResult(x)
	}
	return nil
}

func (q *Queue[T]) full() bool { return q.maxsize > 0 && q.store.len() >= q.maxsize }

// waitNotFull is put's checks and waits, in CPython's order.
func (q *Queue[T]) waitNotFull(t *sched.Thread, block, timed bool, d time.Duration) error {
	switch {
	case q.shutdown:
		return ErrShutDown
	case q.maxsize <= 0:
		return nil
	case !block:
		if q.full() {
			return ErrFull
		}
	case !timed:
		for q.full() {
			q.notFull.wait(t, false, 0)
			if q.shutdown {
				return ErrShutDown
			}
		}
	case d < 0:
		t.Misuse("ValueError: 'timeout' must be a non-negative number")
	default:
		end := t.Clock() + d
		for q.full() {
			left := end - t.Clock()
			if left <= 0 {
				return ErrFull
			}
			q.notFull.wait(t, true, left)
			if q.shutdown {
				return ErrShutDown
			}
		}
	}
	return nil
}

func (q *Queue[T]) get(t *sched.Thread, block, timed bool, d time.Duration) (T, error) {
	q.mutex.Acquire(t)
	defer q.mutex.Release(t)
	if err := q.waitNotEmpty(t, block, timed, d); err != nil {
		t.Step(sched.Op{Name: "get", Obj: &q.obj, Access: sched.Read})
		t.SetResult(err)
		var zero T
		return zero, err
	}
	t.Step(sched.Op{Name: "get", Obj: &q.obj, Access: sched.Write})
	x := q.store.pop()
	q.changed(t)
	q.notFull.wake(t, 1)
	if t.Tracing() {
		t.SetResult(x)
	}
	return x, nil
}

func (q *Queue[T]) drained() bool { return q.shutdown && q.store.len() == 0 }

// waitNotEmpty is get's checks and waits, in CPython's order.
func (q *Queue[T]) waitNotEmpty(t *sched.Thread, block, timed bool, d time.Duration) error {
	switch {
	case q.drained():
		return ErrShutDown
	case !block:
		if q.store.len() == 0 {
			return ErrEmpty
		}
	case !timed:
		for q.store.len() == 0 {
			q.notEmpty.wait(t, false, 0)
			if q.drained() {
				return ErrShutDown
			}
		}
	case d < 0:
		t.Misuse("ValueError: 'timeout' must be a non-negative number")
	default:
		end := t.Clock() + d
		for q.store.len() == 0 {
			left := end - t.Clock()
			if left <= 0 {
				return ErrEmpty
			}
			q.notEmpty.wait(t, true, left)
			if q.drained() {
				return ErrShutDown
			}
		}
	}
	return nil
}

// Qsize returns the number of items, under the mutex.
func (q *Queue[T]) Qsize(t *sched.Thread) int {
	return q.read(t, "qsize", func() int { return q.store.len() })
}

// Empty reports whether the queue holds no item, under the mutex.
func (q *Queue[T]) Empty(t *sched.Thread) bool {
	return q.read(t, "empty", func() int { return q.store.len() }) == 0
}

// Full reports 0 < maxsize <= qsize, under the mutex: never on an
// unbounded queue.
func (q *Queue[T]) Full(t *sched.Thread) bool {
	return q.read(t, "full", func() int { return b2i(q.full()) }) == 1
}

func (q *Queue[T]) read(t *sched.Thread, name string, f func() int) int {
	q.mutex.Acquire(t)
	t.Step(sched.Op{Name: name, Obj: &q.obj, Access: sched.Read})
	v := f()
	t.SetResult(v)
	q.mutex.Release(t)
	return v
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TaskDone marks one item as processed; the last one releases Join.
// Calling it more often than items were put is CPython's ValueError, with
// nothing changed.
func (q *Queue[T]) TaskDone(t *sched.Thread) {
	q.mutex.Acquire(t)
	t.Step(sched.Op{Name: "task_done", Obj: &q.obj, Access: sched.Write})
	if q.unfinished == 0 {
		q.mutex.Release(t) // leaving "with self.all_tasks_done:"
		t.Misuse("ValueError: task_done() called too many times")
	}
	q.changed(t)
	if q.unfinished--; q.unfinished == 0 {
		q.allTasksDone.wake(t, q.allTasksDone.numWaiting())
	}
	t.SetResult(q.unfinished)
	q.mutex.Release(t)
}

// Join blocks until every item put has been marked done. Shutdown does
// not release it as such.
func (q *Queue[T]) Join(t *sched.Thread) {
	q.mutex.Acquire(t)
	for q.unfinished > 0 {
		q.allTasksDone.wait(t, false, 0)
	}
	t.Step(sched.Op{Name: "join", Obj: &q.obj, Access: sched.Read})
	q.mutex.Release(t)
}

// Shutdown is shutdown(immediate): from now on puts fail with ErrShutDown.
// If immediate, the items are discarded, each lowering the unfinished count
// (not below 0), and Join waiters are notified. Every getter and putter is
// notified. Calling it again is harmless.
func (q *Queue[T]) Shutdown(t *sched.Thread, immediate bool) {
	q.mutex.Acquire(t)
	t.Step(sched.Op{Name: "shutdown", Obj: &q.obj, Access: sched.Write})
	q.shutdown = true
	q.changed(t)
	if immediate {
		for q.store.len() > 0 {
			q.store.pop()
			if q.unfinished > 0 {
				q.unfinished--
			}
		}
		q.allTasksDone.wake(t, q.allTasksDone.numWaiting())
	}
	q.notEmpty.wake(t, q.notEmpty.numWaiting())
	q.notFull.wake(t, q.notFull.numWaiting())
	q.mutex.Release(t)
}

// IsShutdown reads is_shutdown, without the mutex.
func (q *Queue[T]) IsShutdown(t *sched.Thread) bool {
	t.Step(sched.Op{Name: "is_shutdown", Obj: &q.obj, Access: sched.Read})
	t.SetResult(q.shutdown)
	return q.shutdown
}

// SetMaxsize assigns maxsize, without the mutex, as Python code does; it
// takes effect at the next check.
func (q *Queue[T]) SetMaxsize(t *sched.Thread, n int) {
	t.Step(sched.Op{Name: "set_maxsize", Obj: &q.obj, Access: sched.Write})
	q.maxsize = n
	q.changed(t)
	t.SetResult(n)
}

// Unfinished reads unfinished_tasks, without the mutex.
func (q *Queue[T]) Unfinished(t *sched.Thread) int {
	t.Step(sched.Op{Name: "unfinished_tasks", Obj: &q.obj, Access: sched.Read})
	t.SetResult(q.unfinished)
	return q.unfinished
}
