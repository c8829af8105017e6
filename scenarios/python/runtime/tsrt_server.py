"""threadsim runtime: the fork server and the child that runs one execution.

Started by threadsim as `python -S tsrt_server.py` with fd 3 (commands and
replies, from Go) and fd 4 (messages, to Go). It installs the runtime,
says "hello VERSION", and then serves commands, one at a time:

  check PATH      compiles the program: "checked" or "checked FILE:LINE: MSG"
  run PATH SEED   forks a child that runs the program; the child says
                  "pid N" first, the server "died STATUS" when the child
                  has exited (it reaps it, so no zombie is left)

The server exits when fd 3 reaches end of file (threadsim is gone), and
each child is killed with the server (PR_SET_PDEATHSIG).
"""
import os
import sys
import _thread

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tsrt_proto as P  # noqa: E402
import tsrt_install  # noqa: E402

tsrt_install.install()

import ctypes  # noqa: E402
import random  # noqa: E402
import threading  # noqa: E402
import types  # noqa: E402
import builtins  # noqa: E402

import tsrt_rewrite  # noqa: E402
import tsrt_threads  # noqa: E402
import tsrt_time  # noqa: E402

try:
    _libc = ctypes.CDLL(None)
except OSError:
    _libc = None


def _check(path):
    try:
        with open(path, "rb") as f:
            src = f.read()
        tsrt_rewrite.rewrite(src, path)
    except SyntaxError as e:
        return "%s:%s: %s" % (e.filename or path, e.lineno, e.msg)
    except (OSError, ValueError) as e:
        return "%s: %s" % (path, e)
    return ""


def _child(path, seed):
    P.in_child[0] = True
    _say("pid", str(os.getpid()))
    if _libc is not None:
        _libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    if os.getppid() == 1:
        os._exit(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    P.new_rec(_thread.get_ident())
    # threading._after_fork made its bookkeeping locks from the patched
    # classes: they are the runtime's, not scheduling points.
    threading._active_limbo_lock = _thread.RLock()
    threading._shutdown_locks_lock = _thread.allocate_lock()
    random.seed(seed)
    sys.stdout, sys.stderr = tsrt_time.Sink("stdout"), tsrt_time.Sink("stderr")
    sys.stdin = open(os.devnull)
    try:
        _run_program(path)
    except SystemExit as e:
        if e.code not in (None, 0):
            tsrt_threads.report(e, "SystemExit in main thread")
    except BaseException as e:  # noqa
        tsrt_threads.report(e, "Exception in main thread")
    sys.stdout.drain()
    sys.stderr.drain()
    try:
        tsrt_threads.run_exit_hooks()
    except BaseException as e:  # noqa
        tsrt_threads.report(e, "Exception at exit")
    r = P.recs[0]
    P.send(P.SEP.join(("exit", "0", "")))
    P.pass_on(r)
    forever = _thread.allocate_lock()
    forever.acquire()
    forever.acquire()


def _run_program(path):
    root = os.path.dirname(os.path.abspath(path))
    sys.path[0] = root
    sys.argv = [path]
    sys.meta_path.insert(0, tsrt_rewrite.Finder(root))
    mod = types.ModuleType("__main__")
    mod.__file__ = path
    mod.__builtins__ = builtins
    sys.modules["__main__"] = mod
    with open(path, "rb") as f:
        src = f.read()
    code = tsrt_rewrite.rewrite(src, path)
    tsrt_rewrite.prepare(mod.__dict__, "__main__")
    exec(code, mod.__dict__)


def _say(*fields):
    P.send(P.SEP.join(fields))


def serve():
    v = sys.version_info
    _say("hello", "%d.%d.%d" % (v.major, v.minor, v.micro))
    while True:
        cmd = P.read_msg().split(P.SEP)
        if cmd[0] == "check":
            _say("checked", _check(cmd[1]))
        elif cmd[0] == "run":
            pid = tsrt_install.fork()
            if pid == 0:
                try:
                    _child(cmd[1], int(cmd[2]))
                finally:
                    os._exit(70)
            _, status = os.waitpid(pid, 0)
            _say("died", str(status))
        elif cmd[0] == "quit":
            os._exit(0)


if __name__ == "__main__":
    serve()
