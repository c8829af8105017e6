"""threadsim runtime: threading.Thread's start, join and is_alive, thread
exit, uncaught exceptions, and the end of the program.

A start is a step of the parent ("start" request, which names the new
thread); the parent then starts the OS thread and waits until it has parked
on its baton, so that nothing runs beside the parent. Go runs the new
thread when it first schedules it. A thread's exit is a message without a
reply, after which the exiting thread passes the next reply on.
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
    _thread.start_new_thread(_bootstrap, (self, rec, parked))
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
        sys.stderr.write("Exception in threading.excepthook:\n" + "".join(traceback.format_exception(h)))


def finish(rec, thread):
    with threading._active_limbo_lock:
        threading._active.pop(rec_ident(thread), None)
    thread._is_stopped = True
    P.send(P.SEP.join(("exit", str(rec.tid), "")))
    P.pass_on(rec)


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


def main_uncaught(e):
    """An exception ended the main module: recorded as in a thread, and
    sys.excepthook's traceback on stderr; the program then ends as
    CPython's does (exit hooks, non-daemon threads joined)."""
    strip(e)
    report(e, "Exception in main thread")
    sys.stderr.write("".join(traceback.format_exception(type(e), e, e.__traceback__)))


def _default_hook(args):
    """threading.__excepthook__: CPython's text on stderr (one print step a
    line), without the runtime's frames."""
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else _thread.get_ident()
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    sys.stderr.write("Exception in thread %s:\n%s" % (name, text))


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


def install():
    _Thread.__init__ = _init
    _Thread.__hash__ = _hash
    _Thread.start = _start
    _Thread.join = _join
    _Thread.is_alive = _is_alive
    threading.excepthook = _default_hook
    threading.__excepthook__ = _default_hook


def run_exit_hooks():
    """CPython's threading._shutdown before joining: the atexit hooks."""
    threading._SHUTTING_DOWN = True
    for hook in reversed(threading._threading_atexits):
        hook()
