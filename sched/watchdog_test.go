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
