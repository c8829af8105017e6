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
// A Python exception that signals misuse (RuntimeError, ValueError) fails
// the execution with a sched.Misuse failure that quotes CPython's message;
// an exception that is ordinary control flow (queue.Empty, queue.Full,
// BrokenBarrierError, ShutDown, TimeoutError) is a returned error.
package prims
