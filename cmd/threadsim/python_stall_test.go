package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// stallSpin is the README's example of a Python program that gets stuck:
// a thread loops without an operation the simulator sees.
const stallSpin = "testdata/python/stall_spin.py"

// stallBlock is the README's block that shows what threadsim says of it.
var stallBlock = regexp.MustCompile("(?s)```\n\\$ threadsim explore " + regexp.QuoteMeta(stallSpin) + "\n(.*?)```\n")

// stuckPython runs threadsim from the repository's root with a watchdog
// of 3 s (THREADSIM_STUCK_AFTER), marking its processes with mark.
func stuckPython(t *testing.T, mark string, args ...string) cli {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "THREADSIM_STUCK_AFTER=3s", mark)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return cli{out.String(), errb.String(), exitCode(err)}
}

// TestPythonStallNamesTheThread: explore, run and explore --json of a
// program whose thread loops without an operation each exit with status
// 3 and say which Python thread loops, where, with the replay token on
// the first line and the thread's Python stack after it (--json: the same
// as one JSON document on stdout, verdict "stuck"); the README shows
// explore's report (with sched's 10 s); no Python process is left.
func TestPythonStallNamesTheThread(t *testing.T) {
	mark := "THREADSIM_TEST_MARK=" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	first := regexp.MustCompile(`^threadsim: the Python program made no step for 3s: thread worker runs at stall_spin\.py:17 in worker ` +
		`without an operation the simulator sees \(a loop with no shared access and no threading call, or a long computation\) ` +
		`\(the schedule up to there: threadsim replay ts1\.testdata%2Fpython%2Fstall_spin%2Epy\.src=\d+\.\S+\)$`)
	stack := "Python stack of worker, innermost last (the runtime's frames removed):\n  threading.py:N in run\n  stall_spin.py:17 in worker\n"
	for _, args := range [][]string{{"explore", stallSpin}, {"run", stallSpin, "--seed", "1"}, {"explore", stallSpin, "--json"}} {
		r := stuckPython(t, mark, args...)
		lines := strings.SplitN(r.stderr, "\n", 2)
		json := slices.Contains(args, "--json")
		if r.code != exitStuck || (r.stdout != "") != json || !first.MatchString(lines[0]) || len(lines) < 2 ||
			stdlibLines(lines[1]) != stack {
			t.Errorf("threadsim %s: exit %d, stdout %q, stderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		if json {
			checkStuckJSON(t, r, lines[0], stack)
		}
		if args[0] == "explore" && len(args) == 2 {
			checkStallBlock(t, r.stderr)
		}
	}
	// The zygote dies when its server does, which dies with threadsim:
	// each a moment after its parent.
	waitFor(t, func() bool { return len(marked(mark)) == 0 }, "every Python process to end after a stuck program")
}

// checkStuckJSON checks explore --json's document of a stuck program
// against its text on stderr.
func checkStuckJSON(t *testing.T, r cli, first, stack string) {
	t.Helper()
	var j jsonStuck
	if err := json.Unmarshal([]byte(r.stdout), &j); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, r.stdout)
	}
	want := "(the schedule up to there: threadsim replay " + j.Token + ")"
	if j.Verdict != "stuck" || j.Scenario != stallSpin || j.Error+" "+want != first ||
		stdlibLines(strings.Join(j.Details, "\n")+"\n") != stack {
		t.Errorf("JSON document %+v does not match stderr's first line\n%s", j, first)
	}
}

// stdlibLines writes the standard library's line numbers, which differ
// between CPython versions, as N.
func stdlibLines(s string) string {
	return regexp.MustCompile(`(threading\.py):\d+`).ReplaceAllString(s, "$1:N")
}

// checkStallBlock compares the README's stall report with got, less the
// watchdog's limit and the standard library's line numbers; with -update
// it rewrites the block.
func checkStallBlock(t *testing.T, got string) {
	t.Helper()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	m := stallBlock.FindSubmatchIndex(data)
	if m == nil {
		t.Errorf("the README has no block `$ threadsim explore %s`", stallSpin)
		return
	}
	shown := string(data[m[2]:m[3]])
	got = strings.Replace(got, "made no step for 3s", "made no step for 10s", 1)
	if stdlibLines(shown) == stdlibLines(got) {
		return
	}
	if !*update {
		t.Errorf("README block `threadsim explore %s` is not what the command prints (go test ./cmd/threadsim -run TestPythonStall -update rewrites it):\n--- README\n%s--- prints\n%s",
			stallSpin, shown, got)
		return
	}
	doc := string(data[:m[2]]) + got + string(data[m[3]:])
	if err := os.WriteFile(readmePath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPythonStallInterrupted: Ctrl-C while a Python thread loops reports
// it after sched.InterruptGrace, not the watchdog's 10 s, with the same
// thread, line and stack, exit status 3, and no process left.
func TestPythonStallInterrupted(t *testing.T) {
	mark := "THREADSIM_TEST_MARK=" + strconv.Itoa(os.Getpid()) + "-int-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	cmd := exec.Command(binary, "explore", stallSpin)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), mark)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	running := map[string]int{} // Python processes seen running, by pid: how many times in a row
	waitFor(t, func() bool {
		now := map[string]int{}
		for _, p := range marked(mark) {
			pid, _, _ := strings.Cut(p, " ")
			if strings.Contains(p, " (python") && threadRuns(pid) {
				now[pid] = running[pid] + 1
				if now[pid] >= 10 { // half a second: the worker loops
					return true
				}
			}
		}
		running = now
		return false
	}, "the worker to loop")
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if code := exitCode(err); code != exitStuck || time.Since(start) > 8*time.Second ||
		!strings.HasPrefix(errb.String(), "threadsim: the Python program made no step for "+sched.InterruptGrace.String()+
			": thread worker runs at stall_spin.py:17 in worker") {
		t.Errorf("exit %d after %v, stderr:\n%s", code, time.Since(start), errb.String())
	}
	waitFor(t, func() bool { return len(marked(mark)) == 0 }, "every Python process to end after Ctrl-C")
}

// threadRuns reports whether a thread of process pid is running (or ready
// to run).
func threadRuns(pid string) bool {
	stats, _ := filepath.Glob("/proc/" + pid + "/task/*/stat")
	for _, name := range stats {
		if stat, err := os.ReadFile(name); err == nil && strings.Contains(string(stat), ") R ") {
			return true
		}
	}
	return false
}
