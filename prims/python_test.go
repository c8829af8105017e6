package prims_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// pythonReprs prints, with CPython, the reprs and messages that
// TestMatchesInstalledPython compares; the addresses and idents vary from
// run to run and are replaced.
const pythonReprs = `
import threading, queue
def worker(): pass
def msg(f):
    try: f()
    except Exception as e: return type(e).__name__ + ": " + str(e)
l = threading.Lock(); print(repr(l)); l.acquire(); print(repr(l))
e = threading.Event(); print(repr(e)); e.set(); print(repr(e))
s = threading.Semaphore(3); s.acquire(); print(repr(s))
b = threading.BoundedSemaphore(3); b.acquire(); print(repr(b))
print(msg(lambda: (b.release(), b.release())))
br = threading.Barrier(3); print(repr(br)); br.abort(); print(repr(br))
t = threading.Thread(target=worker); print(repr(t)); t.daemon = True; print(repr(t))
print(msg(t.join))
t.start(); t.join(); print(repr(t))
print(msg(t.start))
print(msg(lambda: setattr(t, "daemon", False)))
print(msg(threading.current_thread().join))
print(msg(threading.Lock().release))
print(msg(lambda: threading.Semaphore(-1)))
print(msg(queue.Queue().task_done))
print(msg(lambda: queue.Queue().get(timeout=-1)))
tm = threading.Timer(60, worker); print(repr(tm)); print(msg(tm.join))
tm.daemon = True; print(repr(tm)); tm.start(); print(repr(tm)); print(msg(tm.start))
tm.cancel(); tm.join(); print(repr(tm))
`

var (
	hexAddress = regexp.MustCompile(`0x[0-9a-f]+`)
	threadID   = regexp.MustCompile(`(started|stopped|daemon) \d+\)`)
)

// scrub replaces what differs between runs of CPython.
func scrub(s string) string {
	return threadID.ReplaceAllString(hexAddress.ReplaceAllString(s, "ADDR"), "$1 IDENT)")
}

// TestMatchesInstalledPython runs the installed python3 (3.11 here; the
// formats and messages compared are the same in 3.13) and the same program
// against sched and prims, and compares what they print.
func TestMatchesInstalledPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	out, err := exec.Command(py, "-c", pythonReprs).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	want := strings.Split(strings.TrimSpace(scrub(string(out))), "\n")
	var got []string
	forSeeds(t, 1, same(func(main *sched.Thread) {
		got = nil
		add := func(s string) { got = append(got, scrub(s)) }
		msg := func(f func()) string {
			if exc := main.Try(f); exc != nil {
				return exc.Error()
			}
			return "nothing raised"
		}
		l := prims.NewLock(main, "l")
		add(l.Repr(main))
		l.Acquire(main)
		add(l.Repr(main))
		e := prims.NewEvent(main, "e")
		add(e.Repr(main))
		e.Set(main)
		add(e.Repr(main))
		s := prims.NewSemaphore(main, "s", 3)
		s.Acquire(main)
		add(s.Repr(main))
		b := prims.NewBoundedSemaphore(main, "b", 3)
		b.Acquire(main)
		add(b.Repr(main))
		add(msg(func() { b.Release(main); b.Release(main) }))
		br := prims.NewBarrier(main, "br", 3, nil, 0)
		add(br.Repr(main))
		br.Abort(main)
		add(br.Repr(main))
		th := main.NewThread(sched.ThreadSpec{Target: "worker"}, func(*sched.Thread) {})
		add(main.Repr(th))
		main.SetDaemon(th, true)
		add(main.Repr(th))
		add(msg(func() { main.Join(th) }))
		main.Start(th)
		main.Join(th)
		add(main.Repr(th))
		add(msg(func() { main.Start(th) }))
		add(msg(func() { main.SetDaemon(th, false) }))
		add(msg(func() { main.Join(main.CurrentThread()) }))
		add(msg(func() { prims.NewLock(main, "l2").Release(main) }))
		add(msg(func() { prims.NewSemaphore(main, "s2", -1) }))
		add(msg(func() { prims.NewQueue[int](main, "q", 0).TaskDone(main) }))
		add(msg(func() { prims.NewQueue[int](main, "q2", 0).GetTimeout(main, -1) }))
		tm := prims.NewTimer(main, "", 60*time.Second, func(*sched.Thread) {})
		add(tm.Repr(main))
		add(msg(func() { tm.Join(main) }))
		tm.SetDaemon(main, true)
		add(tm.Repr(main))
		tm.Start(main)
		add(tm.Repr(main))
		add(msg(func() { tm.Start(main) }))
		tm.Cancel(main)
		tm.Join(main)
		add(tm.Repr(main))
	}), nil)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("threadsim against %s (-python +threadsim):\n%s", py, diff)
	}
}
