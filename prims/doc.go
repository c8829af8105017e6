// Package prims gives models Python's threading and queue primitives, with
// CPython 3.13's semantics, on top of package sched.
//
// Every primitive is created by a thread of the execution (constructors take
// the creating *sched.Thread) and every operation takes the calling thread.
// Each visible operation is one sched step; a blocking operation declares a
// sched.Waiter so that the scheduler knows when it is enabled. Waking a
// waiter only makes it enabled: a thread arriving meanwhile may take the
// resource first, as in CPython. Where CPython guarantees an order
// (Condition notifies its longest waiter, SimpleQueue hands an item to its
// longest-parked getter) the primitive keeps it.
//
// # Layering
//
// Only what CPython writes in C is modelled natively: Lock, RLock and
// SimpleQueue (thread start and join are sched's). Everything else is
// built as threading.py, queue.py and concurrent/futures build it:
// Condition from a lock and a FIFO deque of per-waiter entries; Semaphore,
// BoundedSemaphore, Event and Barrier from Condition(Lock()); Queue,
// LifoQueue and PriorityQueue from one mutex and three Conditions; Timer
// from a thread and an Event; Executor from a SimpleQueue, a Semaphore,
// two Locks and threads, and each Future from a Condition on an RLock. So
// the blocking points, the barging windows and the absorbed notify of
// python-semantics 1.3 come out as CPython's.
//
// # Steps in a trace
//
// A composite primitive's internal lock is an object of its own, named
// after the primitive ("Lock 'jobs.mutex'", "Lock 'sem.lock'"), and shows
// as "acquire" and "release" steps. Each user-visible operation makes one
// step on the primitive's own object that bears its name and result
// ("put", "get", "set", "acquire", "arrive", "cancel"...), and a Condition
// wait is three steps: "release" of the lock (the entry is queued first),
// "wait" on the condition (the blocking one), "acquire" of the lock. A
// deadlock report says what a blocked "wait" waits for ("not notified",
// "value is 0", "not_empty: queue is empty", "1/2 parties arrived").
//
// # State
//
// Every primitive tracks its object's state for stateful exploration
// (sched.State): everything a later operation reads (owners, counts,
// flags, items in the order they come out, waiters in order with their
// flags, shutdown and barrier states, a future's result) and nothing that
// only names. A closure (a submitted call, a barrier's action) cannot be
// encoded; something fixed with it stands for it (the submission's
// index, the barrier itself). A composite primitive's internal lock
// encodes the primitive too, because the code after acquiring it reads
// the primitive; a step that changes an object other than its own (a
// Condition wait queues its entry after a step on the lock) marks it with
// Thread.Changed. state.go states the rules.
//
// # repr
//
// Lock, Event, Semaphore, BoundedSemaphore and Barrier have Repr, which
// reads the state in a step and returns what CPython 3.13 prints
// ("<locked _thread.lock object at 0x...>", "<threading.Barrier at
// 0x...: waiters=1/3>"), with a deterministic stand-in for the address.
//
// # Errors
//
// A misuse CPython rejects (RuntimeError, ValueError: releasing an
// unlocked Lock, Semaphore(-1), over-releasing a BoundedSemaphore,
// task_done() too often, a negative timeout, joining a thread before it
// starts ...) raises CPython's exception with its exact message, a
// sched.Exception: the model can catch it with sched.Thread.Try, and
// uncaught it ends its thread and is a sched.Misuse failure. Internal
// locks are released as the with-statements CPython raises in release
// them. An exception that is ordinary control flow (queue.Empty,
// queue.Full, BrokenBarrierError, ShutDown, TimeoutError, CancelledError)
// is a returned error, itself a sched.Exception that
// sched.Thread.Reraise raises. Submit's RuntimeError after shutdown is
// returned too, because programs catch it. A call run by an Executor
// reports its Python exception as the error it returns or by raising it:
// either way the future stores it, Future.Result returns it and
// Future.Get re-raises it; a Go panic in it is a sched.Panic. A Barrier
// action that raises breaks the barrier and the exception propagates in
// the thread that ran it.
package prims
