package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestHelpDocumentsExitStatus3: the stuck model's exit status is in the
// usage, beside the others.
func TestHelpDocumentsExitStatus3(t *testing.T) {
	r := threadsim(t, "help")
	if !strings.Contains(r.stdout, "3 the model blocked outside the simulator") {
		t.Errorf("help does not document exit status 3:\n%s", r.stdout)
	}
}

// TestIgnoredFlagsWarn: a flag the chosen strategy does not read is named
// on stderr, --workers for stateful search with the reason; the search
// still runs.
func TestIgnoredFlagsWarn(t *testing.T) {
	r := threadsim(t, "explore", "join", "--strategy", "stateful", "--seed", "3", "--workers", "2")
	for _, want := range []string{"--seed does not apply to the stateful strategy (ignored)\n",
		"--workers does not apply to the stateful strategy (ignored): its table of visited states"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q: %q", want, r.stderr)
		}
	}
	if r.code != exitOK {
		t.Errorf("exit %d", r.code)
	}
	if r := threadsim(t, "explore", "join", "--strategy", "random", "--seed", "3", "--runs", "5"); r.stderr != "" {
		t.Errorf("a flag the strategy reads warned: %q", r.stderr)
	}
}

// TestWorkersAreCapped: a huge --workers is one line of bad usage, not
// gigabytes of schedulers.
func TestWorkersAreCapped(t *testing.T) {
	r := threadsim(t, "explore", "lost-update", "--strategy", "random", "--workers", "1000000")
	if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "-workers") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestUnwritableViewFailsBeforeTheSearch: --html to a path that cannot be
// written is bad usage found before the search, with nothing on stdout.
func TestUnwritableViewFailsBeforeTheSearch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-dir", "page.html")
	r := threadsim(t, "explore", "lost-update", "--html", path)
	if r.code != exitUsage || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	ok := filepath.Join(t.TempDir(), "page.html")
	if r := threadsim(t, "explore", "lost-update", "--html", ok); r.code != exitFailure {
		t.Errorf("writable --html: exit %d, stderr %q", r.code, r.stderr)
	} else if fi, err := os.Stat(ok); err != nil || fi.Size() == 0 {
		t.Errorf("the page was not written: %v", err)
	}
}

// TestLivenessScenariosDefaultToStateful: a scenario whose executions need
// not end is explored statefully unless --strategy says otherwise, so the
// correct one passes and the buggy one shows its livelock.
func TestLivenessScenariosDefaultToStateful(t *testing.T) {
	fixed := threadsim(t, "explore", "polite-backoff-fixed")
	if fixed.code != exitOK || !strings.Contains(fixed.stdout, "complete") || !strings.Contains(fixed.stderr, "--strategy stateful") {
		t.Errorf("polite-backoff-fixed: exit %d, stdout:\n%s\nstderr: %s", fixed.code, fixed.stdout, fixed.stderr)
	}
	buggy := threadsim(t, "explore", "polite-backoff")
	if buggy.code != exitFailure || !strings.Contains(buggy.stdout, "FAILURE 1 of 1: livelock") {
		t.Errorf("polite-backoff: exit %d, stdout:\n%s", buggy.code, buggy.stdout)
	}
}

// TestStatelessStepLimitIsNoVerdict: a stateless search that stops an
// execution at the step limit reports the undecided verdict, never a
// failure: its own exit status, no FAILURE section, a note that this may
// be an unfair schedule pointing to stateful search, and in --json the
// "undecided" verdict and field with no failure.
func TestStatelessStepLimitIsNoVerdict(t *testing.T) {
	r := threadsim(t, "explore", "polite-backoff-fixed", "--strategy", "dfs", "--max-steps", "200")
	if r.code != exitUndecided || strings.Contains(r.stdout, "FAILURE") || strings.Contains(r.stdout, "failed") ||
		!strings.Contains(r.stdout, "UNDECIDED: an execution did not end within 200 steps") ||
		!strings.Contains(r.stdout, "unfair schedule") || !strings.Contains(r.stdout, "--strategy stateful decides") {
		t.Errorf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
	j := threadsim(t, "explore", "polite-backoff-fixed", "--strategy", "dfs", "--max-steps", "200", "--json")
	doc := decode(t, j.stdout)
	fails, _ := doc["failures"].([]any)
	u, _ := doc["undecided"].(map[string]any)
	if j.code != exitUndecided || doc["verdict"] != "undecided" || len(fails) != 0 || u == nil ||
		!strings.Contains(fmt.Sprint(u["note"]), "unfair schedule") || u["steps"] != float64(200) {
		t.Errorf("--json: exit %d, %s", j.code, j.stdout)
	}
	// Its schedule, replayed, is the same undecided execution, no failure.
	tok := fmt.Sprint(u["token"])
	rp := threadsim(t, "replay", tok)
	if rp.code != exitUndecided || strings.Contains(rp.stdout, "FAILED") || !strings.Contains(rp.stdout, "UNDECIDED: step-limit at step 200") ||
		!strings.Contains(rp.stdout, "unfair schedule") {
		t.Errorf("replay: exit %d, stdout:\n%s", rp.code, rp.stdout)
	}
	rj := decode(t, threadsim(t, "replay", tok, "--json").stdout)
	if fails, _ := rj["failures"].([]any); rj["verdict"] != "undecided" || len(fails) != 0 || rj["undecided"] == nil {
		t.Errorf("replay --json: %v", rj)
	}
}

// TestInterruptFooterSaysInterrupted: the text report of an interrupted
// search says so, not that a budget stopped it.
func TestInterruptFooterSaysInterrupted(t *testing.T) {
	out := interruptExploration(t, "explore", "executor", "--param", "n=3")
	if !strings.Contains(out, "bounded: interrupted (Ctrl-C)") || strings.Contains(out, "budget") {
		t.Errorf("report:\n%s", out)
	}
}

// interruptExploration starts the binary, waits for its first progress
// line, sends SIGINT and returns what it printed on stdout.
func interruptExploration(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "THREADSIM_PROGRESS=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || !strings.Contains(sc.Text(), "executions") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no progress line: %q", sc.Text())
	}
	cmd.Process.Signal(syscall.SIGINT)
	for sc.Scan() {
	}
	var exit *exec.ExitError
	if err := cmd.Wait(); err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return out.String()
}

// TestRunClockIsLazyByDefault: the daemon sleeps 2 s and main does not
// wait, so a real run never prints the daemon's "finishing" line. run's
// default clock policy moves time only when no thread can run, so no
// seed prints it; the eager policy, exploration's view of time, does for
// some seed.
func TestRunClockIsLazyByDefault(t *testing.T) {
	eagerFinished := false
	for seed := 1; seed <= 12; seed++ {
		s := strconv.Itoa(seed)
		if r := threadsim(t, "run", "daemon", "--seed", s); strings.Contains(r.stdout, "Thread 1: finishing") ||
			!strings.Contains(r.stdout, "lazy clock") {
			t.Errorf("seed %d, lazy clock:\n%s", seed, r.stdout)
		}
		r := threadsim(t, "run", "daemon", "--seed", s, "--clock", "eager")
		eagerFinished = eagerFinished || strings.Contains(r.stdout, "Thread 1: finishing")
	}
	if !eagerFinished {
		t.Errorf("no eager run of seeds 1 to 12 printed the daemon's finishing line")
	}
	if r := threadsim(t, "run", "daemon", "--clock", "soon"); r.code != exitUsage || !strings.Contains(r.stderr, "want lazy or eager") {
		t.Errorf("--clock soon: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestStatefulStepLimitIsUndecided: a stateful search whose execution is
// longer than the step limit (a correct pipeline) is undecided, exit
// status 4, and says what the limit means for it; it used to be a
// step-limit FAILURE with exit status 1.
func TestStatefulStepLimitIsUndecided(t *testing.T) {
	r := threadsim(t, "explore", "pipeline-lock-threads", "--strategy", "stateful", "--param", "k=100", "--max-steps", "300")
	if r.code != exitUndecided || strings.Contains(r.stdout, "FAILURE") || !strings.Contains(r.stdout, "UNDECIDED: an execution did not end within 300 steps") ||
		!strings.Contains(r.stdout, "whose states had not repeated") {
		t.Errorf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
}
