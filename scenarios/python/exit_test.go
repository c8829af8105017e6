package python

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// The end of a program as CPython's, and threads started with _thread.

const atexitProgram = `
import atexit
import threading
import time


def late():
    time.sleep(0.1)
    print("thread done")


def bye(x):
    print("bye", x)


atexit.register(bye, 1)
atexit.register(bye, 2)
threading.Thread(target=late).start()
print("main done")
`

// TestAtexitHandlersRunAfterNonDaemonThreads: atexit handlers run at the
// end of the program, after threading's shutdown has joined the non-daemon
// threads, last registered first (python-semantics 4.10 item 99,
// atexit_after_nondaemon_join): every execution prints what CPython
// prints (before, the handlers never ran: the last line was "thread
// done").
func TestAtexitHandlersRunAfterNonDaemonThreads(t *testing.T) {
	p := source(t, atexitProgram)
	want, err := exec.Command(p.Python.Path, p.Abs).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(printed(runOnce(p, 1)), "\n") + "\n"; got != string(want) {
		t.Fatalf("printed\n%s\nCPython printed\n%s", got, want)
	}
	rep := search(t, p, explore.Config{NoMinimize: true})
	if rep.Verdict != explore.Complete || !slices.Equal(outcomes(rep), []string{"bye 1"}) {
		t.Fatalf("verdict %s, outcomes %q: want complete, every execution ending with bye 1", rep.Verdict, outcomes(rep))
	}
}

// TestAtexitHandlerExceptionIsReported: an exception in a handler is
// printed as CPython prints it, the other handlers still run, and it is an
// uncaught exception in main.
func TestAtexitHandlerExceptionIsReported(t *testing.T) {
	p := source(t, `
import atexit

@atexit.register
def first():
    print("first registered, last run")

def bad():
    raise ValueError("in handler")

atexit.register(bad)
atexit.register(print, "never")
atexit.unregister(print)
`)
	r := runOnce(p, 1)
	lines := printed(r)
	if r.Failure == nil || r.Failure.Kind != sched.UncaughtException || !strings.Contains(r.Failure.Message, "ValueError: in handler") {
		t.Fatalf("want an uncaught exception from the handler, got %v", r.Failure)
	}
	if !slices.Contains(lines, "Exception ignored in atexit callback <function bad>:") ||
		lines[len(lines)-1] != "first registered, last run" || slices.Contains(lines, "never") {
		t.Errorf("printed %q", lines)
	}
}

// TestRawThreadsAreMirrored: a thread started with _thread.start_new_thread
// is a virtual thread like threading's (before, it was not mirrored and
// the execution broke on its first request): its lost update is found.
func TestRawThreadsAreMirrored(t *testing.T) {
	p := source(t, `
import _thread
import threading

count = 0
done = threading.Semaphore(0)

def bump():
    global count
    count += 1
    done.release()

for _ in range(2):
    _thread.start_new_thread(bump, ())
done.acquire()
done.acquire()
assert count == 2, "count is %d" % count
`)
	rep := search(t, p, explore.Config{NoMinimize: true, NoRaces: true})
	a := failure(rep, sched.Assertion)
	if a == nil || !strings.Contains(a.Message, "count is 1") {
		t.Fatalf("want the lost update, got %s %+v", rep.Verdict, rep.Failures)
	}
	r := runOnce(p, 1)
	if !slices.ContainsFunc(r.Threads, func(th sched.ThreadInfo) bool { return th.Name == "Dummy-1 (bump)" }) {
		t.Errorf("no thread named Dummy-1 (bump): %+v", r.Threads)
	}
}
