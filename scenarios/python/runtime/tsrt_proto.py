"""threadsim runtime: the pipe protocol and the batons.

Every visible operation of a Python thread is a request, one line written to
the request pipe: fields separated by \\x1f, op first, then the thread id,
then the caller's location, then the operation's arguments. The thread then
waits for its reply. Replies come on the reply pipe, each framed by a 4-byte
big-endian length: "tid\\x1fvalue", or "tid@time\\x1fvalue" when the virtual
time has changed since the last reply (the clock cannot move while a Python
thread runs, so logging's timestamps read it here without a round trip).
The thread that sent the last request reads the next reply; a reply for
another thread is handed to it (its baton, a real lock, is released) and
the reader parks on its own baton. So exactly one Python thread runs at a
time, and Go decides which.

Messages without a reply ("new") wait in this process and go out with the
next request, in the same write. Replies are read in blocks: one read(2)
takes a whole reply. Each message costs the other process a wake-up.

A reply that starts with "!" asks the thread to run a callback (a Barrier's
action) and answer "ret" before its operation goes on. A reply for thread
-1 ends the process.
"""
import os
import sys
import _thread

RFD, WFD = 3, 4
SEP = "\x1f"
_allocate = _thread.allocate_lock
_ident = _thread.get_ident


class Rec:
    """The runtime's record of one Python thread (sid: its tid as the
    protocol writes it)."""
    __slots__ = ("tid", "sid", "baton", "reply")

    def __init__(self, tid):
        self.tid = tid
        self.sid = str(tid)
        self.baton = _allocate()
        self.baton.acquire()
        self.reply = None


recs = []        # by tid
by_ident = {}    # OS thread ident -> Rec
callbacks = {}   # callback key -> function


def me():
    return by_ident[_ident()]


def new_rec(ident=None):
    r = Rec(len(recs))
    recs.append(r)
    if ident is not None:
        by_ident[ident] = r
    return r


_rbuf = bytearray()  # replies read but not yet taken
_pending = []        # encoded messages without a reply, not yet sent
clock = ["0"]        # the virtual time of the last reply, in seconds


def _fill():
    b = os.read(RFD, 4096)
    if not b:
        os._exit(0)
    _rbuf.extend(b)


def read_msg():
    buf = _rbuf
    while len(buf) < 4:
        _fill()
    n = int.from_bytes(buf[:4], "big") + 4
    while len(buf) < n:
        _fill()
    msg = buf[4:n].decode("utf-8", "surrogateescape")
    del buf[:n]
    return msg


def _encode(line):
    return (line.replace("\n", "\x1e") + "\n").encode("utf-8", "surrogateescape")


def send_now(line):
    """Sends a message of the process itself ("snap", "died") at once,
    leaving the thread's pending messages for its next request."""
    data = _encode(line)
    while data:
        n = os.write(WFD, data)
        data = data[n:]


_write, _read = os.write, os.read


def send(line):
    data = (line.replace("\n", "\x1e") + "\n").encode("utf-8", "surrogateescape")
    if _pending:
        _pending.append(data)
        data = b"".join(_pending)
        _pending.clear()
    n = _write(WFD, data)
    while n < len(data):  # a pipe takes a short message whole: rarely taken
        data = data[n:]
        n = _write(WFD, data)


def _reply():
    """Reads one reply: (tid, value), noting the virtual time it carries."""
    head, _, val = _next_reply().partition(SEP)
    if "@" in head:
        head, _, clock[0] = head.partition("@")
    return int(head), val


def _next_reply():
    """The next reply's text. One read(2) usually brings exactly one
    whole reply: that case takes no buffer."""
    if not _rbuf:
        b = _read(RFD, 4096)
        if len(b) > 4 and int.from_bytes(b[:4], "big") + 4 == len(b):
            return b[4:].decode("utf-8", "surrogateescape")
        if not b:
            os._exit(0)
        _rbuf.extend(b)
    return read_msg()


def _take(r):
    """Reads one reply as r (the reader) and returns r's own reply."""
    while True:
        head, _, val = _next_reply().partition(SEP)
        if head == r.sid:
            return val
        if "@" in head:
            head, _, clock[0] = head.partition("@")
            if head == r.sid:
                return val
        tid = int(head)
        if tid < 0:
            os._exit(0)
        other = recs[tid]
        other.reply = val
        other.baton.release()
        r.baton.acquire()
        return r.reply


def call(r, line):
    """Sends a request for thread r and returns its reply."""
    send(line)
    while True:
        val = _take(r)
        if val[:1] != "!":
            return val
        ok = "1"
        try:
            callbacks[val[1:]]()
        except BaseException as e:  # noqa: a callback's exception breaks it
            ok = "0" + type(e).__name__
        send("ret" + SEP + str(r.tid) + SEP + SEP + ok)


def pass_on(r):
    """After r's exit message: read one reply and hand it to its thread."""
    tid, val = _reply()
    if tid < 0:
        os._exit(0)
    other = recs[tid]
    other.reply = val
    other.baton.release()


def wait_go(r):
    """Parks a new thread until Go runs it."""
    r.baton.acquire()


RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))
_getframe = sys._getframe
_basenames = {}


def where():
    """The location of the first frame outside the runtime: 'file.py:12 func'."""
    f = _getframe(2)
    while f is not None and f.f_code.co_filename.startswith(RUNTIME_DIR):
        f = f.f_back
    if f is None:
        return ""
    co = f.f_code
    fn = co.co_filename
    b = _basenames.get(fn)
    if b is None:
        b = _basenames[fn] = os.path.basename(fn)
    return "%s:%d %s" % (b, f.f_lineno, co.co_name)


in_child = [False]

# The requests that end a program's single-threaded start: a thread start
# and a random draw the scheduler chooses (the first choice an execution
# can make, or the first moment it has two threads).
PREFIX_END = frozenset(("tstart", "random"))
snapshot = [None]  # in a child asked to snapshot its start: the function that does


def request(op, *args):
    """Sends op for the calling thread, with its location, and returns the reply.

    In the fork server (no execution: the at-fork hooks of the imports
    acquire their locks) an operation does nothing and succeeds. In a
    child asked for a snapshot, the first request that ends the program's
    single-threaded start takes it first (tsrt_server._snapshot)."""
    r = by_ident.get(_ident())
    if r is None and not in_child[0]:
        return "1"
    if snapshot[0] is not None and op in PREFIX_END:
        snapshot[0]()
    return call(r, SEP.join((op, r.sid, where()) + args))


def notify(op, *args):
    """Queues a message that has no reply: it goes out with the next."""
    r = by_ident.get(_ident())
    if r is None and not in_child[0]:
        return
    _pending.append(_encode(SEP.join((op, r.sid, "") + args)))
