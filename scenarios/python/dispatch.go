package python

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// dispatch performs one request on t and returns the reply. f is op, tid,
// where, then the arguments.
func (x *execution) dispatch(t *sched.Thread, f []string) string {
	op, a := f[0], f[3:]
	arg := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	switch op {
	case "print":
		t.Print(arg(0))
		t.Outcome("%s", outcome(arg(0)))
		return ""
	case "printlines": // several lines in one step (a traceback), as sched.DefaultExceptHook prints
		lines := strings.Split(arg(0), "\n")
		t.PrintLines(lines...)
		if len(lines) > 2 { // the trace shows its first and last lines, as a Go traceback's
			t.SetResult(lines[0] + " " + lines[len(lines)-1])
		}
		t.Outcome("%s", outcome(lines[len(lines)-1]))
		return ""
	case "read":
		x.variable(t, arg(0), arg(1), arg(2)).Load(t)
		return ""
	case "write":
		x.variable(t, arg(0), arg(1), arg(2)).Store(t, arg(2))
		return ""
	case "cread": // key, name, length
		x.container(t, arg(0), arg(1), arg(2)).read(t, arg(2))
		return ""
	case "cwrite": // key, name, length before the change, the change (a method)
		x.container(t, arg(0), arg(1), arg(2)).write(t, arg(2), arg(3))
		return ""
	case "cwhole": // key, name, length
		x.container(t, arg(0), arg(1), arg(2)).readAll(t, arg(2))
		return ""
	case "random": // a draw of n values, enumerated by exploration
		return strconv.Itoa(t.Random(atoi(arg(0))))
	case "random_choices": // the largest draw that is a choice: no step
		return strconv.Itoa(x.p.RandomChoices)
	case "now":
		return strconv.FormatFloat(t.Now().Seconds(), 'f', -1, 64)
	case "sleep":
		d, _ := timeout(arg(0))
		t.Sleep(d)
		return ""
	case "output":
		t.ReadOutput()
		return ""
	case "tstart", "tjoin", "talive":
		return x.threadOp(t, op, a)
	case "fail": // an assertion, or a property that failed: the execution stops
		t.FailStack(sched.Assertion, arg(1), arg(2))
	case "uncaught": // an exception ended a thread: it goes on to its hook
		kind := sched.UncaughtException // as the Go models' uncaught exceptions
		if arg(0) == "misuse" {
			kind = sched.Misuse
		}
		t.UncaughtStack(kind, arg(1), arg(2))
		return ""
	}
	return x.objectOp(t, op, x.obj(t, arg(0)), a[1:])
}

// threadOp starts, joins or polls a Python thread.
func (x *execution) threadOp(t *sched.Thread, op string, a []string) string {
	tid := atoi(a[0])
	if op == "tstart" {
		if tid != len(x.threads) {
			t.Fail(sched.Panic, "threadsim: Python thread "+a[0]+" started out of order")
		}
		x.takePipe(t, tid)
		x.threads = append(x.threads, nil)
		x.stall.named(tid, a[1])
		x.threads[tid] = t.GoWith(a[1], a[2] == "1", func(ct *sched.Thread) { x.runThread(ct, tid) })
		return ""
	}
	if tid <= 0 || tid >= len(x.threads) {
		t.Fail(sched.Panic, "threadsim: unknown Python thread "+a[0])
	}
	u := x.threads[tid]
	if op == "talive" {
		return flag(t.IsAlive(u))
	}
	if d, ok := timeout(a[1]); ok {
		t.JoinTimeout(u, d)
	} else {
		t.Join(u)
	}
	return ""
}

// stamp is a timestamp at the start of a line ("00:00:02: ", logging's
// asctime): virtual time differs between schedules that print the same.
var stamp = regexp.MustCompile(`^\d\d:\d\d:\d\d(?:[.,]\d+)?:?\s*`)

// outcome is what a printed line says about the execution: the line
// without a leading timestamp. The last line printed is the execution's
// outcome, so that a program without an assert still shows what can
// happen ("Ending value is 1" beside "Ending value is 2").
func outcome(line string) string { return stamp.ReplaceAllString(line, "") }

// acquirer is what Lock, RLock and the semaphores share.
type acquirer interface {
	Acquire(t *sched.Thread) bool
	TryAcquire(t *sched.Thread) bool
	AcquireTimeout(t *sched.Thread, d time.Duration) bool
}

// objectOp performs op on object o with arguments a.
func (x *execution) objectOp(t *sched.Thread, op string, o any, a []string) string {
	arg := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	switch o := o.(type) {
	case unmade:
		t.RaiseException(o.exc)
	case *prims.Lock:
		switch op {
		case "release":
			o.Release(t)
			return ""
		case "locked":
			return flag(o.Locked(t))
		}
	case *prims.RLock:
		switch op {
		case "release":
			o.Release(t)
			return ""
		case "is_owned":
			return flag(o.IsOwned(t))
		case "recursion_count":
			return strconv.Itoa(o.RecursionCount(t))
		}
	case *prims.Semaphore:
		return semaphoreOp(t, op, o, arg)
	case *prims.BoundedSemaphore:
		return semaphoreOp(t, op, &o.Semaphore, arg)
	case *prims.Condition:
		return conditionOp(t, op, o, arg)
	case *prims.Event:
		return eventOp(t, op, o, arg)
	case *prims.Barrier:
		return barrierOp(t, op, o, arg)
	case *prims.Queue[string]:
		return queueOp(t, op, o, arg)
	case *prims.SimpleQueue[string]:
		return simpleQueueOp(t, op, o, arg)
	}
	if ac, ok := o.(acquirer); ok && op == "acquire" {
		return acquire(t, ac, arg(0), arg(1))
	}
	t.Fail(sched.Panic, "threadsim: unknown operation "+op)
	return ""
}

func acquire(t *sched.Thread, ac acquirer, mode, to string) string {
	if mode == "n" {
		return flag(ac.TryAcquire(t))
	}
	if d, ok := timeout(to); ok {
		return flag(ac.AcquireTimeout(t, d))
	}
	return flag(ac.Acquire(t))
}

func semaphoreOp(t *sched.Thread, op string, s *prims.Semaphore, arg func(int) string) string {
	switch op {
	case "acquire":
		return acquire(t, s, arg(0), arg(1))
	case "release":
		s.ReleaseN(t, atoi(arg(0)))
		return ""
	case "value":
		return strconv.Itoa(s.Value(t))
	}
	t.Fail(sched.Panic, "threadsim: unknown Semaphore operation "+op)
	return ""
}

func conditionOp(t *sched.Thread, op string, c *prims.Condition, arg func(int) string) string {
	switch op {
	case "wait":
		if d, ok := timeout(arg(0)); ok {
			return flag(c.WaitTimeout(t, d))
		}
		return flag(c.Wait(t))
	case "notify":
		c.Notify(t, atoi(arg(0)))
		return ""
	case "notify_all":
		c.NotifyAll(t)
		return ""
	}
	t.Fail(sched.Panic, "threadsim: unknown Condition operation "+op)
	return ""
}

func eventOp(t *sched.Thread, op string, e *prims.Event, arg func(int) string) string {
	switch op {
	case "set":
		e.Set(t)
		return ""
	case "clear":
		e.Clear(t)
		return ""
	case "is_set":
		return flag(e.IsSet(t))
	case "wait":
		if d, ok := timeout(arg(0)); ok {
			return flag(e.WaitTimeout(t, d))
		}
		return flag(e.Wait(t))
	}
	t.Fail(sched.Panic, "threadsim: unknown Event operation "+op)
	return ""
}

func barrierOp(t *sched.Thread, op string, b *prims.Barrier, arg func(int) string) string {
	switch op {
	case "wait":
		var i int
		var err error
		if d, ok := timeout(arg(0)); ok {
			i, err = b.WaitTimeout(t, d)
		} else {
			i, err = b.Wait(t)
		}
		if err != nil {
			return "B"
		}
		return strconv.Itoa(i)
	case "reset":
		b.Reset(t)
		return ""
	case "abort":
		b.Abort(t)
		return ""
	case "n_waiting":
		return strconv.Itoa(b.NWaiting(t))
	case "broken":
		return flag(b.Broken(t))
	}
	t.Fail(sched.Panic, "threadsim: unknown Barrier operation "+op)
	return ""
}

func queueOp(t *sched.Thread, op string, q *prims.Queue[string], arg func(int) string) string {
	block := func() error { _, err := q.Get(t); return err }
	if r, ok := readQueue(t, op, q, block, arg); ok {
		return r
	}
	switch op {
	case "put":
		d, timed := timeout(arg(1))
		var err error
		switch {
		case arg(0) == "n":
			err = q.PutNowait(t, arg(2))
		case timed:
			err = q.PutTimeout(t, arg(2), d)
		default:
			err = q.Put(t, arg(2))
		}
		return queueResult(err)
	case "full":
		return flag(q.Full(t))
	case "task_done":
		q.TaskDone(t)
		return ""
	case "join":
		q.Join(t)
		return ""
	case "shutdown":
		q.Shutdown(t, arg(0) == "1")
		return ""
	}
	t.Fail(sched.Panic, "threadsim: unknown Queue operation "+op)
	return ""
}

func simpleQueueOp(t *sched.Thread, op string, q *prims.SimpleQueue[string], arg func(int) string) string {
	block := func() error { q.Get(t); return nil }
	if r, ok := readQueue(t, op, q, block, arg); ok {
		return r
	}
	if op == "put" {
		q.Put(t, arg(2))
		return "1"
	}
	t.Fail(sched.Panic, "threadsim: unknown SimpleQueue operation "+op)
	return ""
}

// readable is what Queue and SimpleQueue share: a get that does not block
// or has a timeout, the size and emptiness.
type readable interface {
	GetNowait(t *sched.Thread) (string, error)
	GetTimeout(t *sched.Thread, d time.Duration) (string, error)
	Qsize(t *sched.Thread) int
	Empty(t *sched.Thread) bool
}

// readQueue performs get (block is the queue's blocking get), qsize and
// empty on either queue, and reports whether op was one of them. A get's
// arguments are the mode ("n" for block=False) and the timeout.
func readQueue(t *sched.Thread, op string, q readable, block func() error, arg func(int) string) (string, bool) {
	switch op {
	case "get":
		d, timed := timeout(arg(1))
		var err error
		switch {
		case arg(0) == "n":
			_, err = q.GetNowait(t)
		case timed:
			_, err = q.GetTimeout(t, d)
		default:
			err = block()
		}
		return queueResult(err), true
	case "qsize":
		return strconv.Itoa(q.Qsize(t)), true
	case "empty":
		return flag(q.Empty(t)), true
	}
	return "", false
}

// queueResult is "1" for success, "S" for ShutDown, "E" for Empty or Full.
func queueResult(err error) string {
	switch {
	case err == nil:
		return "1"
	case strings.Contains(err.Error(), "ShutDown"):
		return "S"
	}
	return "E"
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
