package exploretest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// TestCheckSavesBeforeAStuckModel: the model's first execution fails an
// assertion and its second blocks outside the simulator, which ends the
// test process with status 3. The failure found first must already be in
// the test's schedule directory, to be replayed first on the next run.
func TestCheckSavesBeforeAStuckModel(t *testing.T) {
	if dir := os.Getenv("THREADSIM_STUCK_DIR"); dir != "" {
		m := explore.Model{Name: "stuck", Program: func(main *sched.Thread) {
			if main.Random(2) == 0 {
				main.Assert(false, "the first branch fails")
				return
			}
			<-make(chan int) // escapes the simulator
		}}
		cfg := explore.Config{KeepGoing: true, StuckAfter: 200 * time.Millisecond}
		check(&recorder{name: "TestStuck"}, m, WithDir(dir), WithConfig(cfg))
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckSavesBeforeAStuckModel$")
	cmd.Env = append(os.Environ(), "THREADSIM_STUCK_DIR="+dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child ended with %v, want exit status 3; output:\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "TestStuck", "*.sched"))
	if len(files) != 1 {
		t.Fatalf("saved schedules: %v; output:\n%s", files, out)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.Contains(string(data), "# assertion: assertion in MainThread at step 1: the first branch fails") {
		t.Errorf("schedule file:\n%s", data)
	}
}

// TestCheckSavesBeforeALaterExit: random search's first failure must be
// on disk before a later execution runs; here that execution calls
// os.Exit(0), which ends the test process at once.
func TestCheckSavesBeforeALaterExit(t *testing.T) {
	if dir := os.Getenv("THREADSIM_EXIT_DIR"); dir != "" {
		failed := false
		m := explore.Model{Name: "exits", Program: func(main *sched.Thread) {
			if failed {
				os.Exit(0) // a later execution ends the process
			}
			if main.Random(3) == 0 {
				failed = true
				main.Assert(false, "drew 0")
			}
		}}
		cfg := explore.Config{Strategy: explore.Random, Seed: 1, Runs: 1000, Workers: 1}
		check(&recorder{name: "TestExits"}, m, WithDir(dir), WithConfig(cfg))
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckSavesBeforeALaterExit$")
	cmd.Env = append(os.Environ(), "THREADSIM_EXIT_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child ended with %v, want exit status 0 (the model's os.Exit); output:\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "TestExits", "*.sched"))
	if len(files) != 1 {
		t.Fatalf("saved schedules: %v; output:\n%s", files, out)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.Contains(string(data), "# assertion: assertion in MainThread at step 1: drew 0") {
		t.Errorf("schedule file:\n%s", data)
	}
}
