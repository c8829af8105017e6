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

// modelStack returns the stack of a panicking thread as the model's own
// frames, innermost first, one "function (dir/file.go:line)" a line: no
// goroutine numbers, addresses, runtime frames, nor threadsim's scheduler
// frames, and each file named by its directory and name only, so that the
// report is the same text on every run and every machine. Called from the
// deferred function that recovered the panic.
func modelStack() string {
	pcs := make([]uintptr, 256)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var b strings.Builder
	kept, dropped := 0, 0
	for {
		f, more := frames.Next()
		if f.Function == schedPrefix+"(*coro).runBody" {
			break
		}
		if !isPlumbing(f.Function) {
			if kept < maxStackFrames {
				b.WriteString("  " + shortFunction(f.Function) + " (" + shortFile(f.File) + ":" + strconv.Itoa(f.Line) + ")\n")
				kept++
			} else {
				dropped++
			}
		}
		if !more {
			break
		}
	}
	if n == len(pcs) || dropped > 0 {
		b.WriteString("  ... (deeper frames left out)\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
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
