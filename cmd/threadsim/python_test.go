package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Python programs from the command line: bad input is one line and exit
// 2, tokens name the program and its source, and no Python process
// outlives threadsim.

const racecond = "../../testdata/python/racecond.py"

func writeProgram(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// oneLineUsage checks exit 2 and a single line on stderr matching want.
func oneLineUsage(t *testing.T, r cli, want string) {
	t.Helper()
	if r.code != exitUsage {
		t.Errorf("exit %d, want %d; stderr %q", r.code, exitUsage, r.stderr)
	}
	if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !regexp.MustCompile(want).MatchString(r.stderr) {
		t.Errorf("stderr %q, want one line matching %q", r.stderr, want)
	}
}

func TestPythonBadInput(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "pkg.py"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := writeProgram(t, "bad.py", "import threading\n\ndef f(:\n    pass\n")
	oneLineUsage(t, threadsim(t, "explore", filepath.Join(dir, "nosuch.py")), `nosuch\.py: no such file`)
	oneLineUsage(t, threadsim(t, "run", filepath.Join(dir, "pkg.py")), `pkg\.py is a directory`)
	oneLineUsage(t, threadsim(t, "explore", bad), `syntax error: .*bad\.py:3: `)
	oneLineUsage(t, threadsim(t, "explore", racecond, "--check", "nosuch.py:f"), `--check nosuch\.py: no such file`)
	oneLineUsage(t, threadsim(t, "explore", racecond, "--check", "../../testdata/python/checks.py:nosuch"), `has no function nosuch`)
}

func TestPythonMissingOrOldInterpreter(t *testing.T) {
	empty := t.TempDir()
	cmd := exec.Command(binary, "explore", racecond)
	cmd.Env = append(os.Environ(), "PATH="+empty)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if code := exitCode(err); code != exitUsage || !strings.Contains(errb.String(), "apt-get install python3") {
		t.Errorf("no python3: exit %d, stderr %q", code, errb.String())
	}
	old := writeProgram(t, "python3.10", "#!/bin/sh\necho /usr/bin/python3.10; echo CPython; echo 3.10.13\n")
	if err := os.Chmod(old, 0o755); err != nil {
		t.Fatal(err)
	}
	oneLineUsage(t, threadsim(t, "explore", racecond, "--python", old), `Python 3\.10\.13: threadsim needs CPython 3\.11 or newer`)
	newer := writeProgram(t, "python3.14", "#!/bin/sh\necho /usr/bin/python3.14; echo CPython; echo 3.14.1\n")
	if err := os.Chmod(newer, 0o755); err != nil {
		t.Fatal(err)
	}
	oneLineUsage(t, threadsim(t, "explore", racecond, "--python", newer),
		`Python 3\.14\.1: threadsim is tested with CPython 3\.11 to 3\.13 \(set THREADSIM_UNTESTED_PYTHON=1 to run it anyway\)`)
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

var tokenRE = regexp.MustCompile(`threadsim replay (ts1\.\S+)`)

func TestPythonTokenReplaysAndRefusesAChangedProgram(t *testing.T) {
	src, err := os.ReadFile(racecond)
	if err != nil {
		t.Fatal(err)
	}
	prog := writeProgram(t, "racecond.py", string(src))
	r := threadsim(t, "run", prog, "--seed", "3")
	m := tokenRE.FindStringSubmatch(r.stdout)
	if r.code != exitFailure || m == nil {
		t.Fatalf("run: exit %d, no token in\n%s%s", r.code, r.stdout, r.stderr)
	}
	again := threadsim(t, "replay", m[1])
	if again.code != exitFailure || !strings.Contains(again.stdout, "Ending value is") {
		t.Fatalf("replay: exit %d\n%s%s", again.code, again.stdout, again.stderr)
	}
	logOf := func(s string) string { return s[strings.Index(s, "\n\n"):strings.Index(s, "replay:")] }
	if logOf(again.stdout) != logOf(r.stdout) {
		t.Errorf("the replay printed another execution:\n%s\n---\n%s", r.stdout, again.stdout)
	}
	if err := os.WriteFile(prog, append(src, []byte("\n# changed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	oneLineUsage(t, threadsim(t, "replay", m[1]), `token was made for another version of .*racecond\.py`)
}

// TestPythonNoOrphans kills threadsim in the middle of an exploration and
// after a failure, and checks that no process it started is left.
func TestPythonNoOrphans(t *testing.T) {
	mark := "THREADSIM_TEST_MARK=" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	cmd := exec.Command(binary, "explore", "../../testdata/python/prodcom_queue.py", "--max-steps", "300", "--runs", "100000")
	cmd.Env = append(os.Environ(), mark)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return len(marked(mark)) >= 2 }, "a fork server and a child to start")
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	waitFor(t, func() bool { return len(marked(mark)) == 0 }, "every Python process to end after threadsim was killed")

	fail := exec.Command(binary, "explore", racecond)
	fail.Env = append(os.Environ(), mark)
	if err := fail.Run(); exitCode(err) != exitFailure {
		t.Fatalf("explore racecond.py: %v", err)
	}
	if left := marked(mark); len(left) != 0 {
		t.Errorf("processes left after a failed exploration: %v", left)
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// marked returns the live processes (zombies included: their state is
// read) whose environment holds mark.
func marked(mark string) []string {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	var out []string
	for _, p := range procs {
		env, err := os.ReadFile(filepath.Join(p, "environ"))
		if err != nil || !bytes.Contains(env, []byte(mark)) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join(p, "stat"))
		out = append(out, filepath.Base(p)+" "+string(stat))
	}
	return out
}

func TestPythonTraceShowsSourceLines(t *testing.T) {
	r := threadsim(t, "run", racecond, "--seed", "2", "--trace")
	for _, want := range []string{"read Var 'FakeDatabase.value' → 0 @ racecond.py:15", "ThreadPoolExecutor-0_0"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the trace lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestPythonHeaderLabelsTheSourceDigest: the report's header names a
// program's source digest for a person ("source digest N" and the CPython
// that ran it, not "src=N"), the same N its token carries.
func TestPythonHeaderLabelsTheSourceDigest(t *testing.T) {
	for _, cmd := range []string{"run", "explore"} {
		r := threadsim(t, cmd, racecond)
		m := regexp.MustCompile(`^(?:explore )?\S*racecond\.py \(source digest (\d+), CPython 3\.\d+\.\d+\): `).FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("%s: the header does not label the source digest:\n%s", cmd, r.stdout)
		}
		if !strings.Contains(r.stdout, ".src="+m[1]+".") {
			t.Errorf("%s: the token does not carry src=%s:\n%s", cmd, m[1], r.stdout)
		}
	}
}

// TestPythonExecutorInternalsHidden: the primitives CPython's
// ThreadPoolExecutor makes (its work queue, idle semaphore, shutdown
// locks, its futures' conditions) are named after the executor
// ("ThreadPoolExecutor-0._work_queue"), so the terminal trace and the
// Mermaid diagram leave their steps out by default, as a Go executor's,
// and --all-steps shows them.
func TestPythonExecutorInternalsHidden(t *testing.T) {
	internals := regexp.MustCompile(`_work_queue|_idle_semaphore|_shutdown_lock|_condition`)
	compact := threadsim(t, "run", racecond, "--seed", "3", "--trace")
	if m := internals.FindString(compact.stdout); m != "" || !strings.Contains(compact.stdout, "steps inside primitives not shown") {
		t.Errorf("the compact trace shows the executor's %q:\n%s", m, compact.stdout)
	}
	all := threadsim(t, "run", racecond, "--seed", "3", "--trace", "--all-steps")
	for _, want := range []string{"SimpleQueue 'ThreadPoolExecutor-0._work_queue'", "Lock 'concurrent.futures._global_shutdown_lock'"} {
		if !strings.Contains(all.stdout, want) {
			t.Errorf("--all-steps does not show %s:\n%s", want, all.stdout)
		}
	}
	mmd := filepath.Join(t.TempDir(), "run.mmd")
	threadsim(t, "run", racecond, "--seed", "3", "--mermaid", mmd)
	diagram, err := os.ReadFile(mmd)
	if err != nil {
		t.Fatal(err)
	}
	if m := internals.FindString(string(diagram)); m != "" {
		t.Errorf("the Mermaid diagram shows the executor's %q:\n%s", m, diagram)
	}
}

// TestPythonRandomChoicesReplay: --random-choices makes small draws
// choices; the token carries the option, so replay repeats the draws; the
// option is refused for a scenario.
func TestPythonRandomChoicesReplay(t *testing.T) {
	prog := writeProgram(t, "draw.py", "import random\nx = random.randint(1, 3)\nprint('drew', x)\nassert x != 3, 'drew 3'\n")
	r := threadsim(t, "explore", prog, "--random-choices", "3")
	m := tokenRE.FindStringSubmatch(r.stdout)
	if r.code != exitFailure || m == nil || !strings.Contains(r.stdout, "random draws of up to 3 values enumerated") {
		t.Fatalf("explore: exit %d, want the draw of 3 found:\n%s%s", r.code, r.stdout, r.stderr)
	}
	again := threadsim(t, "replay", m[1])
	if again.code != exitFailure || !strings.Contains(again.stdout, "drew 3") {
		t.Fatalf("replay: exit %d\n%s%s", again.code, again.stdout, again.stderr)
	}
	if seeded := threadsim(t, "explore", prog); seeded.code != 0 {
		t.Errorf("without the option the draw is seeded (2): exit %d\n%s", seeded.code, seeded.stdout)
	}
	oneLineUsage(t, threadsim(t, "explore", "lost-update", "--random-choices", "3"), `--random-choices applies to Python programs`)
}

// TestPythonShardsMerge: a Python program's shards, dfs and PCT, merge
// into the single run's JSON report (but for elapsed_ms); merge refuses
// parts whose program changed since, or that another CPython ran.
func TestPythonShardsMerge(t *testing.T) {
	src, err := os.ReadFile(racecond)
	if err != nil {
		t.Fatal(err)
	}
	prog := writeProgram(t, "racecond.py", string(src))
	dir := t.TempDir()
	var files []string
	for _, search := range [][]string{{}, {"--strategy", "pct", "--seed", "5", "--runs", "300", "--keep-going"}} {
		args := append([]string{"explore", prog, "--json"}, search...)
		single := threadsim(t, append(args, "--workers", "2")...) // partitioned, as the shards are
		files = nil
		for i := range 2 {
			part := threadsim(t, append(args, "--shard", strconv.Itoa(i)+"/2")...)
			files = append(files, filepath.Join(dir, "part-"+strconv.Itoa(i)+".json"))
			if err := os.WriteFile(files[i], []byte(part.stdout), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		merged := threadsim(t, append([]string{"merge", "--json"}, files...)...)
		if merged.code != single.code || elapsedLine.ReplaceAllString(merged.stdout, "") != elapsedLine.ReplaceAllString(single.stdout, "") {
			t.Errorf("%v: merged (exit %d) differs from the single run (exit %d):\n%s%s\n---\n%s", search, merged.code, single.code,
				merged.stdout, merged.stderr, single.stdout)
		}
	}
	part, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Replace(string(part), `"python": "`, `"python": "3.99.`, 1)
	if other == string(part) {
		t.Fatalf("no CPython version in the part:\n%s", part)
	}
	for _, f := range files {
		if err := os.WriteFile(f, []byte(other), 0o644); err != nil {
			t.Fatal(err)
		}
		other = strings.Replace(other, `"shard": 0`, `"shard": 1`, 1)
	}
	oneLineUsage(t, threadsim(t, append([]string{"merge"}, files...)...), `the shards ran CPython 3\.99\..*, this merge 3\.`)
	if err := os.WriteFile(prog, append(src, []byte("\n# changed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	oneLineUsage(t, threadsim(t, "merge", files[0]), `the parts were made for another version of .*racecond\.py`)
}
