package python

import (
	"strconv"
	"strings"
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// execution is one run of a program: the CPython child a fork server made
// for it, and the virtual threads and objects that mirror the child's.
type execution struct {
	p       *Program
	srv     *server
	threads []*sched.Thread // by Python thread id (the runtime's tid)
	objs    map[string]any  // by the runtime's object id
	vars    map[string]*prims.Var[string]
	shapes  map[string]*shape // containers' shapes, by the runtime's key
	// clock is the virtual time the child last heard of: a reply carries
	// the time when it differs.
	clock time.Duration
	// rec records the program's start for a snapshot; replay is the
	// recorded start being replayed, pos the next event (snapshot.go).
	rec    *prefix
	replay *prefix
	pos    int
	// stall is what a report of the execution stuck needs (stall.go).
	stall stall
	// pipes are the reply pipes of the Python threads by tid (the main
	// thread's, 0, is the server's command pipe): threadsim's write ends.
	pipes []int
}

// runExecution is the main virtual thread: it forks the child and serves
// the Python main thread. Whatever way the execution ends, the child is
// killed and the server goes back to the pool.
func runExecution(p *Program, main *sched.Thread) {
	srv, err := p.pool.get()
	if err != nil {
		main.Fail(sched.Panic, err.Error())
	}
	x := &execution{p: p, srv: srv, objs: map[string]any{}, vars: map[string]*prims.Var[string]{},
		shapes: map[string]*shape{}}
	if p.Check == "" {
		// Nothing reads the output but the outcome (the last line):
		// prints commute, as in the Go models that forget their log. A
		// --check reads the output, and then prints are ordered.
		main.ForgetLog()
	}
	main.OnEnd(func() {
		srv.kill()
		x.closePipes()
		p.pool.put(srv)
	})
	x.stall.named(0, "MainThread")
	main.Scheduler().DescribeStuck(x.describeStall)
	x.start(main)
	x.threads = append(x.threads, main)
	x.serve(main, 0)
}

// runThread is the virtual thread of Python thread tid: it lets the thread
// run (its code up to its first request is its first local code), then
// serves it.
func (x *execution) runThread(t *sched.Thread, tid int) {
	x.send(t, tid, "go")
	x.serve(t, tid)
}

// serve performs thread tid's requests until it exits.
func (x *execution) serve(t *sched.Thread, tid int) {
	for {
		f := x.next(t, tid)
		if f[0] == "exit" {
			t.SetWhere("")
			return
		}
		x.send(t, tid, x.serveOne(t, f))
	}
}

// serveOne performs one request and returns its reply.
func (x *execution) serveOne(t *sched.Thread, f []string) string {
	var reply string
	if exc := t.Try(func() { reply = x.dispatch(t, f) }); exc != nil {
		reply = raiseReply(exc)
	}
	return reply
}

// raiseReply is the reply that makes the Python thread raise exc, the
// exception a primitive raised while serving its request:
// "\x1d" FLAG "\x1d" TYPE "\x1d" MESSAGE, FLAG "M" for a misuse (uncaught,
// it is a Misuse failure, as in a Go model) and "E" for any other. No
// other reply starts with \x1d.
func raiseReply(exc *sched.Exception) string {
	flag := "E"
	if exc.Misuse() {
		flag = "M"
	}
	return "\x1d" + flag + "\x1d" + exc.Type + "\x1d" + exc.Message
}

// send replies value to Python thread tid, with the virtual time if it
// moved since the last reply: logging's timestamps read it in Python (no
// thread runs between a reply and its thread's next request, so the time
// is still the same then).
func (x *execution) send(t *sched.Thread, tid int, value string) {
	clock := ""
	if now := t.Scheduler().Now(); now != x.clock {
		x.clock = now
		clock = seconds(now)
	}
	x.write(t, tid, clock, value)
}

// next reads the next request of thread tid, creating the objects it
// announces on the way. Its fields are op, tid, where, arguments.
func (x *execution) next(t *sched.Thread, tid int) []string {
	for {
		f := x.read(t, tid)
		switch {
		case f[0] == "died":
			x.stallPending()
			x.srv.died(f)
			t.Fail(sched.Panic, "the Python process exited outside the simulator (wait status "+f[1]+
				"): os._exit, a crash, or a signal"+x.srv.stderr.tail())
		case f[0] == "snap":
			x.snapped(t, f)
			continue
		case len(f) < 3:
			t.Fail(sched.Panic, "threadsim: malformed message from the Python runtime: "+strings.Join(f, " "))
		case f[1] != strconv.Itoa(tid):
			t.Fail(sched.Panic, "threadsim: message of Python thread "+f[1]+" while thread "+strconv.Itoa(tid)+" runs: "+f[0])
		case f[0] == "new":
			x.newObject(t, f[3:])
			continue
		}
		t.SetWhere(f[2])
		return f
	}
}

// gone describes a fork server that exited, with its last words.
func (x *execution) gone(err error) string {
	return err.Error() + x.srv.stderr.tail()
}

// tidOf returns the Python thread id of t.
func (x *execution) tidOf(t *sched.Thread) int {
	for i, u := range x.threads {
		if u == t {
			return i
		}
	}
	t.Fail(sched.Panic, "threadsim: a virtual thread with no Python thread")
	return -1
}

// callback runs a Python callback (a Barrier's action) on t's Python
// thread, in the middle of t's operation, serving the requests it makes
// (it prints, it takes a lock) until it returns. If it raised, t raises
// an exception of its type (the Python side raises the callback's own
// exception again when the operation's reply comes).
func (x *execution) callback(t *sched.Thread, key string) {
	tid := x.tidOf(t)
	x.send(t, tid, "!"+key)
	for {
		f := x.next(t, tid)
		if f[0] == "exit" {
			t.Fail(sched.Panic, "threadsim: a thread exited inside a callback")
		}
		if f[0] == "ret" {
			if len(f) > 3 && strings.HasPrefix(f[3], "0") {
				t.Raise(f[3][1:], "")
			}
			return
		}
		x.send(t, tid, x.serveOne(t, f))
	}
}

// pipeOf is the descriptor of Python thread tid's reply pipe.
func (x *execution) pipeOf(tid int) int {
	if tid > 0 && tid < len(x.pipes) {
		return x.pipes[tid]
	}
	return x.srv.wfd
}

// takePipe takes the reply pipe the process sent for thread tid, which it
// is starting.
func (x *execution) takePipe(t *sched.Thread, tid int) {
	fd, err := receivePipe(x.srv.pipes, x.srv.child, tid)
	if err != nil {
		t.Fail(sched.Panic, "threadsim: no reply pipe from the Python runtime for thread "+strconv.Itoa(tid)+": "+err.Error())
	}
	for len(x.pipes) <= tid {
		x.pipes = append(x.pipes, -1)
	}
	x.pipes[tid] = fd
}

// closePipes closes the threads' reply pipes when the execution ends.
func (x *execution) closePipes() {
	for _, fd := range x.pipes {
		if fd >= 0 {
			closeFD(fd)
		}
	}
	x.pipes = nil
}

// seconds is d as Python's time functions give it.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
