package python

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A Python thread that loops without a visible operation, or blocks
// outside the simulator (a socket, a subprocess, a pipe, a C extension's
// wait), leaves its virtual thread waiting for its next request, and
// sched's watchdog reports the execution stuck. The execution describes
// itself then (sched.Scheduler.DescribeStuck): it has the child dump
// every Python thread's stack (faulthandler, registered by the fork
// server for stackSignal, writes them to the server's stack file: it runs
// in the C signal handler, so it works while a thread spins holding the
// GIL and while one waits in C code without it), samples its threads'
// states to tell a loop from a wait, and kills the child.

// stallSamples samples of the stuck process's threads' states, one every
// stallEvery, tell a thread that loops from one that waits.
const (
	stallSamples = 10
	stallEvery   = 20 * time.Millisecond
)

// sampleState tells whether process pid loops or waits: a thread that
// loops is seen running (or ready to run) in most samples, a process
// whose threads all wait in most samples, not in all (a signal wakes
// them, as the stack dump's did).
func sampleState(pid int) threadState {
	runs := 0
	for i := range stallSamples {
		if i > 0 {
			time.Sleep(stallEvery)
		}
		r, ok := processRuns(pid)
		if !ok {
			return stateUnknown
		}
		if r {
			runs++
		}
	}
	if 2*runs > stallSamples {
		return stateRuns
	}
	return stateWaits
}

// stall is what a stuck execution's report needs, published by the
// scheduler's goroutine before each blocking read of the child's next
// message and read by the watchdog's.
type stall struct {
	pid   atomic.Int64 // the process that runs the execution
	tid   atomic.Int64 // the Python thread whose request is awaited
	mu    sync.Mutex   // guards names
	names []string     // Python thread names, by tid
	// reported: the watchdog has reported the execution and killed its
	// process; the virtual thread that reads the news of its death stays
	// blocked, as a stuck model's goroutine does.
	reported atomic.Bool
}

// named records the Python name of thread tid.
func (s *stall) named(tid int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.names) <= tid {
		s.names = append(s.names, "")
	}
	s.names[tid] = name
}

func (s *stall) name(tid int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tid < len(s.names) && s.names[tid] != "" {
		return s.names[tid]
	}
	return "Python thread " + strconv.Itoa(tid)
}

// awaiting publishes that thread tid's next message is awaited from
// process pid.
func (s *stall) awaiting(pid, tid int) {
	s.pid.Store(int64(pid))
	s.tid.Store(int64(tid))
}

// describeStall is the report of an execution that made no step for
// limit, or "" (sched's generic report) when no process runs it.
func (x *execution) describeStall(limit time.Duration) string {
	pid, tid := int(x.stall.pid.Load()), int(x.stall.tid.Load())
	if pid <= 0 {
		return ""
	}
	x.stall.reported.Store(true)
	script, _ := extractRuntime()
	runtime := filepath.Dir(script)
	var frames []frame
	for try := 0; try < 3 && frames == nil; try++ {
		if try > 0 {
			// The thread was still in the runtime, on its way to the
			// program (a loaded machine): look again.
			time.Sleep(100 * time.Millisecond)
		}
		dump := x.srv.dumpStacks(pid)
		if dump == "" {
			break // no dump comes (the program took the signal)
		}
		frames = stuckThread(parseStacks(dump), runtime)
	}
	state := sampleState(pid)
	killChild(pid)
	r := stallReport{limit: limit, thread: x.stall.name(tid), state: state, frames: frames,
		dir: filepath.Dir(x.p.Abs)}
	return r.String()
}

// threadState is what the stuck thread was seen doing.
type threadState int

const (
	stateUnknown threadState = iota // the threads' states could not be read
	stateRuns                       // a thread kept running: a loop
	stateWaits                      // every thread waited: outside the simulator
)

// stallReport describes a stuck Python program.
type stallReport struct {
	limit  time.Duration
	thread string
	state  threadState
	frames []frame // the thread's stack, outermost first, runtime frames removed
	dir    string  // the program's directory: its own files are there
}

// String is the report: one line saying which thread is stuck, where and
// why it may be, then its Python stack.
func (r stallReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "threadsim: the Python program made no step for %v: thread %s ", r.limit, r.thread)
	at := r.where()
	switch r.state {
	case stateRuns:
		fmt.Fprintf(&b, "runs%s without an operation the simulator sees "+
			"(a loop with no shared access and no threading call, or a long computation)", at)
	case stateWaits:
		fmt.Fprintf(&b, "is blocked outside the simulator%s: "+
			"real I/O (a socket, a subprocess, input, a pipe or file that blocks) or a C extension's wait", at)
	default:
		fmt.Fprintf(&b, "is stuck%s: it loops without an operation the simulator sees (no shared access, "+
			"no threading call) or blocks outside it (a socket, a subprocess, input, a pipe or file, "+
			"a C extension's wait)", at)
	}
	if len(r.frames) > 0 {
		fmt.Fprintf(&b, "\nPython stack of %s, innermost last (the runtime's frames removed):", r.thread)
		for _, f := range r.frames {
			fmt.Fprintf(&b, "\n  %s", f)
		}
	}
	return b.String()
}

// where is " at FILE:LINE in FUNC" for the innermost frame in the
// program's own files, followed by the innermost frame when that is
// elsewhere (the standard library's socket.py); "" without a stack.
func (r stallReport) where() string {
	if len(r.frames) == 0 {
		return ""
	}
	inner := r.frames[len(r.frames)-1]
	for i := len(r.frames) - 1; i >= 0; i-- {
		if f := r.frames[i]; filepath.Dir(f.file) == r.dir {
			if i == len(r.frames)-1 {
				return " at " + f.String()
			}
			return " at " + f.String() + " (now in " + inner.String() + ")"
		}
	}
	return " at " + inner.String()
}

// frame is one line of a Python stack.
type frame struct {
	file string
	line int
	fn   string
}

func (f frame) String() string {
	return fmt.Sprintf("%s:%d in %s", filepath.Base(f.file), f.line, f.fn)
}

// parseStacks parses faulthandler's dump of every thread: for each
// thread, its frames innermost first, as faulthandler prints them.
//
//	Thread 0x00007f2b6d7fe6c0 (most recent call first):
//	  File "/tmp/spin.py", line 6 in spin
//	  File "/usr/lib/python3.11/threading.py", line 982 in run
func parseStacks(dump string) [][]frame {
	var threads [][]frame
	for _, line := range strings.Split(dump, "\n") {
		if strings.HasPrefix(line, "Thread ") || strings.HasPrefix(line, "Current thread ") {
			threads = append(threads, nil)
			continue
		}
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), `File "`)
		if !ok || len(threads) == 0 {
			continue
		}
		file, rest, ok := strings.Cut(rest, `", line `)
		if !ok {
			continue
		}
		num, fn, _ := strings.Cut(rest, " in ")
		n, _ := strconv.Atoi(num)
		threads[len(threads)-1] = append(threads[len(threads)-1], frame{file: file, line: n, fn: fn})
	}
	return threads
}

// stuckThread picks the thread that runs among the dumped ones: every
// other Python thread is parked in the runtime's protocol (reading its
// next reply) or, main at the program's end, in the server's child, so
// its innermost frame is there. It returns that
// thread's frames outermost first, without the runtime's, or none if no
// thread runs outside the runtime's waits (the running
// thread's innermost frame may be the runtime's too: an instrumented
// `x += 1`).
func stuckThread(threads [][]frame, runtime string) []frame {
	inRuntime := func(f frame) bool { return filepath.Dir(f.file) == runtime }
	parked := func(f frame) bool {
		switch filepath.Base(f.file) {
		case "tsrt_proto.py":
			return inRuntime(f)
		case "tsrt_server.py":
			return inRuntime(f) && f.fn == "_child"
		}
		return false
	}
	for _, th := range threads {
		if len(th) == 0 || parked(th[0]) {
			continue
		}
		var out []frame
		for i := len(th) - 1; i >= 0; i-- {
			if !inRuntime(th[i]) {
				out = append(out, th[i])
			}
		}
		return out
	}
	return nil
}

// stallPending is where a virtual thread that awaits the child's next
// message goes when the watchdog has reported the execution and killed
// the child: it stays blocked, as a stuck model's goroutine does (the
// process ends with the report, or the search has been abandoned).
func (x *execution) stallPending() {
	if x.stall.reported.Load() {
		select {}
	}
}
