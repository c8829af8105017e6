package python

import (
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// Each kind of failure a Python program can have, as the user sees it.

func TestUncaughtExceptionInAThreadFailsWithItsTraceback(t *testing.T) {
	p := source(t, `
import threading

def work():
    raise ValueError("bad value")

t = threading.Thread(target=work, name="worker")
t.start()
t.join()
`)
	r := runOnce(p, 1)
	f := r.Failure
	if f == nil || f.Kind != sched.UncaughtException || f.ThreadName != "worker" {
		t.Fatalf("want an uncaught exception in worker, got %v", f)
	}
	if !strings.Contains(f.Message, "ValueError: bad value (prog.py:4 in work)") {
		t.Errorf("message %q", f.Message)
	}
	if !strings.Contains(f.Stack, `prog.py", line 4, in work`) || strings.Contains(f.Stack, "tsrt_") {
		t.Errorf("traceback should show the program's frames and no runtime frame:\n%s", f.Stack)
	}
}

func TestAssertionErrorIsAnAssertion(t *testing.T) {
	r := runOnce(source(t, "x = 1\nassert x == 2, 'x is not 2'\n"), 1)
	if r.Failure == nil || r.Failure.Kind != sched.Assertion || !strings.Contains(r.Failure.Message, "AssertionError: x is not 2") {
		t.Fatalf("want an assertion, got %v", r.Failure)
	}
}

func TestReleasingAnUnlockedLockIsAMisuse(t *testing.T) {
	r := runOnce(source(t, "import threading\nl = threading.Lock()\nl.release()\n"), 1)
	if r.Failure == nil || r.Failure.Kind != sched.Misuse || !strings.Contains(r.Failure.Message, "RuntimeError") {
		t.Fatalf("want a misuse, got %v", r.Failure)
	}
}

func TestDeadlockNamesEachThreadsLine(t *testing.T) {
	p := source(t, `
import threading
a = threading.Lock()
b = threading.Lock()

def one():
    with a:
        with b:
            pass

def two():
    with b:
        with a:
            pass

ts = [threading.Thread(target=one), threading.Thread(target=two)]
for t in ts:
    t.start()
for t in ts:
    t.join()
`)
	rep := search(t, p, explore.Config{NoMinimize: true})
	f := failure(rep, sched.Deadlock)
	if f == nil {
		t.Fatalf("want a deadlock, got %s %+v", rep.Verdict, rep.Failures)
	}
	res, err := explore.Replay(model(p), f.Schedule, sched.Options{Detail: true})
	if err != nil {
		t.Fatal(err)
	}
	text := res.Failure.Describe()
	for _, want := range []string{"Thread-1 (one): blocked in acquire on Lock 'b' (held by Thread-2 (two)) at prog.py:7 one",
		"Thread-2 (two): blocked in acquire on Lock 'a' (held by Thread-1 (one)) at prog.py:12 two", "MainThread: blocked in join"} {
		if !strings.Contains(text, want) {
			t.Errorf("deadlock report lacks %q:\n%s", want, text)
		}
	}
}

func TestSharedMemoryRewriteKeepsPythonSemantics(t *testing.T) {
	p := source(t, `
import threading
counts = {}
total = 0
log = []
lock = threading.Lock()

class Base:
    def __init__(self):
        self.n = 0

class Counter(Base):
    def __init__(self):
        super().__init__()
        self.items = [0, 0]

    def bump(self, i):
        with lock:
            self.locked_bump(i)

    def locked_bump(self, i):
        global total
        self.n += 1
        self.items[i] += 1
        counts[i] = counts.get(i, 0) + 1
        total += 1
        log.append(i)
        a, self.last = i, i
        del counts[i]

c = Counter()
ts = [threading.Thread(target=c.bump, args=(i,)) for i in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert (c.n, c.items, total, sorted(log), counts) == (2, [1, 1], 2, [0, 1], {}), (c.n, c.items, total, log, counts)
`)
	rep := search(t, p, explore.Config{Strategy: explore.Random, Seed: 1, Runs: 20, KeepGoing: true, NoMinimize: true})
	if len(rep.Failures) > 0 {
		t.Fatalf("the rewrite changed what the program computes, or the lock did not order the updates: %+v", rep.Failures)
	}
}

func TestUnlockedGlobalUpdateRaces(t *testing.T) {
	p := source(t, `
import threading
total = 0

def bump():
    global total
    total += 1

ts = [threading.Thread(target=bump) for i in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert total == 2, "total is %d" % total
`)
	rep := search(t, p, explore.Config{KeepGoing: true, NoMinimize: true})
	race, lost := failure(rep, sched.DataRace), failure(rep, sched.Assertion)
	if race == nil || lost == nil || !strings.Contains(race.Message, "Var 'total'") || !strings.Contains(lost.Message, "total is 1") {
		t.Fatalf("want the race on total and the lost update, got %+v", rep.Failures)
	}
	if rep.Verdict != explore.Failed || rep.Executions > 20 {
		t.Errorf("verdict %s after %d executions", rep.Verdict, rep.Executions)
	}
}
