# The article's Timer ("A Timer can be used to prompt a user for action
# after a specific amount of time. If the user does the action before the
# Timer expires, .cancel() can be called."): its Go twin timer-prompt as a
# Python program. Main starts Timer(30.0, prompt), the user presses a key
# after 10 s; a Lock orders the prompt and the key press.
import logging
import threading
import time

lock = threading.Lock()
acted = False


def prompt():
    with lock:
        if not acted:
            logging.info("Timer: are you still there?")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s: %(message)s", level=logging.INFO, datefmt="%H:%M:%S")
    t = threading.Timer(30.0, prompt)
    t.start()
    time.sleep(10)
    with lock:
        acted = True
        logging.info("Main: the user pressed a key")
    t.cancel()
