package sched_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// runFirst runs prog once under FirstChooser with opts and details on.
func runFirst(t *testing.T, opts sched.Options, prog sched.Program) *sched.Result {
	t.Helper()
	opts.Detail = true
	s := sched.New(opts)
	defer s.Close()
	return s.Run(prog, sched.FirstChooser{}).Clone()
}

// Try is try/except: it returns what the block raised, the code after it
// runs, and nothing fails.
func TestTryCatchesRaise(t *testing.T) {
	var got *sched.Exception
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		got = main.Try(func() {
			main.Raise("ValueError", "boom")
			main.Log("unreachable")
		})
		main.Log("after: %v", got)
	})
	if r.Failure != nil {
		t.Fatalf("failure %v", r.Failure)
	}
	if got == nil || got.Type != "ValueError" || got.Message != "boom" || got.Error() != "ValueError: boom" {
		t.Fatalf("caught %#v", got)
	}
	if diff := cmp.Diff([]string{"00:00:00.000: after: ValueError: boom"}, logTexts(r)); diff != "" {
		t.Fatalf("log mismatch (-want +got):\n%s", diff)
	}
}

// An except clause matches the class and its ancestors: BrokenBarrierError
// is a RuntimeError (python-semantics 1.4), SystemExit is no Exception,
// a model's own class derives from its Base.
func TestExceptionMatchesAncestors(t *testing.T) {
	cases := []struct {
		exc   *sched.Exception
		class string
		want  bool
	}{
		{sched.NewException("BrokenBarrierError", ""), "RuntimeError", true},
		{sched.NewException("BrokenBarrierError", ""), "Exception", true},
		{sched.NewException("BrokenThreadPool", ""), "RuntimeError", true},
		{sched.NewException("ValueError", "x"), "RuntimeError", false},
		{sched.NewException("ValueError", "x"), "BaseException", true},
		{sched.NewException("SystemExit", ""), "Exception", false},
		{sched.NewException("SystemExit", ""), "BaseException", true},
		{sched.NewException("queue.Empty", ""), "Exception", true},
		{&sched.Exception{Type: "MyError", Base: "KeyError"}, "LookupError", true},
		{&sched.Exception{Type: "MyError", Base: "KeyError"}, "ValueError", false},
	}
	for _, c := range cases {
		if got := c.exc.Matches(c.class); got != c.want {
			t.Errorf("%s matches %s = %v, want %v", c.exc.Type, c.class, got, c.want)
		}
	}
}

// A caught exception re-raised with RaiseException reaches the outer Try
// unchanged; deferred functions run on the way, as finally blocks.
func TestReraiseReachesOuterTry(t *testing.T) {
	var inner, outer *sched.Exception
	finally := false
	runFirst(t, sched.Options{}, func(main *sched.Thread) {
		outer = main.Try(func() {
			defer func() { finally = true }()
			inner = main.Try(func() { main.Raise("KeyError", "'k'") })
			main.RaiseException(inner)
		})
	})
	if inner == nil || outer != inner || !finally {
		t.Fatalf("inner %v, outer %v, finally ran %v", inner, outer, finally)
	}
}

// Try catches exceptions only: a Go panic inside it is still the
// execution's Panic failure.
func TestTryLetsGoPanicsThrough(t *testing.T) {
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		main.Try(func() { panic("boom") })
	})
	if r.Failure == nil || r.Failure.Kind != sched.Panic || !strings.Contains(r.Failure.Stack, "TestTryLetsGoPanicsThrough") {
		t.Fatalf("failure %v, want the panic with its stack", r.Failure)
	}
}

// Misuse a primitive raises is catchable: CPython's lock_tests catch it
// (BaseLockTests.test_release_unacquired: assertRaises(RuntimeError)).
func TestMisuseIsCatchable(t *testing.T) {
	var got *sched.Exception
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		w := main.Go("", func(t *sched.Thread) {
			got = t.Try(func() { prims.NewLock(t, "l").Release(t) })
		})
		main.Join(w)
		main.Outcome("done")
	})
	if r.Failure != nil || r.Outcome != "done" {
		t.Fatalf("failure %v, outcome %q", r.Failure, r.Outcome)
	}
	if got == nil || got.Error() != "RuntimeError: release unlocked lock" || !got.Misuse() {
		t.Fatalf("caught %v", got)
	}
}

// raisingProgram starts a worker that raises after a step and another
// that keeps working, joins both and records the outcome.
func raisingProgram(hook sched.ExceptHook) sched.Program {
	return func(main *sched.Thread) {
		if hook != nil {
			main.SetExceptHook(hook)
		}
		bad := main.Go("", func(t *sched.Thread) {
			t.Yield()
			t.Raise("ValueError", "bug")
			t.Log("unreachable")
		})
		good := main.Go("", func(t *sched.Thread) {
			for i := range 2 {
				t.Log("working %d", i)
			}
		})
		main.Join(bad)
		main.Join(good)
		main.Outcome("alive=%v", main.IsAlive(bad))
	}
}

// test_threading ExceptHookTests.test_excepthook: an uncaught exception
// prints "Exception in thread NAME:" and the exception, ends only its
// thread (join returns, the other thread goes on, main reaches its end)
// and is an UncaughtException failure that did not stop the execution.
// Models python-semantics 2.1 "Uncaught exception in run()".
func TestExcepthook(t *testing.T) {
	r := runFirst(t, sched.Options{}, raisingProgram(nil))
	want := []string{
		"00:00:00.000: Exception in thread Thread-1:",
		"00:00:00.000: Traceback (most recent call last):",
		`00:00:00.000:   File "sched/exception_test.go", line N, in sched_test.TestExcepthook.raisingProgram.funcN`,
		"00:00:00.000: ValueError: bug",
		"00:00:00.000: working 0",
		"00:00:00.000: working 1",
	}
	if diff := cmp.Diff(want, anyLine(logTexts(r))); diff != "" {
		t.Fatalf("log mismatch (-want +got):\n%s", diff)
	}
	f := r.Failure
	if f == nil || f.Kind != sched.UncaughtException || f.Message != "ValueError: bug" || f.ThreadName != "Thread-1" || !f.RanOn {
		t.Fatalf("failure %+v, want Thread-1's uncaught ValueError, ran on", f)
	}
	if r.Interrupted() || r.Outcome != "alive=false" {
		t.Fatalf("interrupted %v, outcome %q: the execution should have reached main's end", r.Interrupted(), r.Outcome)
	}
	if got := f.Error(); got != "uncaught-exception in Thread-1 at step "+strconv.Itoa(f.Step)+": ValueError: bug" {
		t.Fatalf("report line %q", got)
	}
}

// test_threading ExceptHookTests.test_custom_excepthook: a replaced hook
// gets the exception and runs in the thread that raised it, instead of
// the default's output.
func TestCustomExcepthook(t *testing.T) {
	var seen []string
	r := runFirst(t, sched.Options{}, raisingProgram(func(t *sched.Thread, exc *sched.Exception) {
		seen = append(seen, t.Name()+" "+exc.Error())
	}))
	if diff := cmp.Diff([]string{"Thread-1 ValueError: bug"}, seen); diff != "" {
		t.Fatalf("hook calls (-want +got):\n%s", diff)
	}
	for _, l := range r.Logs {
		if strings.HasPrefix(l.Text, "Exception in thread") {
			t.Fatalf("the default hook ran too: %q", l.Text)
		}
	}
	if r.Failure == nil || r.Failure.Kind != sched.UncaughtException {
		t.Fatalf("failure %v", r.Failure)
	}
}

// test_threading ExceptHookTests.test_custom_excepthook_fail: a hook that
// raises makes CPython print "Exception in threading.excepthook:" and the
// hook's exception.
func TestCustomExcepthookFail(t *testing.T) {
	r := runFirst(t, sched.Options{}, raisingProgram(func(t *sched.Thread, exc *sched.Exception) {
		t.Raise("ValueError", "threading_hook failed")
	}))
	want := []string{"Exception in threading.excepthook:", "ValueError: threading_hook failed"}
	var got []string
	for _, l := range r.Logs {
		if !strings.HasPrefix(l.Text, "working") {
			got = append(got, l.Text)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("log mismatch (-want +got):\n%s", diff)
	}
	if r.Outcome != "alive=false" {
		t.Fatalf("outcome %q", r.Outcome)
	}
}

// test_threading ExceptHookTests.test_system_exit: the default hook ignores
// SystemExit silently, and it is no failure.
func TestExcepthookSystemExit(t *testing.T) {
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		w := main.Go("", func(t *sched.Thread) { t.Raise("SystemExit", "") })
		main.Join(w)
	})
	if r.Failure != nil || len(r.Logs) != 0 {
		t.Fatalf("failure %v, log %v", r.Failure, logTexts(r))
	}
}

// Options.UncaughtExceptionsOK switches the failure off for threads other
// than main; the hook still prints.
func TestUncaughtExceptionsOK(t *testing.T) {
	r := runFirst(t, sched.Options{UncaughtExceptionsOK: true}, raisingProgram(nil))
	if r.Failure != nil || r.Outcome != "alive=false" || len(r.Logs) != 6 {
		t.Fatalf("failure %v, outcome %q, log %v", r.Failure, r.Outcome, logTexts(r))
	}
	r = runFirst(t, sched.Options{UncaughtExceptionsOK: true}, func(main *sched.Thread) { main.Raise("ValueError", "main") })
	if r.Failure == nil || r.Failure.Kind != sched.UncaughtException {
		t.Fatalf("main's exception: failure %v, want it reported (exit status 1)", r.Failure)
	}
}

// A failure that stops the execution after an uncaught exception leaves
// the exception the execution's failure, no longer RanOn, its message
// followed by the stopping failure's line.
func TestStoppingFailureAfterUncaught(t *testing.T) {
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		w := main.Go("", func(t *sched.Thread) { t.Raise("ValueError", "first") })
		main.Join(w)
		main.Assert(false, "second")
	})
	f := r.Failure
	if f == nil || f.Kind != sched.UncaughtException || f.RanOn || !r.Interrupted() ||
		!strings.HasPrefix(f.Message, "ValueError: first; then assertion in MainThread at step ") ||
		!strings.HasSuffix(f.Message, ": second") {
		t.Fatalf("failure %+v, want the exception, then the assertion", f)
	}
}

// An exception the main function does not catch prints the traceback
// (with the model's frames); then, as threading._shutdown, the exit hooks run
// and non-daemon threads finish (python-semantics 2.2: "The main script
// may end ... by an unhandled exception").
func TestMainUncaughtWaitsForThreads(t *testing.T) {
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		main.AtExit(func(t *sched.Thread) { t.Log("exit hook") })
		main.Go("", func(t *sched.Thread) {
			t.Sleep(time.Second)
			t.Log("worker done")
		})
		main.Raise("KeyError", "'x'")
	})
	want := []string{
		"00:00:00.000: Traceback (most recent call last):",
		`00:00:00.000:   File "sched/exception_test.go", line N, in sched_test.TestMainUncaughtWaitsForThreads.funcN`,
		"00:00:00.000: KeyError: 'x'",
		"00:00:00.000: exit hook",
		"00:00:01.000: worker done",
	}
	if diff := cmp.Diff(want, anyLine(logTexts(r))); diff != "" {
		t.Fatalf("log mismatch (-want +got):\n%s", diff)
	}
	if r.Failure == nil || r.Failure.Kind != sched.UncaughtException || r.Failure.ThreadName != "MainThread" {
		t.Fatalf("failure %v", r.Failure)
	}
}

// A daemon frozen at exit runs nothing more: its deferred functions'
// outcome, assertion, log line and step are all unseen (python-semantics
// 2.2 step 5: "their finally blocks and with-exits do not run").
func TestFrozenDaemonRunsNoDeferred(t *testing.T) {
	r := runFirst(t, sched.Options{}, func(main *sched.Thread) {
		l := prims.NewLock(main, "l")
		main.GoDaemon("", func(t *sched.Thread) {
			defer t.Outcome("the daemon's finally ran")
			defer t.Assert(false, "the daemon's finally ran")
			defer t.Log("finally")
			l.With(t, func() { t.Sleep(time.Hour) })
		})
		main.Sleep(time.Second)
		main.Outcome("main ended")
	})
	if r.Failure != nil || r.Outcome != "main ended" || len(r.Logs) != 0 {
		t.Fatalf("failure %v, outcome %q, log %v", r.Failure, r.Outcome, logTexts(r))
	}
}
