"""threadsim runtime: the pipe protocol.

Every visible operation of a Python thread is a request, one line written to
the request pipe: fields separated by \\x1f, op first, then the thread id,
then the caller's location, then the operation's arguments. The thread then
waits for its reply. Replies are each framed by a 4-byte big-endian length:
"tid\\x1fvalue", or "tid@time\\x1fvalue" when the virtual time has changed
since the last reply (the clock cannot move while a Python thread runs, so
logging's timestamps read it here without a round trip). Each thread reads
its replies from a pipe of its own: the main thread from fd 3 (which the
fork server and the zygote read commands from), every other thread from a
pipe made when it starts, whose write end goes to Go with the start request
(SCM_RIGHTS over the datagram socket on fd 6, with "PID TID"). Go writes a
thread's reply to that thread's pipe, so the thread it runs wakes by itself:
exactly one Python thread runs at a time, and Go decides which.

Messages without a reply ("new") wait in this process and go out with the
next request, in the same write. One read(2) takes a whole reply. Each
message costs the other process a wake-up.

A reply that starts with "!" asks the thread to run a callback (a Barrier's
action) and answer "ret" before its operation goes on.
"""
import os
import sys
import _thread

RFD, WFD = 3, 4
PIPES_FD = 6  # the datagram socket that takes each new thread's reply pipe to Go
SEP = "\x1f"
_allocate = _thread.allocate_lock
_ident = _thread.get_ident


class Rec:
    """The runtime's record of one Python thread: sid is its tid as the
    protocol writes it, fd the pipe it reads its replies from, buf what
    was read of them but not yet taken."""
    __slots__ = ("tid", "sid", "fd", "buf")

    def __init__(self, tid):
        self.tid = tid
        self.sid = str(tid)
        self.fd = RFD
        self.buf = _rbuf


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


_rbuf = bytearray()  # what the main thread (or the server) read but has not taken
_pending = []        # encoded messages without a reply, not yet sent
clock = ["0"]        # the virtual time of the last reply, in seconds
_pipes = [None]      # the socket on PIPES_FD, opened once by the server


def open_pipes_socket():
    """Opens the socket on PIPES_FD (in the server: every child inherits
    it) and sends one pipe for no thread (tid -1, which threadsim skips),
    so that sending one has run once here: its first run in every
    execution's process wrote to about 45 pages (interned names, the
    dynamic linker, the type cache) and each was copied there."""
    import _socket
    _pipes[0] = _socket.socket(fileno=PIPES_FD)
    _pipes.append((_socket.SOL_SOCKET, _socket.SCM_RIGHTS))
    os.close(_send_pipe(-1))


def _send_pipe(tid):
    """Makes a pipe, sends its write end to Go for thread tid and returns
    its read end."""
    rfd, wfd = os.pipe()
    try:
        level, kind = _pipes[1]
        _pipes[0].sendmsg([b"%d %d" % (os.getpid(), tid)], [(level, kind, wfd.to_bytes(4, sys.byteorder))])
    finally:
        os.close(wfd)
    return rfd


def open_reply_pipe(r):
    """Gives the new thread r a reply pipe of its own and sends its write
    end to Go, which takes it with r's start request."""
    r.fd, r.buf = _send_pipe(r.tid), bytearray()


def _fill(fd, buf):
    b = os.read(fd, 4096)
    if not b:
        os._exit(0)
    buf.extend(b)


def read_msg(fd=RFD, buf=_rbuf):
    while len(buf) < 4:
        _fill(fd, buf)
    n = int.from_bytes(buf[:4], "big") + 4
    while len(buf) < n:
        _fill(fd, buf)
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


def _take(r):
    """Reads r's next reply from its pipe and returns its value, noting
    the virtual time it carries. One read(2) usually brings exactly one
    whole reply: that case takes no buffer."""
    buf = r.buf
    if buf:
        msg = read_msg(r.fd, buf)
    else:
        b = _read(r.fd, 4096)
        if len(b) > 4 and int.from_bytes(b[:4], "big") + 4 == len(b):
            msg = b[4:].decode("utf-8", "surrogateescape")
        else:
            if not b:
                os._exit(0)
            buf.extend(b)
            msg = read_msg(r.fd, buf)
    head, _, val = msg.partition(SEP)
    if "@" in head:
        clock[0] = head.partition("@")[2]
    return val


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
        send("ret" + SEP + r.sid + SEP + SEP + ok)


def wait_go(r):
    """Parks a new thread until Go runs it (its first reply, "go")."""
    _take(r)


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
    single-threaded start takes it first (tsrt_server._snapshot), and
    the new thread's reply pipe is made after it (a start request)."""
    r = by_ident.get(_ident())
    if r is None and not in_child[0]:
        return "1"
    if snapshot[0] is not None and op in PREFIX_END:
        snapshot[0]()
    if op == "tstart":
        open_reply_pipe(recs[int(args[0])])
    return call(r, SEP.join((op, r.sid, where()) + args))


def notify(op, *args):
    """Queues a message that has no reply: it goes out with the next."""
    r = by_ident.get(_ident())
    if r is None and not in_child[0]:
        return
    _pending.append(_encode(SEP.join((op, r.sid, "") + args)))
