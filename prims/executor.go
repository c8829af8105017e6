package prims

import (
	"errors"
	"strconv"

	"github.com/threadsim/threadsim/sched"
)

// Errors Submit returns. CPython raises them as RuntimeError; they are
// returned rather than reported as misuse because programs catch them
// (a submit racing a shutdown, or one from an exit hook).
var (
	ErrExecutorShutdown    = errors.New("RuntimeError: cannot schedule new futures after shutdown")
	ErrInterpreterShutdown = errors.New("RuntimeError: cannot schedule new futures after interpreter shutdown")
)

// Executor is concurrent.futures.ThreadPoolExecutor as CPython builds it:
// a SimpleQueue of work items ('name.queue'), an idle Semaphore(0)
// ('name.idle'), a shutdown Lock and the module's global shutdown Lock.
//
// Submit holds both locks while it queues a work item and adjusts the
// thread count: if an idle token can be taken (acquire(timeout=0)) it
// starts nothing, otherwise it starts one more worker while fewer than
// maxWorkers exist. Workers are started lazily, inherit the submitter's
// daemon flag (non-daemon from the main thread), are named name_0,
// name_1, ..., and are never retired. A worker takes items in FIFO order;
// when the queue is empty it releases an idle token and blocks. On the
// None sentinel after shutdown it puts the sentinel back, to wake the next
// worker, and exits.
//
// Each executor registers CPython's threading exit hook (_python_exit)
// with Thread.AtExit when created: at the end of the main function it
// marks the interpreter as shutting down, puts a sentinel per worker and
// joins them, so queued work still runs before exit. CPython keeps this
// state module-wide; here it is per executor, so hooks of several
// executors run one after the other, last created first.
type Executor struct {
	obj          sched.Object
	name         string
	maxWorkers   int
	shutdownLock *Lock
	globalLock   *Lock
	queue        *SimpleQueue[task]
	idle         *Semaphore
	threads      []*sched.Thread
	shutdown     bool
	interpDown   bool
	futures      int
}

// task is a queued work item, whatever its result type.
type task interface {
	run(t *sched.Thread)
	cancel(t *sched.Thread) bool
}

// workItem is _WorkItem: a future and the call that completes it.
type workItem[R any] struct {
	f  *Future[R]
	fn func(*sched.Thread) (R, error)
}

// String names the work item by its future, for traces.
func (w *workItem[R]) String() string { return "work item " + w.f.obj.Name() }

func (w *workItem[R]) run(t *sched.Thread) {
	if !w.f.setRunningOrNotifyCancel(t) {
		return
	}
	v, err := w.fn(t)
	w.f.set(t, v, err)
}

func (w *workItem[R]) cancel(t *sched.Thread) bool { return w.f.Cancel(t) }

// NewExecutor returns a ThreadPoolExecutor(max_workers=maxWorkers); a
// value <= 0 is CPython's ValueError.
func NewExecutor(t *sched.Thread, name string, maxWorkers int) *Executor {
	if maxWorkers <= 0 {
		t.Misuse("ValueError: max_workers must be greater than 0")
	}
	ex := &Executor{name: name, maxWorkers: maxWorkers}
	t.Register(&ex.obj, sched.Sync, "Executor", name)
	ex.shutdownLock = NewLock(t, name+".shutdown_lock")
	ex.globalLock = NewLock(t, name+".global_shutdown_lock")
	ex.queue = NewSimpleQueue[task](t, name+".queue")
	ex.idle = NewSemaphore(t, name+".idle", 0)
	t.AtExit(ex.pythonExit)
	return ex
}

// WithExecutor runs body with a new executor and then shuts it down with
// wait, as Python's "with ThreadPoolExecutor(...) as ex:" block.
func WithExecutor(t *sched.Thread, name string, maxWorkers int, body func(ex *Executor)) {
	ex := NewExecutor(t, name, maxWorkers)
	body(ex)
	ex.Shutdown(t, true, false)
}

// Object returns the executor's scheduler object.
func (ex *Executor) Object() *sched.Object { return &ex.obj }

// Threads returns the worker threads started so far.
func (ex *Executor) Threads() []*sched.Thread { return ex.threads }

// Submit schedules fn and returns its Future, or an error if the executor
// or the interpreter is shutting down.
func Submit[R any](t *sched.Thread, ex *Executor, fn func(*sched.Thread) (R, error)) (*Future[R], error) {
	ex.shutdownLock.Acquire(t)
	defer ex.shutdownLock.Release(t)
	ex.globalLock.Acquire(t)
	defer ex.globalLock.Release(t)
	if err := ex.admit(t); err != nil {
		return nil, err
	}
	ex.futures++
	f := newFuture[R](t, ex.name+".f"+strconv.Itoa(ex.futures))
	ex.queue.Put(t, &workItem[R]{f: f, fn: fn})
	ex.adjustThreadCount(t)
	return f, nil
}

// admit is submit's checks, a step on the executor.
func (ex *Executor) admit(t *sched.Thread) error {
	t.Step(sched.Op{Name: "submit", Obj: &ex.obj, Access: sched.Read})
	var err error
	switch {
	case ex.shutdown:
		err = ErrExecutorShutdown
	case ex.interpDown:
		err = ErrInterpreterShutdown
	}
	if err != nil {
		t.SetResult(err)
	}
	return err
}

// adjustThreadCount starts a worker unless an idle one is available or
// the pool is full.
func (ex *Executor) adjustThreadCount(t *sched.Thread) {
	if ex.idle.AcquireTimeout(t, 0) {
		return
	}
	if n := len(ex.threads); n < ex.maxWorkers {
		ex.threads = append(ex.threads, t.Go(ex.name+"_"+strconv.Itoa(n), ex.worker))
	}
}

// worker is _worker: run items until the shutdown sentinel (nil).
func (ex *Executor) worker(t *sched.Thread) {
	for {
		item, err := ex.queue.GetNowait(t)
		if err != nil {
			ex.idle.Release(t)
			item = ex.queue.Get(t)
		}
		if item != nil {
			item.run(t)
			continue
		}
		if ex.interpDown || ex.shutdown {
			ex.shutdown = true
			ex.queue.Put(t, nil)
			return
		}
	}
}

// Shutdown is shutdown(wait, cancel_futures): no more submits; with
// cancelFutures, every queued future is cancelled; a sentinel is queued
// behind the remaining work; with wait, every worker is joined, so all
// queued work has run when it returns. Calling it twice is harmless;
// with wait from one of the pool's workers it is "cannot join current
// thread".
func (ex *Executor) Shutdown(t *sched.Thread, wait, cancelFutures bool) {
	ex.shutdownLock.Acquire(t)
	t.Step(sched.Op{Name: "shutdown", Obj: &ex.obj, Access: sched.Write})
	ex.shutdown = true
	for cancelFutures {
		item, err := ex.queue.GetNowait(t)
		if err != nil {
			break
		}
		if item != nil {
			item.cancel(t)
		}
	}
	ex.queue.Put(t, nil)
	ex.shutdownLock.Release(t)
	if wait {
		for _, w := range ex.threads {
			t.Join(w)
		}
	}
}

// pythonExit is concurrent.futures.thread._python_exit for this executor.
func (ex *Executor) pythonExit(t *sched.Thread) {
	ex.globalLock.Acquire(t)
	t.Step(sched.Op{Name: "python_exit", Obj: &ex.obj, Access: sched.Write})
	ex.interpDown = true
	ex.globalLock.Release(t)
	for range ex.threads {
		ex.queue.Put(t, nil)
	}
	for _, w := range ex.threads {
		t.Join(w)
	}
}
