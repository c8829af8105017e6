//go:build unix

package python

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// A Python thread that loops without an operation, or blocks outside the
// simulator, is reported by the watchdog with its Python name, its line
// and its stack, and its process is killed.

// stuckReport runs one execution of p with a short watchdog limit and
// returns the report, once the execution's process is gone. The
// execution itself never returns (its virtual thread stays blocked, as a
// stuck model's does): it is left behind.
func stuckReport(t *testing.T, p *Program) string {
	t.Helper()
	return stuckReportOf(t, p, sched.FirstChooser{})
}

// stuckReportOf is stuckReport under the schedules of c.
func stuckReportOf(t *testing.T, p *Program, c sched.Chooser) string {
	t.Helper()
	reports := make(chan string, 1)
	s := sched.New(sched.Options{StuckAfter: 3 * time.Second, // a loaded machine may start a program slower than 1 s
		OnStuck: func(report string, _ []int) { reports <- report }})
	go s.Run(p.Build(), c)
	var report string
	select {
	case report = <-reports:
	case <-time.After(60 * time.Second):
		t.Fatal("no stuck report after 60 s")
	}
	p.pool.mu.Lock()
	pid := p.pool.all[0].child
	p.pool.mu.Unlock()
	if pid <= 0 {
		t.Fatalf("no process runs the stuck execution:\n%s", report)
	}
	for deadline := time.Now().Add(5 * time.Second); syscall.Kill(pid, 0) == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the stuck execution's process %d is alive 5 s after the report:\n%s", pid, report)
		}
	}
	return report
}

// checkStallReport checks the report's first line against first and its
// stack against stack, innermost last, and that no runtime frame shows.
func checkStallReport(t *testing.T, report, first string, stack ...string) {
	t.Helper()
	lines := strings.Split(report, "\n")
	if !regexp.MustCompile(first).MatchString(lines[0]) {
		t.Errorf("first line\n%s\ndoes not match %q", lines[0], first)
	}
	if !regexp.MustCompile(strings.Join(stack, `\n`) + "$").MatchString(report) {
		t.Errorf("report\n%s\ndoes not end with the stack %q", report, stack)
	}
	if strings.Contains(report, "tsrt_") {
		t.Errorf("report shows the runtime's frames:\n%s", report)
	}
}

func TestStallOfASpinningThreadNamesItsLine(t *testing.T) {
	p := source(t, `
import threading

def spin():
    x = 0
    while True: x += 1

t = threading.Thread(target=spin, name="spinner")
t.start()
t.join()
`)
	checkStallReport(t, stuckReport(t, p),
		`^threadsim: the Python program made no step for 3s: thread spinner runs at prog\.py:5 in spin without an operation the simulator sees \(a loop with no shared access and no threading call`,
		`Python stack of spinner, innermost last \(the runtime's frames removed\):`,
		`  threading\.py:\d+ in run`,
		`  prog\.py:5 in spin`)
}

func TestStallOfABlockedThreadNamesItsCall(t *testing.T) {
	p := source(t, `
import os
import threading

r, w = os.pipe()

def reader():
    return os.read(r, 1)

threading.Thread(target=reader, name="reader").start()
`)
	checkStallReport(t, stuckReport(t, p),
		`^threadsim: the Python program made no step for 3s: thread reader is blocked outside the simulator at prog\.py:7 in reader: real I/O \(a socket, a subprocess, input, a pipe or file that blocks\) or a C extension's wait$`,
		`Python stack of reader, innermost last \(the runtime's frames removed\):`,
		`  threading\.py:\d+ in run`,
		`  prog\.py:7 in reader`)
}

// TestStallInTheStartNamesMain: main loops before it starts any thread,
// in the process that would have become the zygote of the program's
// start (snapshot.go).
func TestStallInTheStartNamesMain(t *testing.T) {
	p := source(t, `
import threading

print("counting")  # a step: the watchdog's clock starts in the loop
n = 0
while n >= 0: n = n + 1
threading.Thread(target=print).start()
`)
	checkStallReport(t, stuckReport(t, p),
		`^threadsim: the Python program made no step for 3s: thread MainThread runs at prog\.py:5 in <module> without an operation`,
		`Python stack of MainThread, innermost last \(the runtime's frames removed\):`,
		`  prog\.py:5 in <module>`)
}

// TestStallInTheStandardLibrary: the thread waits in socket.accept; the
// report names the program's line and the library's.
func TestStallInTheStandardLibrary(t *testing.T) {
	p := source(t, `
import socket
import threading

def serve():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    s.accept()

t = threading.Thread(target=serve, name="server")
t.start()
t.join()
`)
	checkStallReport(t, stuckReport(t, p),
		`^threadsim: the Python program made no step for 3s: thread server is blocked outside the simulator at prog\.py:8 in serve \(now in socket\.py:\d+ in accept\): `,
		`  prog\.py:8 in serve`,
		`  socket\.py:\d+ in accept`)
}

func TestParseFaulthandlerStacks(t *testing.T) {
	dump := `Thread 0x00007fa241ca96c0 (most recent call first):
  File "/rt/tsrt_shared.py", line 293 in iop
  File "/p/spin.py", line 6 in spin
  File "/usr/lib/python3.11/threading.py", line 982 in run
  File "/rt/tsrt_threads.py", line 85 in _bootstrap

Current thread 0x00007fa242a78b80 (most recent call first):
  File "/rt/tsrt_proto.py", line 128 in _take
  File "/p/spin.py", line 10 in <module>
  File "/rt/tsrt_server.py", line 140 in _child
`
	threads := parseStacks(dump)
	if len(threads) != 2 || len(threads[0]) != 4 || len(threads[1]) != 3 {
		t.Fatalf("parsed %v", threads)
	}
	got := stuckThread(threads, "/rt")
	if len(got) != 2 || got[0].String() != "threading.py:982 in run" || got[1].String() != "spin.py:6 in spin" {
		t.Errorf("the running thread's frames: %v", got)
	}
	if got := stuckThread(threads[1:], "/rt"); got != nil {
		t.Errorf("a thread parked in the protocol was taken for the running one: %v", got)
	}
}

// TestStallInASubprocessLeavesNoProcess: the thread waits for a
// subprocess; the report names the wait, and the subprocess dies with
// the execution's process (its process group), as one an execution
// leaves running when it ends does.
func TestStallInASubprocessLeavesNoProcess(t *testing.T) {
	p := source(t, `
import subprocess
import sys
import threading

def work():
    child = subprocess.Popen(["sleep", "100"])
    with open(sys.argv[0] + ".pid", "w") as f:
        f.write(str(child.pid))
    child.wait()

threading.Thread(target=work, name="worker").start()
`)
	checkStallReport(t, stuckReport(t, p),
		`^threadsim: the Python program made no step for 3s: thread worker is blocked outside the simulator at prog\.py:9 in work \(now in subprocess\.py:\d+ in _try_wait\): `,
		`  prog\.py:9 in work`,
		`(  subprocess\.py:\d+ in \w+\n)*  subprocess\.py:\d+ in _try_wait`)
	waitGone(t, p.Abs+".pid")
}

// TestSubprocessEndsWithItsExecution: a subprocess an execution leaves
// running is killed with it.
func TestSubprocessEndsWithItsExecution(t *testing.T) {
	p := source(t, `
import subprocess
import sys

child = subprocess.Popen(["sleep", "100"])
with open(sys.argv[0] + ".pid", "w") as f:
    f.write(str(child.pid))
print("started")
`)
	if r := runOnce(p, 1); r.Failure != nil {
		t.Fatalf("failure: %v", r.Failure)
	}
	waitGone(t, p.Abs+".pid")
}

// waitGone waits until the process whose pid the file holds has ended
// (it may stay a zombie if nothing reaps orphans here).
func waitGone(t *testing.T, pidFile string) {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(data))
	gone := func() bool {
		if runtime.GOOS == "linux" {
			stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			return err != nil || strings.Contains(string(stat), ") Z ")
		}
		return syscall.Kill(pid, 0) != nil
	}
	for deadline := time.Now().Add(5 * time.Second); !gone(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the program's subprocess %d is alive 5 s after its execution ended", pid)
		}
	}
}

// TestStallUnderNewerPythons: faulthandler's dump and the runtime's
// frames under 3.12 and 3.13 (where installed) give the same report.
func TestStallUnderNewerPythons(t *testing.T) {
	pythons := otherPythons()
	if len(pythons) == 0 {
		t.Skip("no CPython 3.12 or 3.13 here")
	}
	for _, py := range pythons {
		path := filepath.Join("..", "..", "testdata", "python", "stall_spin.py")
		p, err := Load(path, py, "")
		if err != nil {
			t.Fatalf("Load(%s) under %s: %v", path, py, err)
		}
		t.Cleanup(p.Close)
		report := stuckReportOf(t, p, sched.NewRandomChooser(1))
		checkStallReport(t, report,
			`^threadsim: the Python program made no step for 3s: thread worker runs at stall_spin\.py:17 in worker without an operation`,
			`  threading\.py:\d+ in run`,
			`  stall_spin\.py:17 in worker`)
	}
}

// TestStallInCHoldingTheGIL: the thread waits in C code that keeps the
// GIL (ctypes.PyDLL does not release it), so no Python code can run in
// the process; faulthandler's handler needs none.
func TestStallInCHoldingTheGIL(t *testing.T) {
	p := source(t, `
import ctypes
import threading

def work():
    ctypes.PyDLL(None).sleep(100)

threading.Thread(target=work, name="holder").start()
`)
	checkStallReport(t, stuckReport(t, p),
		`^threadsim: the Python program made no step for 3s: thread holder is blocked outside the simulator at prog\.py:5 in work: `,
		`  threading\.py:\d+ in run`,
		`  prog\.py:5 in work`)
}
