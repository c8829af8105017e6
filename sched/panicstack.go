package sched

import (
	"path"
	"runtime"
	"strconv"
	"strings"
)

// maxStackFrames caps the frames a panic report keeps: the innermost ones
// of a deep recursion say what it is.
const maxStackFrames = 32

// frame is one frame of the model's own code.
type frame struct {
	function, file string
	line           int
}

// modelStack returns the stack of a panicking thread as the model's own
// frames, innermost first, one "function (dir/file.go:line)" a line: no
// goroutine numbers, addresses, runtime frames, nor threadsim's scheduler
// frames, and each file named by its directory and name only, so that the
// report is the same text on every run and every machine. Called from the
// deferred function that recovered the panic.
func modelStack() string {
	return stackText(modelFrames(callers(1)))
}

// callers returns up to 256 program counters of the calling goroutine's
// stack, from the frame skip levels above the caller of callers (0: that
// caller's own frame).
func callers(skip int) []uintptr {
	pcs := make([]uintptr, 256)
	return pcs[:runtime.Callers(skip+2, pcs)]
}

// modelFrames keeps, of pcs, the model's frames up to the thread's body:
// no runtime or scheduler frames, at most maxStackFrames, innermost
// first; cut reports frames left out (deeper than the cap, or beyond the
// 256 pcs taken).
func modelFrames(pcs []uintptr) (kept []frame, cut bool) {
	frames := runtime.CallersFrames(pcs)
	cut = len(pcs) == 256
	for {
		f, more := frames.Next()
		if f.Function == schedPrefix+"(*coro).runBody" {
			break
		}
		if !isPlumbing(f.Function) {
			if len(kept) < maxStackFrames {
				kept = append(kept, frame{shortFunction(f.Function), shortFile(f.File), f.Line})
			} else {
				cut = true
			}
		}
		if !more {
			break
		}
	}
	return kept, cut
}

// stackText is a report's stack: "  function (dir/file.go:line)" a line,
// innermost first.
func stackText(frames []frame, cut bool) string {
	var b strings.Builder
	for _, f := range frames {
		b.WriteString("  " + f.function + " (" + f.file + ":" + strconv.Itoa(f.line) + ")\n")
	}
	if cut {
		b.WriteString("  ... (deeper frames left out)\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// pythonFrames are frames as CPython's traceback prints them, outermost
// first: `  File "dir/file.go", line 12, in function`.
func pythonFrames(frames []frame, cut bool) []string {
	lines := make([]string, 0, len(frames)+1)
	if cut {
		lines = append(lines, "  ... (outer frames left out)")
	}
	for i := len(frames) - 1; i >= 0; i-- {
		f := frames[i]
		lines = append(lines, "  File \""+f.file+"\", line "+strconv.Itoa(f.line)+", in "+f.function)
	}
	return lines
}

const schedPrefix = "github.com/threadsim/threadsim/sched."

// isPlumbing reports frames that are not the model's: the Go runtime's
// and the scheduler's.
func isPlumbing(function string) bool {
	return strings.HasPrefix(function, "runtime.") || strings.HasPrefix(function, schedPrefix)
}

// shortFunction drops the module path: "scenarios.buildBackoff.func1".
func shortFunction(function string) string {
	return strings.TrimPrefix(function, "github.com/threadsim/threadsim/")
}

// shortFile keeps a file's directory and name: "scenarios/liveness.go".
func shortFile(file string) string {
	dir, name := path.Split(file)
	return path.Join(path.Base(dir), name)
}

// oneLine makes a panic value's text one line: a newline in it would
// make the report's one-line message several.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`).Replace(s)
}
