package python

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// Exceptions a primitive raises while serving a Python request are raised
// in the Python thread, as CPython's class with CPython's message.

// printed is every line r printed.
func printed(r *sched.Result) []string {
	var out []string
	for _, l := range r.Logs {
		out = append(out, l.Text)
	}
	return out
}

// TestCaughtPrimitiveExceptionsAsCPython runs testdata/python/exceptions_caught.py,
// which provokes every exception a primitive raises (lock_tests'
// test_release_unacquired and test_timeout, test_queue's
// test_task_done_underflow and test_negative_timeout_raises_exception, a
// Barrier's timeout and failing action, ...) and catches each: it must
// print what the same interpreter prints running it directly, and finish
// without a failure; under 3.12 and 3.13 too where they are installed
// (3.13 rewords Lock's negative timeout: the runtime follows the version
// that runs).
func TestCaughtPrimitiveExceptionsAsCPython(t *testing.T) {
	for _, python := range append([]string{""}, otherPythons()...) {
		p, err := Load(filepath.Join("..", "..", "testdata", "python", "exceptions_caught.py"), python, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		want, err := exec.Command(p.Python.Path, p.Abs).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", p.Python.Path, p.Path, err)
		}
		for seed := uint64(1); seed <= 3; seed++ {
			r := runOnce(p, seed)
			if r.Failure != nil {
				t.Fatalf("CPython %s, seed %d: the program catches every exception, got %v", p.Python.Version, seed,
					r.Failure.Describe())
			}
			got := strings.Join(printed(r), "\n") + "\n"
			if got != string(want) {
				t.Fatalf("seed %d: printed\n%s\nCPython %s printed\n%s", seed, got, p.Python.Version, want)
			}
		}
	}
}

// TestUncaughtMisuseInAThreadEndsOnlyIt: a worker that releases an
// unlocked lock and does not catch it fails as a Go model's misuse does
// (kind misuse, CPython's message, the execution goes on: main's join
// returns and main prints), with the Python traceback, and
// threading.excepthook prints CPython's text on stderr.
func TestUncaughtMisuseInAThreadEndsOnlyIt(t *testing.T) {
	p := source(t, `
import threading
lock = threading.Lock()

def work():
    lock.release()

t = threading.Thread(target=work, name="worker")
t.start()
t.join()
print("main goes on")
`)
	r := runOnce(p, 1)
	f := r.Failure
	if f == nil || f.Kind != sched.Misuse || f.ThreadName != "worker" || !f.RanOn {
		t.Fatalf("want a misuse in worker that lets the execution go on, got %v", f)
	}
	if !strings.HasPrefix(f.Message, "RuntimeError: release unlocked lock (prog.py:5 in work)") {
		t.Errorf("message %q", f.Message)
	}
	if !strings.Contains(f.Stack, `prog.py", line 5, in work`) || strings.Contains(f.Stack, "tsrt_") {
		t.Errorf("traceback should show the program's frames and no runtime frame:\n%s", f.Stack)
	}
	lines := printed(r)
	if r.Outcome != "main goes on" || !slices.Contains(lines, "Exception in thread worker:") ||
		!slices.Contains(lines, "RuntimeError: release unlocked lock") {
		t.Errorf("outcome %q, printed %q", r.Outcome, lines)
	}
	for _, l := range lines {
		if strings.Contains(l, "tsrt_") {
			t.Errorf("the excepthook printed a runtime frame: %q", l)
		}
	}
}

// TestUncaughtExceptionsOKSwitchesThreadsOff: --uncaught-ok makes an
// exception that ends a thread other than main no failure, as for Go
// models; main's stays one.
func TestUncaughtExceptionsOKSwitchesThreadsOff(t *testing.T) {
	p := source(t, `
import threading

def work():
    raise ValueError("bad value")

t = threading.Thread(target=work)
t.start()
t.join()
print("main goes on")
`)
	rep := search(t, p, explore.Config{UncaughtExceptionsOK: true, NoMinimize: true})
	if rep.Verdict != explore.Complete {
		t.Fatalf("verdict %s %+v, want complete", rep.Verdict, rep.Failures)
	}
	main := source(t, "raise ValueError('in main')\n")
	if r := search(t, main, explore.Config{UncaughtExceptionsOK: true, NoMinimize: true}); failure(r, sched.UncaughtException) == nil {
		t.Fatalf("main's exception is a failure whatever the switch, got %s", r.Verdict)
	}
}

// TestBarrierActionExceptionPropagates: the action's own exception
// leaves wait() in the thread that ran it (the same object, so its
// traceback and attributes), and the barrier is broken for the others, as
// lock_tests.BarrierTests.test_action_exception.
func TestBarrierActionExceptionPropagates(t *testing.T) {
	p := source(t, `
import threading

class Boom(Exception):
    pass

def action():
    raise Boom("from the action")

b = threading.Barrier(2, action=action)
results = []

def party():
    try:
        b.wait()
        results.append("passed")
    except Boom as e:
        results.append("Boom " + str(e))
    except threading.BrokenBarrierError:
        results.append("broken")

ts = [threading.Thread(target=party) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(results), b.broken)
`)
	rep := search(t, p, explore.Config{NoMinimize: true, KeepGoing: true, NoRaces: true})
	if rep.Verdict != explore.Complete {
		t.Fatalf("verdict %s %+v", rep.Verdict, rep.Failures)
	}
	if got := outcomes(rep); len(got) != 1 || got[0] != "['Boom from the action', 'broken'] True" {
		t.Fatalf("outcomes %q", got)
	}
}

// TestObjectWhoseConstructionRaises: Barrier(0) raises ValueError (at
// construction on 3.13; before, CPython accepts it and its wait hangs, and
// Go's Barrier raises at the object's first use): the program catches it
// at each use (before, the exception escaped the Go side, which never
// replied).
func TestObjectWhoseConstructionRaises(t *testing.T) {
	p := source(t, `
import threading
caught = []
try:
    b = threading.Barrier(0)
    b.wait()
except ValueError as e:
    caught.append(str(e))
    try:
        b.wait()
    except ValueError as e:
        caught.append(str(e))
    except NameError:
        caught.append(str(e))  # 3.13: b was never bound
print(caught)
`)
	r := runOnce(p, 1)
	if r.Failure != nil || r.Outcome != "['parties must be > 0', 'parties must be > 0']" {
		t.Fatalf("failure %v, outcome %q", r.Failure, r.Outcome)
	}
}
