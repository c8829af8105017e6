package main

import (
	"context"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// TestSupervisorKeepsWhatWasFound: a model whose later execution ends the
// process (os.Exit(0), or a stack overflow) gets one line that says what
// it did, exit status 3, and the failure found before; no Go trace.
func TestSupervisorKeepsWhatWasFound(t *testing.T) {
	if how := os.Getenv("THREADSIM_CHILD_MODEL"); how != "" {
		exploreThenEnd(how)
		return
	}
	if !canSupervise {
		t.Skip("models run unsupervised on this platform")
	}
	for _, tc := range []struct{ how, says string }{
		{"exit", "the model ended the process (os.Exit(0) in the model?)"},
		{"overflow", "the model's stack overflowed (unbounded recursion?)"},
		{"panic", "a goroutine the simulator does not run panicked (a raw go statement in the model?): panic: boom"},
	} {
		t.Run(tc.how, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSupervisorKeepsWhatWasFound$")
			cmd.Env = append(os.Environ(), childEnv+"=1", "THREADSIM_CHILD_MODEL="+tc.how)
			var stdout, stderr strings.Builder
			code := superviseCmd(cmd, "explore", &stdout, &stderr)
			lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			if code != exitStuck || len(lines) != 2 || !strings.Contains(lines[0], tc.says) ||
				!strings.HasPrefix(lines[1], "found before, not minimised: assertion: threadsim replay ts1.ends.") {
				t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
			}
		})
	}
}

// exploreThenEnd explores, with the command's safekeeping, a model whose
// executions fail until one ends the process the way how says.
func exploreThenEnd(how string) {
	debug.SetMaxStack(16 << 20)
	failed := false
	m := model{scenario: scenarios.Scenario{Name: "ends", Build: func(scenarios.Params) sched.Program {
		return func(main *sched.Thread) {
			if failed {
				switch how {
				case "exit":
					os.Exit(0)
				case "overflow":
					recurse(0)
				case "panic":
					done := make(chan struct{})
					go func() { panic("boom") }()
					<-done
				}
			}
			if main.Random(3) == 0 {
				failed = true
				main.Assert(false, "drew 0")
			}
		}
	}}, params: scenarios.Params{}}
	e := &env{ctx: context.Background(), out: os.Stdout, err: os.Stderr, cmd: "explore"}
	before := &foundSoFar{}
	cfg := explore.Config{Strategy: explore.Random, Seed: 1, Runs: 100, Workers: 1,
		OnStuck: m.onStuck(e, explore.Random, before), OnFailure: before.add}
	explore.Explore(context.Background(), m.exploreModel(), cfg)
	recordDone()
	os.Exit(0)
}

func recurse(n int) int { return recurse(n+1) + 1 }

// TestChildEndsWithItsSupervisor: a supervised child ends when its
// supervisor's process is gone, on every Unix: the child here has no
// parent-death signal (which only Linux and FreeBSD offer), only the
// lifeline pipe, and its supervisor's end of it closes as a killed
// process's would.
func TestChildEndsWithItsSupervisor(t *testing.T) {
	if os.Getenv("THREADSIM_LIFELINE_CHILD") == "1" {
		watchLifeline()
		time.Sleep(time.Minute) // a long search
		os.Exit(0)
	}
	if !canSupervise {
		t.Skip("models run unsupervised on this platform")
	}
	lr, lw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildEndsWithItsSupervisor$")
	cmd.Env = append(os.Environ(), "THREADSIM_LIFELINE_CHILD=1")
	cmd.ExtraFiles = []*os.File{os.Stdin, lr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lr.Close()
	lw.Close() // the supervisor is gone
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	select {
	case err := <-ended:
		if cmd.ProcessState.ExitCode() != exitInterrupted {
			t.Errorf("the child ended with %v, want exit status %d", err, exitInterrupted)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child outlived its supervisor by 20 s")
	}
}
