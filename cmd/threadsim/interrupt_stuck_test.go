package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// TestInterruptOfStuckModelExitsPromptly: Ctrl-C while a model blocks
// outside the simulator reports it stuck after sched.InterruptGrace, not
// after the watchdog's 10 s, keeping the failure found before.
func TestInterruptOfStuckModelExitsPromptly(t *testing.T) {
	if os.Getenv("THREADSIM_STUCK_INTERRUPT") == "1" {
		exploreStuckUntilInterrupted()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptOfStuckModelExitsPromptly$")
	cmd.Env = append(os.Environ(), "THREADSIM_STUCK_INTERRUPT=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "blocking" {
	}
	cmd.Process.Signal(syscall.SIGINT)
	io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitStuck {
		t.Fatalf("child ended with %v, want exit status %d; stderr:\n%s", err, exitStuck, stderr.String())
	}
	want := fmt.Sprintf("made no step for %v", sched.InterruptGrace)
	for _, w := range []string{want, "found before, not minimised: assertion"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr does not say %q:\n%s", w, stderr.String())
		}
	}
}

// exploreStuckUntilInterrupted explores, with the command's Ctrl-C
// handling, a model whose first execution fails and whose second blocks
// on a real channel after saying so on stdout.
func exploreStuckUntilInterrupted() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m := model{scenario: scenarios.Scenario{Name: "stuck", Build: func(scenarios.Params) sched.Program {
		return func(main *sched.Thread) {
			if main.Random(2) == 0 {
				main.Assert(false, "the first branch fails")
				return
			}
			fmt.Println("blocking")
			<-make(chan int) // escapes the simulator
		}
	}}, params: scenarios.Params{}}
	e := &env{ctx: ctx, out: os.Stdout, err: os.Stderr, cmd: "explore"}
	before := &foundSoFar{}
	cfg := explore.Config{KeepGoing: true, NoMinimize: true,
		OnStuck: m.onStuck(e, explore.DFS, before), OnFailure: before.add}
	explore.Explore(ctx, m.exploreModel(), cfg)
}
