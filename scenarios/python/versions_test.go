package python

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// otherPythons returns the CPython 3.12 and 3.13 interpreters on this
// machine (on PATH as python3.12/python3.13, or under pyenv): CI has only
// Debian's python3, so these are tested where they exist.
func otherPythons() []string {
	var out []string
	home, _ := os.UserHomeDir()
	for _, v := range []string{"3.12", "3.13"} {
		candidates, _ := filepath.Glob(filepath.Join(home, ".pyenv", "versions", v+".*", "bin", "python3"))
		if p, err := exec.LookPath("python" + v); err == nil {
			candidates = append(candidates, p)
		}
		for _, c := range candidates {
			if _, err := FindInterpreter(c); err == nil { // a pyenv shim may not run
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// TestNewerPythonsReachTheSameVerdicts runs programs whose verdicts rest
// on Thread start and join, the executor, Barrier and BoundedSemaphore
// under 3.12 and 3.13, whose threading changed (start_joinable_thread,
// _ThreadHandle, _shutdown through the handles): the runtime replaces
// start, join, is_alive and the bootstrap, so it does not depend on them.
func TestNewerPythonsReachTheSameVerdicts(t *testing.T) {
	pythons := otherPythons()
	if len(pythons) == 0 {
		t.Skip("no CPython 3.12 or 3.13 here")
	}
	dir := filepath.Join("..", "..", "testdata", "python")
	for _, py := range pythons {
		for _, c := range []struct {
			file, check string
			want        sched.Kind
		}{
			{"prodcom_lock_bug.py", "every_message_stored", sched.Assertion},
			{"daemon_thread.py", "finishing_not_after_all_done", sched.Assertion},
			{"barrier_init_bug.py", "", sched.Assertion},
			{"semaphore_pool_bounded_bug.py", "", sched.Misuse},
		} {
			check := ""
			if c.check != "" {
				check = filepath.Join(dir, "checks.py") + ":" + c.check
			}
			p, err := Load(filepath.Join(dir, c.file), py, check)
			if err != nil {
				t.Fatalf("%s: %v", py, err)
			}
			rep := search(t, p, explore.Config{Runs: 200, NoRaces: true, NoMinimize: true})
			p.Close()
			if failure(rep, c.want) == nil {
				t.Errorf("%s %s: want %s, got %s %+v", p.Python.Version, c.file, c.want, rep.Verdict, rep.Failures)
			}
		}
	}
}
