"""threadsim runtime: queue.Queue, LifoQueue, PriorityQueue and SimpleQueue.

Go's prims queue decides blocking, counts and unfinished tasks; the items
stay in Python, in the storage CPython's queue.py keeps (_init, _qsize,
_put, _get), so subclasses that override them keep working: a put step
granted by Go is followed by _put, a get step by _get, with no other
Python thread running in between.
"""
from collections import deque
import heapq

from tsrt_prims import _Obj, _timeout, short, request


from queue import Empty, Full  # CPython's own exception classes

try:
    from queue import ShutDown
except ImportError:  # before 3.13
    class ShutDown(Exception):
        pass


class Queue(_Obj):
    _kind = "Queue"
    _flavor = "fifo"

    def __init__(self, maxsize=0):
        self._ts_init()
        self.maxsize = maxsize
        self._init(maxsize)

    def _args(self):
        return (str(self.maxsize), self._flavor)

    # CPython's storage methods
    def _init(self, maxsize):
        self.queue = deque()

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.popleft()

    def put(self, item, block=True, timeout=None):
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        r = request("put", self._id(), "b" if block else "n", _timeout(timeout) if block else "", short(item))
        if r == "1":
            self._put(item)
            return
        if r == "S":
            raise ShutDown
        raise Full

    def put_nowait(self, item):
        return self.put(item, block=False)

    def get(self, block=True, timeout=None):
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        r = request("get", self._id(), "b" if block else "n", _timeout(timeout) if block else "")
        if r == "1":
            return self._get()
        if r == "S":
            raise ShutDown
        raise Empty

    def get_nowait(self):
        return self.get(block=False)

    def qsize(self):
        return int(request("qsize", self._id()))

    def empty(self):
        return request("empty", self._id()) == "1"

    def full(self):
        return request("full", self._id()) == "1"

    def task_done(self):
        request("task_done", self._id())

    def join(self):
        request("join", self._id())

    def shutdown(self, immediate=False):
        request("shutdown", self._id(), "1" if immediate else "0")
        if immediate:
            while self._qsize():
                self._get()

    def __repr__(self):
        return object.__repr__(self)


class LifoQueue(Queue):
    _kind = "LifoQueue"
    _flavor = "lifo"

    def _init(self, maxsize):
        self.queue = []

    def _get(self):
        return self.queue.pop()


class PriorityQueue(Queue):
    _kind = "PriorityQueue"
    _flavor = "priority"

    def _init(self, maxsize):
        self.queue = []

    def _put(self, item):
        heapq.heappush(self.queue, item)

    def _get(self):
        return heapq.heappop(self.queue)


class SimpleQueue(_Obj):
    __slots__ = ("_q",)
    _kind = "SimpleQueue"

    def __init__(self):
        self._ts_init()
        self._q = deque()

    def put(self, item, block=True, timeout=None):
        request("put", self._id(), "b", "", short(item))
        self._q.append(item)

    def put_nowait(self, item):
        self.put(item, False)

    def get(self, block=True, timeout=None):
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        r = request("get", self._id(), "b" if block else "n", _timeout(timeout) if block else "")
        if r == "1":
            return self._q.popleft()
        raise Empty

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return int(request("qsize", self._id()))

    def empty(self):
        return request("empty", self._id()) == "1"
