package sched_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// TestGoexitInAModelFails: runtime.Goexit in a thread (what t.Fatal does)
// fails the execution with one line that says so, instead of ending the
// caller's goroutine; the scheduler runs the next execution normally.
func TestGoexitInAModelFails(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	for range 3 {
		r := s.Run(func(main *sched.Thread) {
			main.Join(main.Go("quitter", func(t *sched.Thread) {
				t.Yield()
				runtime.Goexit()
			}))
		}, sched.FirstChooser{})
		f := r.Failure
		if f == nil || f.Kind != sched.Panic || f.ThreadName != "quitter" || !strings.Contains(f.Message, "runtime.Goexit") {
			t.Fatalf("failure %v, want a panic in quitter naming runtime.Goexit", f)
		}
	}
	r := s.Run(func(main *sched.Thread) { main.Yield() }, sched.FirstChooser{})
	if r.Failure != nil {
		t.Fatalf("the next execution failed: %v", r.Failure)
	}
}

// TestGoexitLeavesNoGoroutine: the coroutine of a thread that called
// runtime.Goexit ends (its deferred functions run, as Goexit's do); it is
// neither reused nor left parked, so executions that Goexit do not add a
// goroutine each (they used to: one parked for good per execution).
func TestGoexitLeavesNoGoroutine(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	deferred := 0
	quit := func(main *sched.Thread) {
		main.Join(main.Go("quitter", func(t *sched.Thread) {
			defer func() { deferred++ }()
			t.Yield()
			runtime.Goexit()
		}))
	}
	s.Run(quit, sched.FirstChooser{})
	before := runtime.NumGoroutine()
	const runs = 50
	for range runs {
		if r := s.Run(quit, sched.FirstChooser{}); r.Failure == nil || !strings.Contains(r.Failure.Message, "runtime.Goexit") {
			t.Fatalf("failure %v, want runtime.Goexit's", r.Failure)
		}
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines after %d executions that called Goexit, %d before", after, runs, before)
	}
	if deferred != runs+1 {
		t.Errorf("the quitter's deferred function ran %d times in %d executions", deferred, runs+1)
	}
}

// TestPanicReportIsDeterministic: a panic's message is one line and its
// stack keeps the model's frames only (function, file:line), so two runs
// report the same text.
func TestPanicReportIsDeterministic(t *testing.T) {
	report := func() string {
		s := sched.New(sched.Options{})
		defer s.Close()
		r := s.Run(func(main *sched.Thread) {
			main.Join(main.Go("worker", panicsWithNewlines))
		}, sched.FirstChooser{})
		if r.Failure == nil {
			t.Fatal("no failure")
		}
		return r.Failure.Describe()
	}
	a, b := report(), report()
	if a != b {
		t.Errorf("two runs report differently:\n%s\n---\n%s", a, b)
	}
	if strings.Contains(a, "goroutine ") || strings.Contains(a, "+0x") || strings.Contains(a, "runtime.") || strings.Contains(a, "sched.") {
		t.Errorf("the report has goroutine numbers, addresses or runtime frames:\n%s", a)
	}
	if !strings.Contains(a, "sched_test.panicsWithNewlines (sched/contract_test.go:") {
		t.Errorf("the report lacks the model's frame:\n%s", a)
	}
	first := strings.SplitN(a, "\n", 2)[0]
	if !strings.Contains(first, `line one\nline two`) {
		t.Errorf("the message is not one line: %q", first)
	}
}

func panicsWithNewlines(t *sched.Thread) {
	t.Yield()
	panic("line one\nline two")
}

// TestRawGoroutineStepIsReported: a goroutine the model started itself
// that calls an operation of its thread after the thread ended is reported
// as one line to OnStuck, not a nil-pointer panic in Step.
func TestRawGoroutineStepIsReported(t *testing.T) {
	reports := make(chan string, 1)
	s := sched.New(sched.Options{OnStuck: func(report string, _ []int) { reports <- report }})
	defer s.Close()
	later := make(chan struct{})
	r := s.Run(func(main *sched.Thread) {
		main.Join(main.Go("leaker", func(t *sched.Thread) {
			go func() {
				<-later
				t.Yield() // the thread has ended by now
			}()
		}))
	}, sched.FirstChooser{})
	if r.Failure != nil {
		t.Fatalf("the execution failed: %v", r.Failure)
	}
	close(later)
	report := <-reports
	if strings.Contains(report, "\n") || !strings.Contains(report, "yield was called for thread leaker") || !strings.Contains(report, "raw go statement") {
		t.Errorf("report %q", report)
	}
}
