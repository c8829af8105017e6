# A worker waits for main's flag by spinning on a local copy of it: the
# copy never changes, so the loop makes no operation the simulator sees.
import threading


class Flag:
    ready = False


flag = Flag()
lock = threading.Lock()


def worker():
    with lock:
        seen = flag.ready  # one read of the shared flag
    while not seen: pass  # then a loop on the copy


t = threading.Thread(target=worker, name="worker")
t.start()
with lock:
    flag.ready = True
t.join()
