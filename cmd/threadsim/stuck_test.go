package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// TestStuckExplorationKeepsItsFailures: an exploration finds an assertion
// failure in its first execution, then runs an execution that blocks on a
// real channel. The process must exit with status 3 and print, besides the
// stuck schedule, the token of the failure found before: nothing found is
// lost.
func TestStuckExplorationKeepsItsFailures(t *testing.T) {
	if os.Getenv("THREADSIM_STUCK_EXPLORE") == "1" {
		exploreUntilStuck()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStuckExplorationKeepsItsFailures$")
	cmd.Env = append(os.Environ(), "THREADSIM_STUCK_EXPLORE=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitStuck {
		t.Fatalf("child ended with %v, want exit status %d; output:\n%s", err, exitStuck, out)
	}
	text := string(out)
	for _, want := range []string{"the model made no step", "the schedule up to there: threadsim replay ts1.stuck.",
		"found before, not minimised: assertion: threadsim replay ts1.stuck."} {
		if !strings.Contains(text, want) {
			t.Errorf("the output does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "goroutine ") {
		t.Errorf("the output has a Go stack:\n%s", text)
	}
}

// exploreUntilStuck explores a model whose first execution fails an
// assertion and whose second blocks outside the simulator.
func exploreUntilStuck() {
	m := model{scenario: scenarios.Scenario{Name: "stuck", Build: func(scenarios.Params) sched.Program {
		return func(main *sched.Thread) {
			if main.Random(2) == 0 {
				main.Assert(false, "the first branch fails")
				return
			}
			<-make(chan int) // escapes the simulator
		}
	}}, params: scenarios.Params{}}
	e := &env{ctx: context.Background(), out: os.Stdout, err: os.Stderr, cmd: "explore"}
	before := &foundSoFar{}
	cfg := explore.Config{KeepGoing: true, NoMinimize: true, StuckAfter: 200 * time.Millisecond,
		OnStuck: m.onStuck(e, explore.DFS, before), OnFailure: before.add}
	explore.Explore(context.Background(), m.exploreModel(), cfg)
}
