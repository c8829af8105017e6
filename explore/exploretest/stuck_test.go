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
