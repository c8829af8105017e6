"""threadsim runtime: the pipe protocol and the batons.

Every visible operation of a Python thread is a request, one line written to
the request pipe: fields separated by \\x1f, op first, then the thread id,
then the caller's location, then the operation's arguments. The thread then
waits for its reply. Replies come on the reply pipe, each framed by a 4-byte
big-endian length: "tid\\x1fvalue". The thread that sent the last request
reads the next reply; a reply for another thread is handed to it (its
baton, a real lock, is released) and the reader parks on its own baton. So
exactly one Python thread runs at a time, and Go decides which.

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
    """The runtime's record of one Python thread."""
    __slots__ = ("tid", "baton", "reply")

    def __init__(self, tid):
        self.tid = tid
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


def _readn(n):
    b = os.read(RFD, n)
    if not b:
        os._exit(0)
    while len(b) < n:
        more = os.read(RFD, n - len(b))
        if not more:
            os._exit(0)
        b += more
    return b


def read_msg():
    n = int.from_bytes(_readn(4), "big")
    return _readn(n).decode("utf-8", "surrogateescape")


def send(line):
    data = (line.replace("\n", "\x1e") + "\n").encode("utf-8", "surrogateescape")
    while data:
        n = os.write(WFD, data)
        data = data[n:]


def _take(r):
    """Reads one reply as r (the reader) and returns r's own reply."""
    while True:
        msg = read_msg()
        tid, _, val = msg.partition(SEP)
        tid = int(tid)
        if tid == r.tid:
            return val
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
    msg = read_msg()
    tid, _, val = msg.partition(SEP)
    tid = int(tid)
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


def request(op, *args):
    """Sends op for the calling thread, with its location, and returns the reply.

    In the fork server (no execution: the at-fork hooks of the imports
    acquire their locks) an operation does nothing and succeeds."""
    r = by_ident.get(_ident())
    if r is None and not in_child[0]:
        return "1"
    return call(r, SEP.join((op, str(r.tid), where()) + args))


def notify(op, *args):
    """Sends a message that has no reply."""
    r = by_ident.get(_ident())
    if r is None and not in_child[0]:
        return
    send(SEP.join((op, str(r.tid), "") + args))
