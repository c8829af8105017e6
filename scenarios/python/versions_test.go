package python

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
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

// TestNewerPythonsRewriteAndExit: the shared-memory rewrite (a nonlocal
// cell, an item read against append) and the end of the program (atexit
// after the non-daemon threads, a raw _thread thread) behave alike under
// 3.12 and 3.13, whose compilers and threading differ.
func TestNewerPythonsRewriteAndExit(t *testing.T) {
	pythons := otherPythons()
	if len(pythons) == 0 {
		t.Skip("no CPython 3.12 or 3.13 here")
	}
	for _, py := range pythons {
		for _, c := range []struct {
			name, src, want string
		}{
			{"nonlocal", "import threading\n\ndef run():\n    n = 0\n    def bump():\n        nonlocal n\n        n += 1\n" +
				"    ts = [threading.Thread(target=bump) for _ in range(2)]\n    for t in ts:\n        t.start()\n" +
				"    for t in ts:\n        t.join()\n    return n\n\nassert run() == 2, 'lost'\n", "lost"},
			{"append", twoThreads("data = [0]\nseen = {}", "seen['last'] = data[-1]", "data.append(1)",
				"assert seen['last'] == 0, 'saw %r' % seen['last']"), "saw 1"},
			{"atexit", "import atexit, _thread, threading\nout = []\ndone = threading.Event()\n" +
				"def w():\n    out.append('raw')\n    done.set()\n_thread.start_new_thread(w, ())\ndone.wait()\n" +
				"atexit.register(lambda: print(out))\n", "['raw']"},
		} {
			path := filepath.Join(t.TempDir(), "prog.py")
			if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := Load(path, py, "")
			if err != nil {
				t.Fatalf("%s: %v", py, err)
			}
			rep := search(t, p, explore.Config{NoRaces: true, NoMinimize: true, KeepGoing: true})
			p.Close()
			got := ""
			if a := failure(rep, sched.Assertion); a != nil {
				got = a.Message
			}
			if !strings.Contains(got, c.want) && !slices.Contains(outcomes(rep), c.want) {
				t.Errorf("%s %s: want %q, got %s %q %+v", p.Python.Version, c.name, c.want, rep.Verdict, outcomes(rep), rep.Failures)
			}
		}
	}
}

// TestUntestedVersions: a feature release newer than NewestTested is
// untested; its patch releases and older ones are not.
func TestUntestedVersions(t *testing.T) {
	for v, want := range map[string]bool{"3.11.7": false, "3.13.0": false, "3.13.12": false, "3.14.0": true, "3.14": true, "4.0.0": true, "3.130.1": true} {
		if got := untested(v); got != want {
			t.Errorf("untested(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestUntestedVersionRunsWhenAsked: FindInterpreter refuses a CPython
// newer than NewestTested in one line, and takes it with UntestedEnv=1.
func TestUntestedVersionRunsWhenAsked(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "python3.14")
	script := "#!/bin/sh\necho " + fake + "; echo CPython; echo 3.14.1\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := FindInterpreter(fake); err == nil || !strings.Contains(err.Error(), UntestedEnv+"=1") {
		t.Fatalf("3.14.1 without %s: err %v, want a refusal naming it", UntestedEnv, err)
	}
	t.Setenv(UntestedEnv, "1")
	in, err := FindInterpreter(fake)
	if err != nil || in.Version != "3.14.1" {
		t.Fatalf("3.14.1 with %s=1: %+v, %v", UntestedEnv, in, err)
	}
}
