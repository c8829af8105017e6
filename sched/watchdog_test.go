package sched_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// TestStuckModelIsReported runs, in a child process, a model whose thread
// blocks on a real channel, and checks that the watchdog names the problem
// in one line and exits with status 3 instead of hanging.
func TestStuckModelIsReported(t *testing.T) {
	if os.Getenv("THREADSIM_STUCK_CHILD") == "1" {
		s := sched.New(sched.Options{StuckAfter: 200 * time.Millisecond})
		s.Run(func(main *sched.Thread) {
			main.Go("", func(t *sched.Thread) { t.Yield() })
			main.Yield()
			main.Yield()
			<-make(chan int) // escapes the simulator
		}, sched.FirstChooser{})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStuckModelIsReported$")
	cmd.Env = append(os.Environ(), "THREADSIM_STUCK_CHILD=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child ended with %v, want exit status 3; output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "the model made no step") || !strings.Contains(string(out), "(decisions so far: [0 0])") ||
		strings.Contains(string(out), "goroutine ") {
		t.Fatalf("child output is not the one-line report:\n%s", out)
	}
}

// TestWatchdogCountNeverGoesBack checks what the watchdog samples: a step
// count that grows across executions, so that two executions of equal
// length never look like one that stopped.
func TestWatchdogCountNeverGoesBack(t *testing.T) {
	s := sched.New(sched.Options{})
	defer s.Close()
	var seen []int64
	for range 3 {
		s.Run(func(main *sched.Thread) { main.Yield() }, sched.FirstChooser{})
		seen = append(seen, sched.WatchdogSteps(s))
	}
	if seen[0] < 2 || seen[1] != 2*seen[0] || seen[2] != 3*seen[0] {
		t.Fatalf("watchdog step counts after three equal executions: %v", seen)
	}
}

// slowChooser takes a while over its first choice, as a search does when
// its visited table grows.
type slowChooser struct {
	delay time.Duration
	slept bool
}

func (c *slowChooser) Choose(*sched.Choice) int {
	if !c.slept {
		c.slept = true
		time.Sleep(c.delay)
	}
	return 0
}

// TestWatchdogIgnoresTheChooser: the time a Chooser takes to decide is
// not the model's, and does not make the model look stuck.
func TestWatchdogIgnoresTheChooser(t *testing.T) {
	var report string
	s := sched.New(sched.Options{StuckAfter: 100 * time.Millisecond, OnStuck: func(r string, _ []int) { report = r }})
	defer s.Close()
	r := s.Run(func(main *sched.Thread) {
		main.Go("", func(t *sched.Thread) { t.Yield() })
		main.Yield()
	}, &slowChooser{delay: 500 * time.Millisecond})
	if report != "" || r.Failure != nil {
		t.Fatalf("a slow chooser made the model look stuck: %q, %v", report, r.Failure)
	}
}

// stuckWith runs prog twice on one scheduler (the first execution must
// end) with a short watchdog, and returns the report of the second,
// which must get stuck; its goroutine is left blocked.
func stuckWith(t *testing.T, prog func(main *sched.Thread, n int)) string {
	t.Helper()
	reports := make(chan string, 1)
	s := sched.New(sched.Options{StuckAfter: 100 * time.Millisecond,
		OnStuck: func(report string, _ []int) { reports <- report }})
	n := 0
	p := func(main *sched.Thread) { n++; prog(main, n) }
	s.Run(p, sched.FirstChooser{})
	go s.Run(p, sched.FirstChooser{})
	select {
	case r := <-reports:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no stuck report")
		return ""
	}
}

// TestDescribeStuckReplacesTheReport: a model's DescribeStuck writes the
// report of its stuck execution, given the limit; an execution that does
// not call it gets the generic report even when an earlier one did.
func TestDescribeStuckReplacesTheReport(t *testing.T) {
	describe := func(limit time.Duration) string { return "threadsim: stuck for " + limit.String() + "\ndetails" }
	got := stuckWith(t, func(main *sched.Thread, n int) {
		main.Scheduler().DescribeStuck(describe)
		main.Yield()
		if n == 2 {
			<-make(chan int) // escapes the simulator
		}
	})
	if got != "threadsim: stuck for 100ms\ndetails" {
		t.Errorf("described report %q", got)
	}
	got = stuckWith(t, func(main *sched.Thread, n int) {
		if n == 1 {
			main.Scheduler().DescribeStuck(describe)
		}
		main.Yield()
		if n == 2 {
			<-make(chan int)
		}
	})
	if !strings.HasPrefix(got, "threadsim: the model made no step for 100ms: ") {
		t.Errorf("an execution that describes nothing got %q", got)
	}
}

// TestWatchdogWatchesAfterAChooserPanic: a Chooser that panics leaves the
// watchdog paused (ask), and the next execution resumes it when it
// begins: a model stuck before its first step is reported.
func TestWatchdogWatchesAfterAChooserPanic(t *testing.T) {
	reports := make(chan string, 1)
	s := sched.New(sched.Options{StuckAfter: 100 * time.Millisecond,
		OnStuck: func(report string, _ []int) { reports <- report }})
	func() {
		defer func() { recover() }()
		s.Run(func(main *sched.Thread) { main.Yield() }, &panicky{n: 1})
	}()
	go s.Run(func(main *sched.Thread) { <-make(chan int) }, sched.FirstChooser{}) // escapes the simulator
	select {
	case r := <-reports:
		if !strings.HasPrefix(r, "threadsim: the model made no step") {
			t.Errorf("report %q", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no stuck report")
	}
}
