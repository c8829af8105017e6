package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// binary is the threadsim command built once for the tests that run it as
// a user would.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv(childEnv) == "1" { // a test's child process: it runs no binary
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "threadsim-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "threadsim")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli is one finished run of the binary.
type cli struct {
	stdout, stderr string
	code           int
}

// threadsim runs the binary with args and returns what it printed and its
// exit status.
func threadsim(t *testing.T, args ...string) cli {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("threadsim %s: %v", strings.Join(args, " "), err)
	}
	return cli{out.String(), errb.String(), code}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestListGolden(t *testing.T) {
	r := threadsim(t, "list")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "list.golden", r.stdout)
	if !strings.HasPrefix(r.stdout, "The article's programs") || strings.Index(r.stdout, "Benchmarks") < strings.Index(r.stdout, "lost-update") {
		t.Errorf("the article's scenarios do not come first:\n%s", r.stdout)
	}
}

func TestListOne(t *testing.T) {
	r := threadsim(t, "list", "pipeline-lock-bug")
	if r.code != exitOK || !strings.Contains(r.stdout, "returns self.message") || !strings.Contains(r.stdout, "k=3") {
		t.Errorf("exit %d, output:\n%s", r.code, r.stdout)
	}
}

func TestRunTraceGolden(t *testing.T) {
	r := threadsim(t, "run", "lost-update", "--seed", "2", "--trace")
	if r.code != exitFailure {
		t.Errorf("exit %d, want 1 (the update is lost on this schedule)", r.code)
	}
	golden(t, "run-lost-update-trace.golden", r.stdout)
	for _, want := range []string{"00:00:00.000: Testing update. Starting value is 0.", "Thread 0: finishing update",
		"│ step │ time", "MainThread", "pool_0", "data race on Var 'value'", "threadsim replay ts1.lost-update.n=2."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
}

func TestRunPassingExitsZero(t *testing.T) {
	r := threadsim(t, "run", "locked-update", "--seed", "7")
	if r.code != exitOK || !strings.Contains(r.stdout, "outcome: value=2") {
		t.Errorf("exit %d, output:\n%s", r.code, r.stdout)
	}
}

// elapsed matches the wall-clock fields a golden file must not hold.
var elapsed = regexp.MustCompile(`"elapsed_ms": \d+`)

func TestExploreJSONGolden(t *testing.T) {
	r := threadsim(t, "explore", "lost-update", "--json")
	if r.code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %q", r.code, r.stderr)
	}
	doc := decode(t, r.stdout)
	for _, key := range []string{"scenario", "params", "strategy", "executions", "verdict", "failures", "outcomes", "elapsed_ms"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("no %q in %s", key, r.stdout)
		}
	}
	golden(t, "explore-lost-update.json", elapsed.ReplaceAllString(r.stdout, `"elapsed_ms": 0`))
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, s)
	}
	return doc
}

func TestExploreVerdictsAndExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		code    int
		verdict string
	}{
		{[]string{"explore", "locked-update", "--json"}, exitOK, "complete"},
		{[]string{"explore", "pipeline-lock-bug", "--json"}, exitFailure, "failed"},
		{[]string{"explore", "lost-update", "--strategy", "random", "--runs", "50", "--seed", "3", "--json"}, exitFailure, "failed"},
		{[]string{"explore", "join", "--strategy", "pct", "--runs", "20", "--seed", "3", "--json"}, exitOK, "bounded"},
		{[]string{"explore", "executor", "--preemptions", "0", "--json"}, exitOK, "bounded"},
	} {
		r := threadsim(t, tc.args...)
		if r.code != tc.code {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, r.code, tc.code, r.stderr)
			continue
		}
		if v := decode(t, r.stdout)["verdict"]; v != tc.verdict {
			t.Errorf("%v: verdict %v, want %s", tc.args, v, tc.verdict)
		}
	}
}

// TestExploreReplayRoundTrip explores, takes the token it printed and
// replays it: the same failure again.
func TestExploreReplayRoundTrip(t *testing.T) {
	r := threadsim(t, "explore", "pipeline-lock-bug")
	if r.code != exitFailure || !strings.Contains(r.stdout, "minimal trace") || !strings.Contains(r.stdout, "preemptions needed: ") {
		t.Fatalf("exit %d, output:\n%s", r.code, r.stdout)
	}
	tok := regexp.MustCompile(`threadsim replay (\S+)`).FindStringSubmatch(r.stdout)
	if tok == nil {
		t.Fatalf("no replay token in:\n%s", r.stdout)
	}
	rr := threadsim(t, "replay", tok[1], "--trace")
	if rr.code != exitFailure || !strings.Contains(rr.stdout, "replayed schedule") || !strings.Contains(rr.stdout, "FAILED") && !strings.Contains(rr.stdout, "DATA RACE") {
		t.Errorf("replay: exit %d, output:\n%s", rr.code, rr.stdout)
	}
	rj := threadsim(t, "replay", tok[1], "--json")
	if doc := decode(t, rj.stdout); doc["scenario"] != "pipeline-lock-bug" || doc["verdict"] != "failed" || doc["strategy"] != "replay" {
		t.Errorf("replay --json: %s", rj.stdout)
	}
}

// TestBadInput checks that every kind of bad input gives one line on
// stderr and exit status 2, never a Go panic.
func TestBadInput(t *testing.T) {
	other := explore.Schedule{Model: "no-such-scenario", Strategy: "dfs", Decisions: []int{1}}.Token()
	badParams := explore.Schedule{Model: "lost-update", Params: "n=99", Strategy: "dfs"}.Token()
	diverges := explore.Schedule{Model: "join", Strategy: "dfs", Decisions: []int{7, 7, 7}}.Token()
	good := explore.Schedule{Model: "join", Strategy: "dfs"}.Token()
	for _, tc := range []struct {
		args []string
		want string // in the one line
	}{
		{[]string{}, "Usage"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run", "lost-updat"}, `did you mean "lost-update"`},
		{[]string{"explore", "lockd-update"}, `did you mean "locked-update"`},
		{[]string{"run"}, "missing scenario name"},
		{[]string{"run", "join", "daemon"}, "want one scenario name"},
		{[]string{"run", "lost-update", "--param", "x=1"}, `no parameter "x"`},
		{[]string{"run", "lost-update", "--param", "n"}, "want k=v"},
		{[]string{"run", "lost-update", "--param", "n=two"}, "not an integer"},
		{[]string{"run", "lost-update", "--param", "n=99"}, "out of range"},
		{[]string{"run", "lost-update", "--seed", "abc"}, "invalid value"},
		{[]string{"run", "lost-update", "--bogus"}, "flag provided but not defined"},
		{[]string{"explore", "lost-update", "--strategy", "sideways"}, "want dfs, odpor, random, pct, stateful, bfs or delay"},
		{[]string{"explore", "lost-update", "--strategy", "stateful", "--preemptions", "1"}, "do not apply to stateful"},
		{[]string{"explore", "lost-update", "--strategy", "bfs", "--full-expansion"}, "stateful strategy only"},
		{[]string{"explore", "lost-update", "--max-states", "-1"}, "must be >= 0"},
		{[]string{"explore", "lost-update", "--runs", "-1"}, "-runs"},
		{[]string{"explore", "lost-update", "--time", "soon"}, "invalid value"},
		{[]string{"explore", "lost-update", "--preemptions", "-2"}, "-preemptions"},
		{[]string{"replay"}, "missing token"},
		{[]string{"replay", "garbage"}, "bad token"},
		{[]string{"replay", good[:len(good)-3]}, "bad token"},
		{[]string{"replay", other}, `scenario "no-such-scenario"`},
		{[]string{"replay", badParams}, "parameters"},
		{[]string{"replay", diverges}, "does not fit"},
		{[]string{"replay", good, "--scenario", "daemon"}, `is for scenario "join", not "daemon"`},
	} {
		r := threadsim(t, tc.args...)
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if tc.want == "Usage" {
			if r.code != exitUsage || !strings.Contains(r.stderr, "Usage") {
				t.Errorf("%v: exit %d, stderr %q", tc.args, r.code, r.stderr)
			}
			continue
		}
		if r.code != exitUsage || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q, exit 2", tc.args, r.code, r.stderr, tc.want)
		}
		if strings.Contains(r.stderr+r.stdout, "goroutine") || r.stdout != "" {
			t.Errorf("%v: stdout %q, stderr %q", tc.args, r.stdout, r.stderr)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"run", "-h"}, {"explore", "--help"}, {"replay", "-h"}, {"list", "-h"}} {
		r := threadsim(t, args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "Usage") || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

// TestInterruptPrintsPartialReport starts a long exploration, waits for
// its first progress line (so it is under way), interrupts it and expects
// the partial report.
func TestInterruptPrintsPartialReport(t *testing.T) {
	out := interruptExploration(t, "explore", "executor", "--param", "n=3", "--json")
	doc := decode(t, out)
	if doc["interrupted"] != true || doc["verdict"] != "bounded" || doc["executions"].(float64) < 1 {
		t.Errorf("partial report: %s", out)
	}
}

// TestRunJSONAndReplayOfRunToken checks run's JSON document and that the
// token run prints replays the same execution.
func TestRunJSONAndReplayOfRunToken(t *testing.T) {
	r := threadsim(t, "run", "pipeline-lock-bug", "--seed", "4", "--json", "--trace")
	doc := decode(t, r.stdout)
	for _, key := range []string{"scenario", "params", "strategy", "executions", "verdict", "failures", "outcomes", "elapsed_ms", "logs", "trace"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("no %q in %s", key, r.stdout)
		}
	}
	if doc["strategy"] != "random" || doc["seed"] != float64(4) || doc["executions"] != float64(1) {
		t.Errorf("strategy %v, seed %v, executions %v", doc["strategy"], doc["seed"], doc["executions"])
	}
	fails, _ := doc["failures"].([]any)
	if len(fails) == 0 {
		t.Fatalf("seed 4 no longer fails: pick another seed; output %s", r.stdout)
	}
	tok := fails[0].(map[string]any)["token"].(string)
	rr := threadsim(t, "replay", tok, "--json")
	if rr.code != r.code || decode(t, rr.stdout)["outcomes"] == nil {
		t.Errorf("replay exit %d, run exit %d", rr.code, r.code)
	}
	var runDoc, replayDoc struct{ Logs []map[string]string }
	json.Unmarshal([]byte(r.stdout), &runDoc)
	json.Unmarshal([]byte(rr.stdout), &replayDoc)
	if fmt.Sprint(runDoc.Logs) != fmt.Sprint(replayDoc.Logs) {
		t.Errorf("replay logged\n%v\nrun logged\n%v", replayDoc.Logs, runDoc.Logs)
	}
}

// TestAllSteps checks that --all-steps shows the steps inside primitives
// that the compact trace leaves out.
func TestAllSteps(t *testing.T) {
	compact := threadsim(t, "run", "locked-update", "--seed", "1", "--trace")
	all := threadsim(t, "run", "locked-update", "--seed", "1", "--trace", "--all-steps")
	if strings.Contains(compact.stdout, "pool.shutdown_lock") || !strings.Contains(compact.stdout, "steps inside primitives not shown") {
		t.Errorf("compact trace:\n%s", compact.stdout)
	}
	if !strings.Contains(all.stdout, "acquire Lock 'pool.shutdown_lock' → true") || strings.Contains(all.stdout, "not shown") {
		t.Errorf("--all-steps trace:\n%s", all.stdout)
	}
}
