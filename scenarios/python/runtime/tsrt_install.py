"""threadsim runtime: installs the runtime's classes in place of
threading's, queue's and time's, before the program (or anything it
imports) binds them, and pre-imports what programs commonly use so that a
forked child does not pay for it.
"""
import sys
import threading
import _thread
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


def _libc_fork():
    """libc's fork(2), called with the GIL held, or None without ctypes."""
    try:
        import ctypes
        f = ctypes.PyDLL(None, use_errno=True).fork
    except (ImportError, OSError, AttributeError):
        return None
    f.restype = ctypes.c_int
    f.argtypes = ()
    return f


_raw_fork = _libc_fork()


def fork():
    """Forks the server for one execution.

    The server runs one thread and holds the GIL, so the child's
    interpreter state is consistent as fork(2) copies it: libc's fork skips
    os.fork's after-fork work (CPython's thread and lock reinitialisation,
    which has nothing to do in a one-thread process, and the imports'
    at-fork hooks: threading's, random's, logging's, whose Python code
    wrote to about 270 pages of the server's heap and cost every child
    1.2 ms). The child rebuilds what it uses (tsrt_server._child). With
    more than one thread, or without ctypes, os.fork runs as usual."""
    import os
    if _raw_fork is not None and _thread._count() == 0 and threading.active_count() == 1:
        pid = _raw_fork()
        if pid < 0:
            import ctypes
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
        return pid
    for name in _PATCHED:
        setattr(threading, name, _real[name])
    try:
        return os.fork()
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


def prime_abc_caches():
    """isinstance against an ABC of collections.abc fills the ABC's caches
    on first use, in Python: logging asks whether a record's one argument
    is a Mapping. Asked here once for the common types, every child finds
    the answer cached."""
    import collections.abc
    for t in (int, float, complex, str, bytes, tuple, list, dict, set, bool, type(None)):
        issubclass(t, collections.abc.Mapping)


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
    prime_abc_caches()
