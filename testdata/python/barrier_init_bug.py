# barrier_init.py without the barrier.wait() (barrier-init-bug): 3 workers each initialise (set their ready flag), wait on
# Barrier(3), then work, reading every worker's flag.
import logging
import threading

N = 3
ready = [False] * N
barrier = threading.Barrier(N)


def worker(i):
    logging.info("Thread %d: initialising", i)
    ready[i] = True
    logging.info("Thread %d: working", i)
    for j in range(N):
        assert ready[j], "Thread %d works before Thread %d is initialised" % (i, j)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s: %(message)s", level=logging.INFO, datefmt="%H:%M:%S")
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
