"""threadsim runtime: installs the runtime's classes in place of
threading's, queue's and time's, before the program (or anything it
imports) binds them, and pre-imports what programs commonly use so that a
forked child does not pay for it.
"""
import sys
import threading
import logging

import tsrt_prims
import tsrt_queue
import tsrt_threads
import tsrt_time


class _NoLock:
    """logging's handler lock: not a scheduling point (one print step a record)."""

    def acquire(self, *a, **k):
        return True

    def release(self):
        pass

    __enter__ = acquire

    def __exit__(self, *a):
        pass

    def _at_fork_reinit(self):
        pass


def _create_lock(self):
    self.lock = _NoLock()


_PATCHED = ("Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier")
_real = {name: getattr(threading, name) for name in _PATCHED}


def fork():
    """os.fork with threading's own classes in place: threading._after_fork
    makes its bookkeeping locks from the module's globals."""
    for name in _PATCHED:
        setattr(threading, name, _real[name])
    try:
        return __import__("os").fork()
    finally:
        for name in _PATCHED:
            setattr(threading, name, getattr(tsrt_prims, name))


def prime_linecache():
    """Reads the sources whose lines name the objects they create, once in
    the server rather than in every child."""
    import linecache
    import concurrent.futures._base
    import concurrent.futures.thread
    import queue
    for mod in (threading, concurrent.futures._base, concurrent.futures.thread, queue, logging):
        f = getattr(mod, "__file__", None)
        if f:
            linecache.getline(f, 1)


def install():
    for name in ("Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier",
                 "BrokenBarrierError"):
        setattr(threading, name, getattr(tsrt_prims, name))
    threading._CRLock = None
    threading._PyRLock = tsrt_prims.RLock
    tsrt_threads.install()
    tsrt_time.install()
    import queue
    for name in ("Queue", "LifoQueue", "PriorityQueue", "SimpleQueue", "Empty", "Full"):
        setattr(queue, name, getattr(tsrt_queue, name))
    if hasattr(queue, "ShutDown"):
        queue.ShutDown = tsrt_queue.ShutDown
    logging.Handler.createLock = _create_lock
    logging.time = tsrt_time.LogClock()
    logging._lock = _NoLock()
    # What programs commonly import, bound to the runtime's classes.
    import concurrent.futures  # noqa
    import concurrent.futures.thread  # noqa
    import random  # noqa
    prime_linecache()
