package sched_test

import (
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/threadsim/threadsim/sched"
)

// lineNumber matches the line of a traceback's frame, closureNumber a
// closure's numbering, which inlining decides.
var (
	lineNumber    = regexp.MustCompile(`(line |\.go:)\d+`)
	closureNumber = regexp.MustCompile(`\.func[0-9.]+`)
)

// anyLine replaces the line numbers of traceback frames, which move when
// a test file is edited, and closures' numbers with N.
func anyLine(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = closureNumber.ReplaceAllString(lineNumber.ReplaceAllString(l, "${1}N"), ".funcN")
	}
	return out
}

// here returns the calling function's name as a traceback names it, and
// its line.
func here() (string, int) {
	pc, _, line, _ := runtime.Caller(1)
	return strings.TrimPrefix(runtime.FuncForPC(pc).Name(), "github.com/threadsim/threadsim/"), line
}

// raiseDeep raises from depth nested calls, recording each call's line.
func raiseDeep(t *sched.Thread, depth int, lines *[]int) {
	_, _, line, _ := runtime.Caller(0)
	*lines = append(*lines, line+3) // the call or raise below
	if depth > 0 {
		raiseDeep(t, depth-1, lines)
		return
	}
	t.Raise("ValueError", "deep")
}

// TestUncaughtTracebackHasTheModelsFrames: the traceback an uncaught
// exception prints (the except hook's, and main's) lists the model's own
// frames from the thread's function down to the raise, outermost first,
// as CPython's does ("File ..., line N, in function"), and the failure's
// Stack lists them innermost first as a panic report does; no runtime or
// scheduler frame, the same text on every run (issue 16 item 10's rule
// for panics, here for exceptions: issue 15's traceback).
func TestUncaughtTracebackHasTheModelsFrames(t *testing.T) {
	var lines []int
	var body int
	var fn string
	prog := func(main *sched.Thread) {
		w := main.Go("", func(t *sched.Thread) {
			lines = lines[:0]
			fn, body = here()
			raiseDeep(t, 2, &lines)
		})
		main.Join(w)
	}
	r := runFirst(t, sched.Options{}, prog)
	l := func(n int) string { return strconv.Itoa(n) }
	file := `  File "sched/traceback_test.go", line `
	want := []string{
		"00:00:00.000: Exception in thread Thread-1:",
		"00:00:00.000: Traceback (most recent call last):",
		"00:00:00.000: " + file + l(body+1) + ", in " + fn,
		"00:00:00.000: " + file + l(lines[0]) + ", in sched_test.raiseDeep",
		"00:00:00.000: " + file + l(lines[1]) + ", in sched_test.raiseDeep",
		"00:00:00.000: " + file + l(lines[2]+3) + ", in sched_test.raiseDeep",
		"00:00:00.000: ValueError: deep",
	}
	if diff := cmp.Diff(want, logTexts(r)); diff != "" {
		t.Fatalf("traceback (-want +got):\n%s", diff)
	}
	stack := "  sched_test.raiseDeep (sched/traceback_test.go:" + l(lines[2]+3) + ")\n" +
		"  sched_test.raiseDeep (sched/traceback_test.go:" + l(lines[1]) + ")\n" +
		"  sched_test.raiseDeep (sched/traceback_test.go:" + l(lines[0]) + ")\n" +
		"  " + fn + " (sched/traceback_test.go:" + l(body+1) + ")"
	if r.Failure == nil || r.Failure.Stack != stack {
		t.Fatalf("failure stack:\n%v\nwant\n%s", r.Failure.Stack, stack)
	}
	if again := runFirst(t, sched.Options{}, prog); again.Failure.Describe() != r.Failure.Describe() {
		t.Errorf("two runs report differently:\n%s\n---\n%s", r.Failure.Describe(), again.Failure.Describe())
	}
	// In the main function: CPython's traceback, the same frames.
	r = runFirst(t, sched.Options{}, func(main *sched.Thread) { raiseDeep(main, 0, &lines) })
	if got := anyLine(logTexts(r)); !cmp.Equal(got, []string{"00:00:00.000: Traceback (most recent call last):",
		`00:00:00.000:   File "sched/traceback_test.go", line N, in sched_test.TestUncaughtTracebackHasTheModelsFrames.funcN`,
		`00:00:00.000:   File "sched/traceback_test.go", line N, in sched_test.raiseDeep`,
		"00:00:00.000: ValueError: deep"}) {
		t.Errorf("main's traceback: %q", got)
	}
}
