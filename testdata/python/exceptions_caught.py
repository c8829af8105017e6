import queue
import threading


def attempt(what, fn):
    try:
        r = fn()
    except Exception as e:
        print("%s: %s: %s" % (what, type(e).__name__, e))
    else:
        print("%s: returned %r" % (what, r))


def foreign_release():
    r = threading.RLock()
    held = threading.Event()
    done = threading.Event()

    def owner():
        with r:
            held.set()
            done.wait()

    t = threading.Thread(target=owner)
    t.start()
    held.wait()
    try:
        r.release()
    finally:
        done.set()
        t.join()


def full_bounded():
    q = queue.Queue(1)
    q.put_nowait(1)
    q.put_nowait(2)


def failing_action():
    raise ZeroDivisionError("action failed")


b = threading.Barrier(1, action=failing_action)
attempt("Lock.release", threading.Lock().release)
attempt("RLock.release", threading.RLock().release)
attempt("RLock.release foreign", foreign_release)
attempt("BoundedSemaphore.release", threading.BoundedSemaphore(1).release)
attempt("Semaphore(-1)", lambda: threading.Semaphore(-1))
attempt("Semaphore.release(0)", lambda: threading.Semaphore(1).release(0))
attempt("Semaphore.acquire nonblocking timeout", lambda: threading.Semaphore(1).acquire(False, 1))
attempt("Lock.acquire timeout=-2", lambda: threading.Lock().acquire(timeout=-2))
attempt("Lock.acquire nonblocking timeout", lambda: threading.Lock().acquire(False, 1))
attempt("Condition.wait", lambda: threading.Condition().wait())
attempt("Condition.notify", lambda: threading.Condition().notify())
attempt("Queue.task_done", lambda: queue.Queue().task_done())
attempt("Queue.put timeout=-1", lambda: queue.Queue(1).put(1, timeout=-1))
attempt("Queue.get timeout=-1", lambda: queue.Queue().get(timeout=-1))
attempt("Queue.put_nowait full", full_bounded)
attempt("Queue.get_nowait", lambda: queue.Queue().get_nowait())
attempt("LifoQueue.get timeout=0", lambda: queue.LifoQueue().get(timeout=0))
attempt("SimpleQueue.get_nowait", lambda: queue.SimpleQueue().get_nowait())
attempt("SimpleQueue.get timeout=-1", lambda: queue.SimpleQueue().get(timeout=-1))
attempt("Barrier.wait timeout=0", lambda: threading.Barrier(2).wait(timeout=0))
attempt("Barrier action", b.wait)
attempt("Barrier after action", b.wait)
attempt("Event.wait timeout=-1", lambda: threading.Event().wait(-1))
t = threading.Thread(target=lambda: None)
t.start()
attempt("Thread.start twice", t.start)
t.join()
attempt("Thread.join current", threading.current_thread().join)
print("done")
