"""threadsim runtime: copying up front the pages every execution writes.

An execution's process is forked from the zygote (tsrt_server._snapshot)
and shares its pages copy-on-write, so every page it writes costs a page
fault that copies it: about 530 an execution of the article's lost
update, the largest cost of an execution after the interpreter's own
work. Executions of one program write almost the same pages (525 pages
were written by each of 17 executions of the lost update, of 527 to 530).
So the first execution forked from a zygote lists the pages of the
zygote's writable private mappings that it made its own (present and
exclusively mapped in /proc/self/pagemap) and passes them to the zygote
through a pipe (learn), and every later execution has the kernel copy
them at once right after its fork, before the interpreter touches them:
one process_madvise(MADV_POPULATE_WRITE) of the process itself (Linux
6.13 or newer), which costs about three quarters of what the faults
cost (Plan.forked).

Nothing a program can see changes: a copied page holds the same bytes,
and only addresses the zygote had mapped when it forked, which the new
process has too, are copied. Where there is no pagemap, an older kernel
or another system, nothing is learned or copied. The zygote runs only
take and the fork: it reads the pipe once, after an execution that
learned ends, and keeps the list as ctypes arrays for every fork.
"""
import os
import sys

_SYS_PROCESS_MADVISE = 440  # the same on x86-64 and arm64 (asm-generic)
_PIDFD_SELF = -10000
_MADV_POPULATE_WRITE = 23
_PAGE = 4096
_MAX_RANGES = 4096
_HIGH_FD = 900
_IOV_MAX = 1024  # UIO_MAXIOV


def supported():
    """Linux on an architecture whose system call number is known."""
    return sys.platform.startswith("linux") and os.uname().machine in ("x86_64", "aarch64", "arm64")


class Plan:
    """The zygote's record of what executions write: its writable mappings
    at the fork, the pipe an execution sends what it learned through (on
    descriptors far above those a program's files take, so that its
    descriptors are numbered alike in every execution), and the ranges
    learned."""

    def __init__(self):
        import fcntl
        self.maps = _writable_maps()
        r, w = os.pipe()
        self.r, self.w = fcntl.fcntl(r, fcntl.F_DUPFD, _HIGH_FD), fcntl.fcntl(w, fcntl.F_DUPFD, _HIGH_FD)
        os.close(r)
        os.close(w)
        os.set_blocking(self.r, False)
        self.ranges = None  # [(ctypes iovec array, count)], syscall
        self.learner = False

    def forked(self):
        """In a new execution's process, right after its fork: copies the
        learned pages and returns the bytes copied (-1 where the kernel
        cannot), or, while nothing is learned, learns at its end (None)."""
        if self.ranges is not None:
            chunks, syscall = self.ranges
            copied = 0
            for arr, n in chunks:
                done = syscall(_SYS_PROCESS_MADVISE, _PIDFD_SELF, arr, n, _MADV_POPULATE_WRITE, 0)
                if done < 0:
                    return -1
                copied += done
            return copied
        try:
            os.close(self.r)
        except OSError:
            pass
        self.learner = True
        return None

    def learn(self):
        """At the end of an execution that learns: sends the ranges of the
        zygote's mappings it wrote to (pairs of little-endian 64-bit
        address and length) through the pipe."""
        if not self.learner:
            return
        self.learner = False
        import struct
        ranges = []
        try:
            with open("/proc/self/pagemap", "rb") as pm:
                for start, end in self.maps:
                    pm.seek(start // _PAGE * 8)
                    entries = pm.read((end - start) // _PAGE * 8)
                    for first, count in _written(entries):
                        ranges.append(struct.pack("<QQ", start + first * _PAGE, count * _PAGE))
            os.set_blocking(self.w, False)
            os.write(self.w, b"".join(ranges[:_MAX_RANGES]))  # a pipe holds 64 KiB: whole
        except OSError:
            pass
        os.close(self.w)

    def take(self):
        """In the zygote, after an execution's process ended: keeps the
        ranges it sent, if it sent any (one killed before its end sent
        none, and the next one learns)."""
        if self.ranges is not None:
            return
        try:
            data = os.read(self.r, 16 * _MAX_RANGES)
        except OSError:
            return
        n = len(data) // 16
        if n:
            os.close(self.r)
            os.close(self.w)
            self.ranges = _iovecs(data[:16 * n], n)


def _written(entries):
    """Runs of pages present and exclusively mapped (bits 63 and 56 of a
    pagemap entry) as (first, count)."""
    import struct
    first = None
    i = -1
    for i, (e,) in enumerate(struct.iter_unpack("<Q", entries)):
        mine = e >> 63 & 1 and e >> 56 & 1
        if mine and first is None:
            first = i
        elif not mine and first is not None:
            yield first, i - first
            first = None
    if first is not None:
        yield first, i + 1 - first


def _writable_maps():
    """The process's writable private mappings as (start, end)."""
    out = []
    with open("/proc/self/maps") as f:
        for line in f:
            fields = line.split()
            if fields[1][0:2] == "rw" and fields[1][3] == "p":
                a, _, b = fields[0].partition("-")
                out.append((int(a, 16), int(b, 16)))
    return out


def _iovecs(data, n):
    """The ranges as arrays of struct iovec of at most _IOV_MAX entries,
    the most one process_madvise takes, and libc's syscall."""
    import ctypes

    class iovec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    chunks = []
    for i in range(0, n, _IOV_MAX):
        k = min(_IOV_MAX, n - i)
        chunks.append(((iovec * k).from_buffer_copy(data[16 * i:16 * (i + k)]), k))
    return chunks, ctypes.CDLL(None).syscall
