"""threadsim runtime: the fork server and the child that runs one execution.

Started by threadsim as `python -S tsrt_server.py` with fd 3 (commands and
the main thread's replies, from Go), fd 4 (messages, to Go), fd 5 (where a
stuck execution's process writes its threads' stacks on SIGUSR2) and fd 6
(a datagram socket that takes each new thread's reply pipe to Go). It installs the runtime,
says "hello VERSION", and then serves commands, one at a time:

  check PATH [CHECK]  compiles the program and loads the --check property
                  FILE.py:FUNC: "checked" or "checked ERROR"
  run PATH SEED CHECK SNAP  forks a child that runs the program; the child
                  says "pid N" first, the server "died STATUS N" when the
                  child has exited (it reaps it, so no zombie is left)

With SNAP "1" the child snapshots the program's single-threaded start: at
its first request that ends it (a thread start, a random choice), if it
still has one thread, it becomes a zygote that forks the execution's
process from there and waits for it. The fork says "snap N" and goes on
with the request; the zygote reaps it ("died STATUS N") and then serves,
until it exits, the commands:

  fork            forks the next execution's process from the snapshot
  quit            exits (the server then says "died STATUS N" for it)

The server exits when fd 3 reaches end of file (threadsim is gone), and
each child is killed with its parent (PR_SET_PDEATHSIG).
"""
import os
import sys
import _thread

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
if os.environ.pop("THREADSIM_BIND_NOW", None):
    # threadsim's, not the program's: the dynamic linker has read it.
    os.environ.pop("LD_BIND_NOW", None)

import tsrt_proto as P  # noqa: E402
import tsrt_install  # noqa: E402

tsrt_install.install()

import ctypes  # noqa: E402
import random  # noqa: E402
import threading  # noqa: E402
import types  # noqa: E402
import builtins  # noqa: E402

import tsrt_prefault  # noqa: E402
import tsrt_rewrite  # noqa: E402
import tsrt_threads  # noqa: E402
import tsrt_time  # noqa: E402

try:
    # Looked up once here: a lookup in each child cost it a dlsym and
    # ctypes' function object.
    _prctl = ctypes.CDLL(None).prctl
except (OSError, AttributeError):
    _prctl = None


_checks = {}  # "file.py:func" -> the property, loaded once in the server
_codes = {}   # program path -> its rewritten code, compiled once in the server


def _compile(path):
    code = _codes.get(path)
    if code is None:
        with open(path, "rb") as f:
            src = f.read()
        code = _codes[path] = tsrt_rewrite.rewrite(src, path)
    return code


def _check(path, spec):
    try:
        _compile(path)
    except SyntaxError as e:
        return "syntax error: %s:%s: %s" % (e.filename or path, e.lineno, e.msg)
    except (OSError, ValueError) as e:
        return "%s: %s" % (path, e)
    if spec:
        return _load_check(spec)
    return ""


def _load_check(spec):
    """Loads the --check property FILE.py:FUNC (not rewritten: it runs
    after the program, alone)."""
    import importlib.util
    file, _, func = spec.rpartition(":")
    try:
        mspec = importlib.util.spec_from_file_location("_ts_check_%d" % len(_checks), file)
        mod = importlib.util.module_from_spec(mspec)
        mspec.loader.exec_module(mod)
    except SyntaxError as e:
        return "syntax error: %s:%s: %s" % (e.filename or file, e.lineno, e.msg)
    except Exception as e:  # noqa
        return "--check %s: %s: %s" % (file, type(e).__name__, e)
    fn = getattr(mod, func, None)
    if not callable(fn):
        return "--check: %s has no function %s" % (file, func)
    _checks[spec] = fn
    return ""


def _run_check(spec, main_globals):
    """The end of the program as CPython's threading._shutdown has it: main
    joins every non-daemon thread; then the property runs."""
    for t in list(threading.enumerate()):
        if t is not threading.main_thread() and not t.daemon:
            t.join()
    fn = _checks[spec]
    P.request("output")  # a step that reads what was printed
    try:
        ok = fn(list(tsrt_time.printed), main_globals)
    except AssertionError as e:
        e.args = ("check %s: %s" % (spec.rpartition(":")[2], e),) if e.args else ("check %s failed" % spec,)
        tsrt_threads.report(e, "Property failed")
        return
    if ok is False:
        tsrt_threads.report(AssertionError("check %s returned False" % spec.rpartition(":")[2]), "Property failed")


def _child(path, seed, check, snap):
    P.in_child[0] = True
    P._rbuf.clear()  # the server reads nothing past "run": nothing is lost
    _own_group()
    _say("pid", str(os.getpid()))
    if _prctl is not None:
        _prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    if os.getppid() == 1:
        os._exit(1)
    if snap:
        _fds_at_start[0] = _open_fds()
        P.snapshot[0] = _snapshot
    P.new_rec(_thread.get_ident())
    # threading's bookkeeping locks are real locks, not scheduling points
    # (the fork ran no after-fork hook: fresh ones, unheld).
    threading._active_limbo_lock = _thread.RLock()
    threading._shutdown_locks_lock = _thread.allocate_lock()
    random.seed(seed)
    sys.stdout, sys.stderr = tsrt_time.Sink("stdout"), tsrt_time.Sink("stderr")
    main_globals = {}
    try:
        _run_program(path, main_globals)
    except SystemExit as e:
        if e.code not in (None, 0):
            tsrt_threads.report(e, "SystemExit in main thread")
    except BaseException as e:  # noqa
        tsrt_threads.main_uncaught(e)
    sys.stdout.drain()
    sys.stderr.drain()
    try:
        tsrt_threads.run_exit_hooks()
    except BaseException as e:  # noqa
        tsrt_threads.report(e, "Exception at exit")
    if check:
        _run_check(check, main_globals.get("g", {}))
    if _plan[0] is not None:
        _plan[0].learn()
    P.send(P.SEP.join(("exit", "0", "")))
    forever = _thread.allocate_lock()
    forever.acquire()
    forever.acquire()


_fds_at_start = [None]
_plan = [None]  # the zygote's tsrt_prefault.Plan


def _own_group():
    """Makes the execution's process the leader of a process group of its
    own, before Go learns its pid: killing the group ends the processes
    the program started too (subprocess.run(["sleep", "100"])), which
    would otherwise outlive it."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass


def _open_fds():
    """The process's open file descriptors, or None where they cannot be
    listed."""
    for d in ("/proc/self/fd", "/dev/fd"):
        try:
            return frozenset(os.listdir(d))
        except OSError:
            pass
    return None


def _snapshot():
    """Ends the program's single-threaded start (its main thread is about
    to start a thread or draw a random choice): if the process still has
    one thread, it becomes the zygote of the program's executions. Returns
    in each process forked from here, which goes on as an execution; the
    zygote itself only forks, reaps and waits for the next command, and
    never returns to the program."""
    P.snapshot[0] = None
    fork = tsrt_install._raw_fork
    if fork is None or threading.active_count() != 1 or _thread._count() != 0:
        return  # fork would keep only this thread: no snapshot
    fds = _open_fds()
    if fds is None or fds != _fds_at_start[0]:
        return  # forks would share what the start opened (a file's offset): no snapshot
    zygote = os.getpid()
    if tsrt_prefault.supported():
        try:
            _plan[0] = tsrt_prefault.Plan()
        except OSError:
            pass
    pid = fork()
    if pid < 0:
        return  # no snapshot: this process goes on as the execution
    if pid > 0:
        _zygote(pid, fork, _plan[0])
    if _plan[0] is not None:
        _plan[0].forked()
    if _prctl is not None:
        _prctl(1, 9)
    if os.getppid() != zygote:
        os._exit(1)
    _own_group()
    P.send_now(P.SEP.join(("snap", str(os.getpid()))))


def _zygote(pid, fork, plan):
    """The zygote's loop: reaps the execution's process pid ("died STATUS
    PID"), then forks the next on "fork" (and returns in it) or exits on
    "quit" or at end of file; replies a killed process left unread are
    skipped. While its fork lives, every page the zygote writes is copied,
    so the loop touches as few objects as it can: bound names, one
    buffer, no calls into the runtime but plan's (tsrt_prefault.Plan:
    it takes, once, the pages an execution learned it writes, and has
    every fork copy them up front)."""
    waitpid, write, read, exit_ = os.waitpid, os.write, os.read, os._exit
    rfd, wfd = P.RFD, P.WFD
    fork_cmd = b"\0\0\0\x04fork"  # "fork" as one read usually brings it
    buf = bytearray()
    try:
        while True:
            status = waitpid(pid, 0)[1]
            if plan is not None:
                plan.take()
            write(wfd, b"died\x1f%d\x1f%d\n" % (status, pid))
            while True:
                if not buf:
                    data = read(rfd, 4096)
                    if data == fork_cmd:
                        break
                    if not data:
                        exit_(0)
                    buf += data
                if len(buf) >= 4:
                    n = 4 + int.from_bytes(buf[:4], "big")
                    if len(buf) >= n:
                        cmd = buf[4:n]
                        del buf[:n]
                        if cmd == b"fork":
                            break
                        if cmd == b"quit":
                            exit_(0)
                        continue
                data = read(rfd, 4096)
                if not data:
                    exit_(0)
                buf += data
            pid = fork()
            if pid == 0:
                return  # _snapshot goes on: plan.forked(), then the execution
            if pid < 0:
                exit_(71)
    except BaseException:  # noqa: never back into the program
        exit_(71)


def _run_program(path, main_globals):
    root = os.path.dirname(os.path.abspath(path))
    sys.path[0] = root
    sys.argv = [path]
    sys.meta_path.insert(0, tsrt_rewrite.Finder(root))
    mod = types.ModuleType("__main__")
    mod.__file__ = path
    mod.__builtins__ = builtins
    sys.modules["__main__"] = mod
    main_globals["g"] = mod.__dict__
    code = _compile(path)
    tsrt_rewrite.prepare(mod.__dict__, "__main__")
    exec(code, mod.__dict__)


def _say(*fields):
    P.send(P.SEP.join(fields))


STACKS_FD = 5  # the stack file threadsim reads


def _register_stacks():
    """A stuck execution (a thread that loops without a request, or waits
    outside the simulator) is asked for its threads' stacks with SIGUSR2:
    faulthandler writes them from its C signal handler, which needs
    neither the GIL nor the stuck thread's help. Registered once here, the
    handler and the file are inherited by every child."""
    import faulthandler
    import signal
    try:
        os.fstat(STACKS_FD)
        faulthandler.register(signal.SIGUSR2, file=STACKS_FD, all_threads=True)
    except (OSError, AttributeError, ValueError, RuntimeError):
        pass  # no stack file, or no such signal: the report names no line


def serve():
    # Forked children share the server's pages copy-on-write: a collection
    # in a child would write to every object's header. Freeze what the
    # server made, and collect nothing in the children (an execution is
    # short, and its process is killed at its end).
    import gc
    # Every child reads /dev/null as its standard input (input() raises
    # EOFError at once): set once here, inherited by the forks.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull)
    _register_stacks()
    P.open_pipes_socket()
    gc.collect()
    gc.freeze()
    gc.disable()
    v = sys.version_info
    _say("hello", "%d.%d.%d" % (v.major, v.minor, v.micro))
    while True:
        cmd = P.read_msg().split(P.SEP)
        if cmd[0] == "check":
            _say("checked", _check(cmd[1], cmd[2] if len(cmd) > 2 else ""))
        elif cmd[0] == "run":
            try:
                _compile(cmd[1])
            except Exception:  # noqa: the child reports it
                pass
            if cmd[3] and cmd[3] not in _checks:
                _load_check(cmd[3])
            pid = tsrt_install.fork()
            if pid == 0:
                try:
                    _child(cmd[1], int(cmd[2]), cmd[3], cmd[4] == "1")
                finally:
                    os._exit(70)
            _, status = os.waitpid(pid, 0)
            _say("died", str(status), str(pid))
        elif cmd[0] == "quit":
            os._exit(0)


if __name__ == "__main__":
    serve()
