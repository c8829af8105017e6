"""threadsim runtime: threading.Thread's start, join and is_alive, thread
exit, uncaught exceptions, and the end of the program.

A start is a step of the parent ("start" request, which names the new
thread and brings Go its reply pipe); the parent then starts the OS thread
and waits until it has parked on its pipe, so that nothing runs beside the
parent. Go runs the new thread when it first schedules it. A thread's exit
is a message without a reply: Go then replies to the thread it runs next.
"""
import os
import sys
import threading
import traceback
import _thread

import tsrt_proto as P

_Thread = threading.Thread
_orig_init = _Thread.__init__
_count = [0]
_failed = [False]


class _Flag:
    """A plain flag for Thread._started: not a scheduling point."""
    __slots__ = ("_v",)

    def __init__(self):
        self._v = False

    def is_set(self):
        return self._v

    def set(self):
        self._v = True

    def wait(self, timeout=None):
        return self._v

    def _at_fork_reinit(self):
        pass


def _init(self, *a, **kw):
    _orig_init(self, *a, **kw)
    _count[0] += 1
    self._ts_hash = _count[0]
    self._started = _Flag()
    self._ts_rec = None


def _hash(self):
    return getattr(self, "_ts_hash", 0)


def _start(self):
    if not self._initialized:
        raise RuntimeError("thread.__init__() not called")
    if self._started.is_set():
        raise RuntimeError("threads can only be started once")
    rec = P.new_rec()
    self._ts_rec = rec
    P.request("tstart", str(rec.tid), self._name, "1" if self._daemonic else "0")
    parked = P._allocate()
    parked.acquire()
    with threading._active_limbo_lock:
        threading._limbo[self] = self
    _real_start_new_thread(_bootstrap, (self, rec, parked))
    parked.acquire()
    self._started.set()


def _bootstrap(self, rec, parked):
    ident = _thread.get_ident()
    P.by_ident[ident] = rec
    self._ident = ident
    if hasattr(self, "_set_native_id"):
        self._set_native_id()
    with threading._active_limbo_lock:
        threading._active[ident] = self
        del threading._limbo[self]
    parked.release()
    P.wait_go(rec)
    try:
        self.run()
    except SystemExit:
        pass
    except BaseException as e:  # noqa
        uncaught(e, self)
    finish(rec, self)


def uncaught(e, thread):
    """An exception ended thread's run(): a failure that lets the execution
    go on (an assertion stops it), then threading.excepthook, as CPython's
    bootstrap (its default prints the traceback to stderr)."""
    strip(e)
    report(e, "Exception in thread %s" % thread._name)
    try:
        threading.excepthook(threading.ExceptHookArgs((type(e), e, e.__traceback__, thread)))
    except BaseException as h:  # noqa
        strip(h)
        _stderr_block("Exception in threading.excepthook:\n" + "".join(traceback.format_exception(h)))


def finish(rec, thread):
    with threading._active_limbo_lock:
        threading._active.pop(rec_ident(thread), None)
    thread._is_stopped = True
    P.send(P.SEP.join(("exit", rec.sid, "")))


def rec_ident(thread):
    return getattr(thread, "_ident", None)


def _join(self, timeout=None):
    if not self._initialized:
        raise RuntimeError("Thread.__init__() not called")
    if not self._started.is_set():
        raise RuntimeError("cannot join thread before it is started")
    if self is threading.current_thread():
        raise RuntimeError("cannot join current thread")
    rec = self._ts_rec
    if rec is None:  # a thread made outside the simulator
        return
    t = "" if timeout is None else repr(max(float(timeout), 0.0))
    P.request("tjoin", str(rec.tid), t)


def _is_alive(self):
    if not self._started.is_set():
        return False
    rec = getattr(self, "_ts_rec", None)
    if rec is None:
        return True  # the main thread
    return P.request("talive", str(rec.tid)) == "1"


def _stderr_block(text):
    """Writes a traceback to stderr in one print step when stderr is the
    runtime's (the program may have replaced it)."""
    w = getattr(sys.stderr, "write_block", None)
    if w is not None:
        w(text)
    else:
        sys.stderr.write(text)


def main_uncaught(e):
    """An exception ended the main module: recorded as in a thread, and
    sys.excepthook's traceback on stderr; the program then ends as
    CPython's does (exit hooks, non-daemon threads joined)."""
    strip(e)
    report(e, "Exception in main thread")
    _stderr_block("".join(traceback.format_exception(type(e), e, e.__traceback__)))


def _default_hook(args):
    """threading.__excepthook__: CPython's text on stderr (one print step a
    line), without the runtime's frames."""
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else _thread.get_ident()
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    _stderr_block("Exception in thread %s:\n%s" % (name, text))


def _runtime(tb):
    return tb.tb_frame.f_code.co_filename.startswith(P.RUNTIME_DIR)


def strip(e):
    """Removes the runtime's frames from e's traceback and from those of
    the exceptions it chains, so that what is printed is the program's."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        tbs = []
        tb = e.__traceback__
        while tb is not None:
            if not _runtime(tb):
                tbs.append(tb)
            tb = tb.tb_next
        for a, b in zip(tbs, tbs[1:] + [None]):
            a.tb_next = b
        e.__traceback__ = tbs[0] if tbs else None
        e = e.__cause__ or e.__context__


def clean_tb(tb):
    """The traceback's frames without the runtime's."""
    return [f for f in traceback.extract_tb(tb) if not f.filename.startswith(P.RUNTIME_DIR)]


def report(e, header):
    """Records e, which nothing caught: an AssertionError fails the
    execution (an assertion); any other exception ended its thread only, a
    failure that lets the execution go on (uncaught-exception, or misuse
    when a primitive raised it), as a Go model's uncaught exception."""
    frames = clean_tb(e.__traceback__)
    text = header + ":\nTraceback (most recent call last):\n" + "".join(traceback.format_list(frames))
    text += "".join(traceback.format_exception_only(type(e), e))
    line = "".join(traceback.format_exception_only(type(e), e)).strip().splitlines()[-1]
    at = ""
    if frames:
        f = frames[-1]
        at = " (%s:%d in %s)" % (os.path.basename(f.filename), f.lineno, f.name)
    if isinstance(e, AssertionError):
        P.request("fail", "assertion", line + at, text)
    else:
        kind = "misuse" if getattr(e, "_ts_misuse", False) else "exception"
        P.request("uncaught", kind, line + at, text)
    _failed[0] = True


_real_start_new_thread = _thread.start_new_thread


def install():
    import atexit
    atexit.register, atexit.unregister = _register, _unregister
    _thread.start_new_thread = _thread.start_new = start_new_thread
    _Thread.__init__ = _init
    _Thread.__hash__ = _hash
    _Thread.start = _start
    _Thread.join = _join
    _Thread.is_alive = _is_alive
    threading.excepthook = _default_hook
    threading.__excepthook__ = _default_hook


def run_exit_hooks():
    """The end of the program as CPython's: threading._shutdown's hooks
    (an executor drains and joins its workers), then, if the program
    registered atexit handlers, the wait for the non-daemon threads that
    threading._shutdown makes and the handlers, last registered first. (If
    it registered none, Go waits for the non-daemon threads after main's
    exit, which takes no step.)"""
    threading._SHUTTING_DOWN = True
    for hook in reversed(threading._threading_atexits):
        hook()
    if _atexits:
        join_non_daemon()
        run_atexits()


def join_non_daemon():
    """threading._shutdown's wait: main joins every non-daemon thread,
    those started meanwhile included."""
    main = threading.main_thread()
    joined = set()
    while True:
        left = [t for t in threading.enumerate() if t is not main and not t.daemon and t not in joined]
        if not left:
            return
        for t in left:
            t.join()
            joined.add(t)


_atexits = []  # the program's atexit handlers: (func, args, kwargs)


def _register(func, *args, **kwargs):
    """atexit.register for the program."""
    _atexits.append((func, args, kwargs))
    return func


def _unregister(func):
    """atexit.unregister for the program."""
    _atexits[:] = [h for h in _atexits if h[0] != func]


def run_atexits():
    """atexit._run_exitfuncs: last registered first; an exception is
    printed as CPython prints it ("Exception ignored in atexit callback")
    and reported as uncaught in main, and the next handler runs."""
    while _atexits:
        func, args, kwargs = _atexits.pop()
        try:
            func(*args, **kwargs)
        except BaseException as e:  # noqa
            if isinstance(e, SystemExit):
                continue
            strip(e)
            report(e, "Exception in atexit callback")
            _stderr_block("Exception ignored in atexit callback %s:\n%s" % (
                _shortrepr(func), "".join(traceback.format_exception(type(e), e, e.__traceback__))))


def _shortrepr(func):
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or type(func).__name__
    return "<function %s>" % name


_raw_count = [0]


def start_new_thread(function, args, kwargs=None):
    """_thread.start_new_thread for the program: the raw thread is mirrored
    by a virtual thread like threading's, named "Dummy-N (function)" and
    daemon (CPython does not wait for it at exit); an exception that ends
    it is printed as CPython prints it and reported as uncaught."""
    if not callable(function):
        raise TypeError("first arg must be callable")
    if not isinstance(args, tuple):
        raise TypeError("2nd arg must be a tuple")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError("optional 3rd arg must be a dictionary")
    _raw_count[0] += 1
    name = "Dummy-%d (%s)" % (_raw_count[0], getattr(function, "__name__", type(function).__name__))
    rec = P.new_rec()
    P.request("tstart", str(rec.tid), name, "1")
    parked = P._allocate()
    parked.acquire()
    ident = _real_start_new_thread(_raw_bootstrap, (function, args, kwargs or {}, rec, parked, name))
    parked.acquire()
    return ident


def _raw_bootstrap(function, args, kwargs, rec, parked, name):
    P.by_ident[_thread.get_ident()] = rec
    parked.release()
    P.wait_go(rec)
    try:
        function(*args, **kwargs)
    except SystemExit:
        pass
    except BaseException as e:  # noqa
        strip(e)
        report(e, "Exception in thread %s" % name)
        _stderr_block("Exception ignored in thread started by: %s\n%s" % (
            _shortrepr(function), "".join(traceback.format_exception(type(e), e, e.__traceback__))))
    P.send(P.SEP.join(("exit", rec.sid, "")))
