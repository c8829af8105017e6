# The article's Semaphore ("Semaphores are frequently used to protect a
# resource that has a limited capacity... a pool of connections"): the
# article has no code for it, so this is its Go twin semaphore-pool as a
# Python program. A pool of 2 connections guarded by Semaphore(2) and a
# Lock around the free list; 3 workers each use a connection, and Thread 0's
# query fails and returns its connection from its error path.
import logging
import threading


class ConnectionPool:
    def __init__(self, k):
        self.sem = threading.Semaphore(k)
        self.lock = threading.Lock()
        self.free = list(range(k))

    def get(self):
        self.sem.acquire()
        with self.lock:
            assert self.free, "no free connection: more workers than connections got in"
            return self.free.pop()

    def put(self, conn):
        with self.lock:
            self.free.append(conn)
        self.sem.release()


def worker(pool, i):
    conn = pool.get()
    try:
        if i == 0:
            logging.info("Thread %d: query on connection %d failed", i, conn)
            return
        logging.info("Thread %d: using connection %d", i, conn)
    finally:
        pool.put(conn)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s: %(message)s", level=logging.INFO, datefmt="%H:%M:%S")
    pool = ConnectionPool(2)
    threads = [threading.Thread(target=worker, args=(pool, i)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
