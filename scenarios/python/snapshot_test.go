package python

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// The snapshot of a program's single-threaded start (snapshot.go) changes
// which process runs the start, never what the scheduler sees.

// withoutSnapshot loads p's program again, forking every execution from
// the server.
func withoutSnapshot(t *testing.T, p *Program) *Program {
	t.Helper()
	return withoutSnapshotUnder(t, p, "")
}

// withoutSnapshotUnder is withoutSnapshot under the interpreter python.
func withoutSnapshotUnder(t *testing.T, p *Program, python string) *Program {
	t.Helper()
	q, err := Load(p.Path, python, p.CheckArg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	q.noSnapshot.Store(true)
	q.RandomChoices = p.RandomChoices
	return q
}

// sameRuns runs p and q under the same random schedules and fails if an
// execution's trace, output, outcome or decisions differ.
func sameRuns(t *testing.T, p, q *Program, seeds uint64) {
	t.Helper()
	for seed := uint64(1); seed <= seeds; seed++ {
		a, b := runOnce(p, seed), runOnce(q, seed)
		if x, y := traceText(a)+a.Outcome, traceText(b)+b.Outcome; x != y || !slices.Equal(a.Decisions, b.Decisions) {
			t.Fatalf("%s seed %d: the execution from the snapshot differs:\n%s\n%v\n---\n%s\n%v", p.Path, seed, x, a.Decisions, y, b.Decisions)
		}
	}
}

// TestSnapshotExecutionsAreByteIdentical: every article program's
// executions, forked from the snapshot of its start, have the trace,
// output, outcome and decisions of executions that run the whole program;
// a schedule replays alike on both. (Three programs under the race
// detector; stall_spin.py gets stuck: stall_test.go.)
func TestSnapshotExecutionsAreByteIdentical(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "python", "*.py"))
	for i, file := range files {
		name := filepath.Base(file)
		if name == "checks.py" || name == "stall_spin.py" || raceEnabled && i%6 != 0 {
			continue
		}
		check := ""
		if name == "racecond.py" {
			check = "ending_value_is_updates"
		}
		p := article(t, name, check)
		q := withoutSnapshot(t, p)
		sameRuns(t, p, q, 2)
		r := runOnce(q, 7)
		m := model(p)
		for _, on := range []*Program{p, q} {
			got, err := explore.Replay(model(on), explore.ScheduleOf(m, "random", r), sched.Options{Detail: true})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if traceText(got) != traceText(r) {
				t.Fatalf("%s: the replay differs:\n%s\n---\n%s", name, traceText(r), traceText(got))
			}
		}
		if p.snapshotForks.Load() == 0 {
			t.Errorf("%s: no execution was forked from a snapshot", name)
		}
	}
}

// busyStart is a program whose start prints, logs, sleeps, reads the
// clock, makes and uses primitives, runs a Barrier's action and draws a
// random choice before its first thread.
const busyStart = `
import logging, random, threading, time
logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, datefmt="%H:%M:%S")
print("start", time.time())
lock = threading.Lock()
with lock:
    time.sleep(1.5)
logging.info("slept until %s", time.monotonic())
threading.Barrier(1, action=lambda: None).wait()
n = random.randint(1, 2)
print("drew", n)
count = 0

def work():
    global count
    c = count
    count = c + n

ts = [threading.Thread(target=work) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("count", count)
`

// TestSnapshotOfABusyStart: a start that prints, sleeps, reads the clock,
// runs a callback and ends at a random choice is explored alike from the
// snapshot: the same executions, outcomes and failures.
func TestSnapshotOfABusyStart(t *testing.T) {
	p := source(t, busyStart)
	p.RandomChoices = 2
	q := withoutSnapshot(t, p)
	a := search(t, p, explore.Config{KeepGoing: true})
	b := search(t, q, explore.Config{KeepGoing: true})
	if a.Executions != b.Executions || !slices.Equal(outcomes(a), outcomes(b)) || len(a.Failures) != len(b.Failures) {
		t.Fatalf("from the snapshot: %d executions %v, %d failures; without: %d %v, %d",
			a.Executions, outcomes(a), len(a.Failures), b.Executions, outcomes(b), len(b.Failures))
	}
	if a.Executions < 4 || p.snapshotForks.Load() == 0 {
		t.Fatalf("%d executions, %d forked from the snapshot", a.Executions, p.snapshotForks.Load())
	}
	sameRuns(t, p, q, 4)
}

// idleServer returns p's one fork server after an execution.
func idleServer(t *testing.T, p *Program) *server {
	t.Helper()
	runOnce(p, 1)
	if len(p.pool.idle) != 1 || p.pool.idle[0].prefix == nil {
		t.Fatal("no snapshot was taken")
	}
	return p.pool.idle[0]
}

// TestSnapshotFallsBackWhenAReplyDiffers: if a reply the replayed start
// computes is not the recorded one, the execution goes on with a process
// of its own, given the start's replies so far, and the program stops
// using snapshots; nothing differs for the scheduler.
func TestSnapshotFallsBackWhenAReplyDiffers(t *testing.T) {
	p := source(t, busyStart)
	q := withoutSnapshot(t, p)
	srv := idleServer(t, p)
	events := srv.prefix.events
	last := -1
	for i, e := range events {
		if e.msg == nil {
			last = i
		}
	}
	events[last/2].value += "?" // a reply in the middle, unless it is a message
	for i := last / 2; events[i].msg != nil; i++ {
		events[i+1].value += "?"
	}
	sameRuns(t, p, q, 3)
	if !p.noSnapshot.Load() || p.snapshotForks.Load() != 0 {
		t.Errorf("the program still uses snapshots (%d forks)", p.snapshotForks.Load())
	}
}

// TestSnapshotFallsBackWhenTheZygoteDied: a zygote killed between two
// executions is noticed when the next one asks it to fork, and the
// execution goes on with a process of its own.
func TestSnapshotFallsBackWhenTheZygoteDied(t *testing.T) {
	p := source(t, busyStart)
	q := withoutSnapshot(t, p)
	srv := idleServer(t, p)
	killChild(srv.zygote)
	sameRuns(t, p, q, 3)
	if p.snapshotForks.Load() == 0 {
		t.Error("no snapshot after the zygote died")
	}
}

// TestNoSnapshotWhenTheStartOpensAFile: processes forked from one
// snapshot would share the files its start opened (an offset one of them
// moves), so a start that leaves a file open takes no snapshot, and each
// execution reads the whole file.
func TestNoSnapshotWhenTheStartOpensAFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(data, []byte("line one\nline two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := source(t, fmt.Sprintf(`
import threading
f = open(%q)
t = threading.Thread(target=lambda: print(repr(f.read())))
t.start()
t.join()
`, data))
	for seed := uint64(1); seed <= 3; seed++ {
		r := runOnce(p, seed)
		if len(r.Logs) != 1 || r.Logs[0].Text != `'line one\nline two\n'` {
			t.Fatalf("seed %d printed %v", seed, r.Logs)
		}
	}
	if n := p.snapshotForks.Load(); n != 0 {
		t.Errorf("%d executions forked from a snapshot of a start that left a file open", n)
	}
}

// TestSnapshotUnderNewerPythons: the busy start and the lost update run
// alike from the snapshot under CPython 3.12 and 3.13, where installed.
func TestSnapshotUnderNewerPythons(t *testing.T) {
	pythons := otherPythons()
	if len(pythons) == 0 {
		t.Skip("no CPython 3.12 or 3.13 here")
	}
	busy := filepath.Join(t.TempDir(), "busy.py")
	if err := os.WriteFile(busy, []byte(strings.TrimLeft(busyStart, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, py := range pythons {
		for _, path := range []string{busy, filepath.Join("..", "..", "testdata", "python", "racecond.py")} {
			p, err := Load(path, py, "")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(p.Close)
			sameRuns(t, p, withoutSnapshotUnder(t, p, py), 2)
			if p.snapshotForks.Load() == 0 {
				t.Errorf("%s under %s: no execution forked from a snapshot", path, py)
			}
		}
	}
}
