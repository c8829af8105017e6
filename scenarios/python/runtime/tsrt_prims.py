"""threadsim runtime: threading's and queue's primitives as requests.

Each object is registered with Go lazily, on its first use in an execution
(a "new" message: oid, kind, name, arguments), so that objects made before
the fork (module-level locks of the server's imports) work in every child.
Objects hash by creation order, so sets of them iterate the same way in
every execution.
"""
import builtins
import linecache
import os
import re
import sys

import tsrt_proto as P

SEP = P.SEP
_count = [0]        # creation counter (hashes)
_next_oid = [1]     # registration counter of this execution
_name_re = re.compile(r"\s*(?:[\w.\[\]'\"]+\.)?(\w+)\s*(?::[^=]*)?=[^=]")


# CPython's message for Lock.acquire(timeout=-2), which 3.13 reworded.
_NEGATIVE_LOCK_TIMEOUT = ("timeout value must be a non-negative number" if sys.version_info >= (3, 13)
                          else "timeout value must be positive")
RAISE = "\x1d"
_pending = {}  # tid -> the exception a callback (a Barrier's action) raised


def request(op, *args):
    """P.request for an operation on a primitive: a reply that starts with
    RAISE is the exception Go's primitive raised, raised here."""
    r = P.request(op, *args)
    if r[:1] == RAISE:
        raise_reply(r)
    return r


def raise_reply(r):
    """Raises the exception of a reply RAISE FLAG RAISE TYPE RAISE MESSAGE,
    as the Python class of that name with CPython's message; FLAG "M" marks
    a misuse (uncaught, a misuse failure). An exception a callback of this
    thread raised (a Barrier's action) is raised again itself."""
    _, flag, typ, msg = r.split(RAISE, 3)
    own = _pending.pop(P.me().tid, None)
    if own is not None:
        raise own
    cls = exception_class(typ)
    if cls is None:
        cls, msg = RuntimeError, "%s: %s" % (typ, msg)
    e = cls(msg) if msg else cls()
    if flag == "M":
        e._ts_misuse = True
    raise e


def exception_class(name):
    """The exception class Go names: a builtin, threading's, queue's or
    concurrent.futures'."""
    cls = getattr(builtins, name, None)
    if cls is None:
        if name == "BrokenBarrierError":
            cls = BrokenBarrierError
        elif name in ("Empty", "Full", "ShutDown"):
            cls = getattr(sys.modules["tsrt_queue"], name)
        elif name in ("InvalidStateError", "CancelledError", "BrokenExecutor"):
            import concurrent.futures
            cls = getattr(concurrent.futures, name, None)
    if isinstance(cls, type) and issubclass(cls, BaseException):
        return cls
    return None


def _callback(fn):
    """fn as a callback Go runs in a thread's operation: an exception it
    raises is kept, and the operation raises it again (Go is told its type)."""
    def run():
        try:
            fn()
        except BaseException as e:  # noqa
            _pending[P.me().tid] = e
            raise
    return run


def _creator_name(obj):
    """The name of the attribute or variable obj is assigned to in the line
    that creates it, and the owner of obj if the standard library's
    concurrent.futures makes it inside an executor (or at its import)."""
    cls = type(obj)
    if cls.__module__ not in ("tsrt_prims", "tsrt_queue"):
        return cls.__name__, None  # a program's subclass (Pipeline(queue.Queue))
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename.startswith(P.RUNTIME_DIR):
        f = f.f_back
    if f is None:
        return "", None
    name = ""
    line = linecache.getline(f.f_code.co_filename, f.f_lineno)
    m = _name_re.match(line)
    if m:
        name = m.group(1)
    return name, _owner_of(f)


_FUTURES = os.sep + os.path.join("concurrent", "futures") + os.sep


def _owner_of(f):
    """The Owner of what frame f (and the concurrent.futures frames that
    called it) creates: the executor whose method runs, or the module."""
    while f is not None and _FUTURES in f.f_code.co_filename:
        if f.f_code.co_name == "<module>":
            return Owner.module()
        s = f.f_locals.get("self")
        if s is not None and type(s).__name__ == "ThreadPoolExecutor" or hasattr(s, "_ts_owner"):
            o = getattr(s, "_ts_owner", None)
            if o is None:
                o = s._ts_owner = Owner(s)
            return o
        f = f.f_back
    return None


def _timeout(timeout):
    if timeout is None:
        return ""
    return repr(float(timeout))


_address = re.compile(r" at 0x[0-9a-fA-F]+")


# Objects whose repr would take steps (a Thread's calls is_alive, a
# Future's takes its condition): short() names their class instead.
_OPAQUE = ("threading", "concurrent.futures._base", "concurrent.futures.thread", "queue", "tsrt_prims",
           "tsrt_queue")
quiet = [False]  # set while short() runs a program's __repr__: its reads are no steps


def short(v, n=60):
    """v's repr, without addresses (they differ between executions), shortened."""
    cls = type(v)
    if cls.__module__ in _OPAQUE and not isinstance(v, BaseException):
        name = getattr(v, "_name", "")
        return "<%s %s>" % (cls.__name__, name) if isinstance(name, str) and name else "<%s>" % cls.__name__
    was = quiet[0]
    quiet[0] = True
    try:
        s = repr(v)
    except Exception:  # noqa
        s = "<%s>" % cls.__name__
    finally:
        quiet[0] = was
    if " at 0x" in s:
        s = _address.sub("", s)
    if len(s) > n:
        s = s[: n - 3] + "..."
    return s


class _Obj:
    __slots__ = ("_oid", "_h", "_name", "_owner", "__weakref__")
    _kind = "Object"

    def _ts_init(self):
        _count[0] += 1
        self._h = _count[0]
        self._oid = ""
        self._name, self._owner = _creator_name(self)

    def __hash__(self):
        return self._h

    def _args(self):
        return ()

    def _id(self):
        return self._oid or self._register()

    def _register(self):
        if not P.in_child[0]:
            return ""
        deps = self._deps()
        oid = _next_oid[0]
        _next_oid[0] += 1
        name = self._name or "%s-%d" % (self._kind, oid)
        if self._owner is not None:
            self._owner._id()
            name = self._owner.label() + "." + name
        P.notify("new", str(oid), self._kind, name, *deps, *self._args())
        self._oid = str(oid)
        return self._oid

    def _deps(self):
        return ()

    def __repr__(self):
        return "<threadsim %s %s>" % (self._kind, self._name or hex(id(self)))


class Owner(_Obj):
    """What owns the primitives the standard library makes inside one of
    its objects: a ThreadPoolExecutor (its work queue, idle semaphore,
    shutdown lock, its futures' conditions), or concurrent.futures itself
    (its global shutdown lock). An object of the execution without steps
    (kind Executor), named like the executor's threads' prefix
    ("ThreadPoolExecutor-0"); its primitives' names start with its name
    ("ThreadPoolExecutor-0._work_queue"), so traces, HTML pages and Mermaid
    diagrams hide their steps by default, as a Go executor's inner steps."""
    __slots__ = ("_of",)
    _kind = "Executor"
    _module = []

    def __init__(self, of):
        _count[0] += 1
        self._h = _count[0]
        self._oid, self._owner, self._of = "", None, of
        self._name = ""

    @classmethod
    def module(cls):
        if not cls._module:
            cls._module.append(Owner("concurrent.futures"))
        return cls._module[0]

    def label(self):
        if isinstance(self._of, str):
            return self._of
        return getattr(self._of, "_thread_name_prefix", "") or "ThreadPoolExecutor"

    def _register(self):
        self._name = self.label()
        return _Obj._register(self)


class Lock(_Obj):
    __slots__ = ()
    _kind = "Lock"

    def __init__(self):
        self._ts_init()

    def acquire(self, blocking=True, timeout=-1):
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError(_NEGATIVE_LOCK_TIMEOUT)
        mode = "b" if blocking else "n"
        return request("acquire", self._id(), mode, "" if timeout == -1 else repr(float(timeout))) == "1"

    acquire_lock = acquire

    def release(self):
        request("release", self._id())

    release_lock = release

    def locked(self):
        return request("locked", self._id()) == "1"

    locked_lock = locked

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *a):
        self.release()

    def _at_fork_reinit(self):
        pass


class RLock(Lock):
    __slots__ = ()
    _kind = "RLock"

    def _is_owned(self):
        return request("is_owned", self._id()) == "1"

    def _recursion_count(self):
        return int(request("recursion_count", self._id()))


class Condition(_Obj):
    __slots__ = ("_lock", "acquire", "release")
    _kind = "Condition"

    def __init__(self, lock=None):
        self._ts_init()
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release

    def _deps(self):
        return (self._lock._id(),)

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *a):
        return self._lock.__exit__(*a)

    def _is_owned(self):
        return self._lock._is_owned()

    def wait(self, timeout=None):
        return request("wait", self._id(), _timeout(timeout)) == "1"

    def wait_for(self, predicate, timeout=None):
        # CPython's own code: the predicate is the program's.
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _monotonic() + waittime
                else:
                    waittime = endtime - _monotonic()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        request("notify", self._id(), str(n))

    def notify_all(self):
        request("notify_all", self._id())

    notifyAll = notify_all


class Semaphore(_Obj):
    __slots__ = ("_initial",)
    _kind = "Semaphore"

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._initial = value
        self._ts_init()

    def _args(self):
        return (str(self._initial),)

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        return request("acquire", self._id(), "b" if blocking else "n", _timeout(timeout)) == "1"

    __enter__ = acquire

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        request("release", self._id(), str(n))

    def __exit__(self, *a):
        self.release()

    @property
    def _value(self):
        return int(request("value", self._id()))


class BoundedSemaphore(Semaphore):
    __slots__ = ()
    _kind = "BoundedSemaphore"


class Event(_Obj):
    __slots__ = ()
    _kind = "Event"

    def __init__(self):
        self._ts_init()

    def is_set(self):
        return request("is_set", self._id()) == "1"

    isSet = is_set

    def set(self):
        request("set", self._id())

    def clear(self):
        request("clear", self._id())

    def wait(self, timeout=None):
        return request("wait", self._id(), _timeout(timeout)) == "1"

    def _at_fork_reinit(self):
        pass


class BrokenBarrierError(RuntimeError):
    pass


class Barrier(_Obj):
    __slots__ = ("_parties", "_action", "_btimeout")
    _kind = "Barrier"

    def __init__(self, parties, action=None, timeout=None):
        if parties < 1 and sys.version_info >= (3, 13):
            raise ValueError("parties must be > 0")  # before 3.13, Go raises it at the first use
        self._ts_init()
        self._parties, self._action, self._btimeout = parties, action, timeout

    def _args(self):
        if self._action is not None:
            P.callbacks["a%d" % self._h] = _callback(self._action)
        return (str(self._parties), _timeout(self._btimeout), "a%d" % self._h if self._action else "")

    def wait(self, timeout=None):
        r = request("wait", self._id(), _timeout(timeout))
        if r[:1] == "B":
            raise BrokenBarrierError
        return int(r)

    def reset(self):
        request("reset", self._id())

    def abort(self):
        request("abort", self._id())

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return int(request("n_waiting", self._id()))

    @property
    def broken(self):
        return request("broken", self._id()) == "1"


_monotonic = None  # set by tsrt_time
