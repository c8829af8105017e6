package prims

import (
	"strconv"

	"github.com/threadsim/threadsim/sched"
)

// Errors Submit returns. CPython raises them as RuntimeError; they are
// returned rather than reported as misuse because programs catch them
// (a submit racing a shutdown, or one from an exit hook).
var (
	ErrExecutorShutdown    = error(sched.NewException("RuntimeError", "cannot schedule new futures after shutdown"))
	ErrInterpreterShutdown = error(sched.NewException("RuntimeError", "cannot schedule new futures after interpreter shutdown"))
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
	f   *Future[R]
	fn  func(*sched.Thread) (R, error)
	seq int // the submission's index in its executor, from 1
}

// String names the work item by its future, for traces.
func (w *workItem[R]) String() string { return "work item " + w.f.obj.Name() }

// AppendState encodes the work item in its queue's state: its submission
// index and its future's object. The call is a closure and cannot be
// encoded; the index stands for it. That is sound: the closure is a
// function of the submitting thread's local state when it submitted,
// hence of its history then, and the executor's state includes its count
// of submissions, so the submit step folds the index into that history;
// two states with equal fingerprints have equal histories, hence the same
// thread made submission k with the same closure (unless a Checkpoint has
// since replaced its history: a model that checkpoints must then declare
// what its queued calls captured).
func (w *workItem[R]) AppendState(b []byte) []byte {
	return sched.AppendInt(sched.AppendInt(b, w.seq), int(w.f.obj.ID()))
}

// run is _WorkItem.run: the call's result, its returned error or the
// exception it raised (caught, as CPython catches BaseException) goes to
// the future.
func (w *workItem[R]) run(t *sched.Thread) {
	if !w.f.setRunningOrNotifyCancel(t) {
		return
	}
	var v R
	var err error
	if exc := t.Try(func() { v, err = w.fn(t) }); exc != nil {
		err = exc
	}
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
	ex.obj.Track(ex)
	ex.shutdownLock = NewLock(t, name+".shutdown_lock")
	ex.globalLock = NewLock(t, name+".global_shutdown_lock")
	ex.queue = NewSimpleQueue[task](t, name+".queue")
	ex.idle = NewSemaphore(t, name+".idle", 0)
	t.AtExit(ex.pythonExit)
	return ex
}

// AppendState encodes max_workers, the two shutdown flags, the number of
// submissions (which numbers the work items) and the workers in start
// order. The work queue, the idle semaphore and the locks are objects of
// their own. The locks do not guard the executor: every method reads the
// executor's fields only in the local code after a step on it.
func (ex *Executor) AppendState(b []byte) []byte {
	b = sched.AppendInt(b, ex.maxWorkers)
	b = sched.AppendBool(sched.AppendBool(b, ex.shutdown), ex.interpDown)
	b = sched.AppendInt(b, ex.futures)
	b = sched.AppendInt(b, len(ex.threads))
	for _, w := range ex.threads {
		b = sched.AppendThread(b, w)
	}
	return b
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

// Threads returns the worker threads started so far, without a step: for
// checks made when the workers have finished, like Var.Peek.
func (ex *Executor) Threads() []*sched.Thread { return ex.threads }

// Submit schedules fn and returns its Future, or an error if the executor
// or the interpreter is shutting down.
func Submit[R any](t *sched.Thread, ex *Executor, fn func(*sched.Thread) (R, error)) (*Future[R], error) {
	ex.shutdownLock.Acquire(t)
	defer ex.shutdownLock.Release(t)
	ex.globalLock.Acquire(t)
	defer ex.globalLock.Release(t)
	workers, err := ex.admit(t)
	if err != nil {
		return nil, err
	}
	f := newFuture[R](t, ex.name+".f"+strconv.Itoa(ex.futures))
	ex.queue.Put(t, &workItem[R]{f: f, fn: fn, seq: ex.futures})
	ex.adjustThreadCount(t, workers)
	return f, nil
}

// admit is submit's checks, a step on the executor: it counts the
// submission and returns the number of workers, which adjustThreadCount
// needs after steps on other objects. No worker starts meanwhile: workers
// start only in a submit, which holds the shutdown lock throughout.
func (ex *Executor) admit(t *sched.Thread) (workers int, err error) {
	t.Step(sched.Op{Name: "submit", Obj: &ex.obj, Access: sched.Write})
	switch {
	case ex.shutdown:
		err = ErrExecutorShutdown
	case ex.interpDown:
		err = ErrInterpreterShutdown
	}
	if err != nil {
		t.SetAccess(sched.Read)
		t.SetResult(err)
		return 0, err
	}
	ex.futures++
	return len(ex.threads), nil
}

// adjustThreadCount starts a worker unless an idle one is available or
// the pool, of n workers when the submit was admitted, is full.
func (ex *Executor) adjustThreadCount(t *sched.Thread, n int) {
	if ex.idle.AcquireTimeout(t, 0) {
		return
	}
	if n < ex.maxWorkers {
		w := t.Go(ex.name+"_"+strconv.Itoa(n), ex.worker)
		ex.threads = append(ex.threads, w)
		t.Changed(&ex.obj) // in the step that started w
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
		ex.stopWorker(t)
		return
	}
}

// stopWorker is _worker's exit on the sentinel: it marks the executor
// shut down and puts the sentinel back for the next worker. CPython first
// checks that the interpreter or the executor is shutting down; here a
// sentinel is queued only after one of the two flags was set, and neither
// is ever cleared, so the check always holds and is not made: it would
// read the executor in a step on its queue.
func (ex *Executor) stopWorker(t *sched.Thread) {
	ex.shutdown = true
	t.Changed(&ex.obj) // in the step that got the sentinel
	ex.queue.Put(t, nil)
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
	workers := ex.noMoreWorkers()
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
		for _, w := range workers {
			t.Join(w)
		}
	}
}

// noMoreWorkers returns the workers, in the step on the executor that set
// a shutdown flag: no worker starts after it (a submit checks the flags
// under both locks and starts workers before releasing them), so the
// joins that follow, after steps on other objects, need not read the
// executor again.
func (ex *Executor) noMoreWorkers() []*sched.Thread { return ex.threads }

// pythonExit is concurrent.futures.thread._python_exit for this executor.
func (ex *Executor) pythonExit(t *sched.Thread) {
	ex.globalLock.Acquire(t)
	t.Step(sched.Op{Name: "python_exit", Obj: &ex.obj, Access: sched.Write})
	ex.interpDown = true
	workers := ex.noMoreWorkers()
	ex.globalLock.Release(t)
	for range workers {
		ex.queue.Put(t, nil)
	}
	for _, w := range workers {
		t.Join(w)
	}
}
