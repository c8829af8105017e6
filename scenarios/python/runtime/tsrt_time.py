"""threadsim runtime: virtual time and the program's output.

time.sleep is a step on Go's virtual clock; time.time, monotonic and
perf_counter read it (a round trip, not a step). Output written to
sys.stdout or sys.stderr is printed line by line, each line a step on the
shared output, as the Go models' print.
"""
import time

import tsrt_proto as P
import tsrt_prims

_real_sleep = time.sleep


def now():
    return float(P.request("now"))


def now_ns():
    return int(float(P.request("now")) * 1e9)


class LogClock:
    """logging's view of the time module: its timestamps are the virtual
    time, read without observing the clock (as the Go models' log lines are
    stamped), so that a log record is not ordered against the clock. The
    time is the one the last reply carried: it cannot have moved since."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def time():
        return float(P.clock[0])

    @staticmethod
    def time_ns():
        return int(float(P.clock[0]) * 1e9)


def sleep(secs):
    secs = float(secs)
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    P.request("sleep", repr(secs))


printed = []  # every line printed, in order: what a --check property reads


class Sink:
    """sys.stdout and sys.stderr: one print step per line."""

    def __init__(self, name):
        self.name = name
        self.buf = ""
        self.encoding = "utf-8"
        self.errors = "strict"

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        self.buf += s
        while "\n" in self.buf:
            line, self.buf = self.buf.split("\n", 1)
            P.request("print", line)
            printed.append(line)
        return len(s)

    def flush(self):
        pass

    def write_block(self, text):
        """Writes text's lines in one print step (a traceback), as Go's
        default excepthook prints its lines."""
        self.drain()
        lines = text.rstrip("\n").split("\n")
        P.request("printlines", "\n".join(lines))
        printed.extend(lines)

    def drain(self):
        if self.buf:
            line, self.buf = self.buf, ""
            P.request("print", line)
            printed.append(line)

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("threadsim: the program's output is simulated")

    def writable(self):
        return True


def install():
    for name in ("time", "monotonic", "perf_counter", "process_time", "thread_time"):
        setattr(time, name, now)
    for name in ("time_ns", "monotonic_ns", "perf_counter_ns"):
        setattr(time, name, now_ns)
    time.sleep = sleep
    tsrt_prims._monotonic = now
    install_random()


# random: a draw over few values can be a scheduler choice
# (--random-choices N); any other draw is the seeded one.
_limit = [None]  # asked of Go at the first draw of an execution


def _choices():
    if _limit[0] is None:
        _limit[0] = int(P.request("random_choices"))
    return _limit[0]


def _pick(n):
    """The index of a draw over n values, chosen by the scheduler, or None
    if the draw is seeded."""
    if n < 1 or n > _choices():
        return None
    return int(P.request("random", str(n)))


def install_random():
    import random
    seeded_randrange, seeded_choice = random.randrange, random.choice

    def randrange(start, stop=None, step=1):
        r = range(start) if stop is None else range(start, stop, step)
        i = _pick(len(r))
        return seeded_randrange(start, stop, step) if i is None else r[i]

    def randint(a, b):
        return randrange(a, b + 1)

    def choice(seq):
        i = _pick(len(seq))
        return seeded_choice(seq) if i is None else seq[i]

    random.randrange, random.randint, random.choice = randrange, randint, choice
