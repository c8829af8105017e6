# The article's Timer as it suggests using it (timer-prompt-race): the
# prompt logs unconditionally and the key press relies on cancel() alone.
import logging
import threading
import time


def prompt():
    logging.info("Timer: are you still there?")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s: %(message)s", level=logging.INFO, datefmt="%H:%M:%S")
    t = threading.Timer(30.0, prompt)
    t.start()
    time.sleep(10)
    logging.info("Main: the user pressed a key")
    t.cancel()
