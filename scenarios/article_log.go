package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// transcript is what the article's programs printed so far in one
// execution. Each scenario makes a new one in its program function, so
// executions never share one. Printing is a step on the shared output, so
// every line's place among the other threads' lines is a scheduling
// decision; the transcript is updated right after that step, while only
// the printing thread runs, so it always matches the log.
//
// For stateful exploration the transcript is a function of the log, which
// is part of the state unless the program calls Thread.ForgetLog. A
// program whose property reads its transcript therefore keeps the log,
// and reads it only where the reading cannot make two equal states
// differ: right after the reader's own print (the log then fixes what it
// saw), or in an assertion or outcome that changes no later step. A
// program that forgets its log must never read the transcript.
type transcript struct {
	lines []string
	// forgotten: the program forgot its log, so it never reads the
	// transcript, which keeps no lines.
	forgotten bool
}

// forgetLog calls main.ForgetLog and returns the program's transcript,
// which then keeps no lines.
func forgetLog(main *sched.Thread) *transcript {
	main.ForgetLog()
	return &transcript{forgotten: true}
}

// log prints a line through t, as logging.info does, and remembers it.
// A forgotten transcript leaves the formatting to Thread.Log, which skips
// it when nothing reads the line.
func (tr *transcript) log(t *sched.Thread, format string, args ...any) {
	if tr.forgotten {
		t.Log(format, args...)
		return
	}
	text := fmt.Sprintf(format, args...)
	t.Print(text)
	tr.lines = append(tr.lines, text)
}

// index returns the position of the first line equal to line, or -1.
func (tr *transcript) index(line string) int { return slices.Index(tr.lines, line) }

// has reports whether line was printed.
func (tr *transcript) has(line string) bool { return tr.index(line) >= 0 }

// matching returns the printed lines that start with prefix, in order.
func (tr *transcript) matching(prefix string) []string {
	var out []string
	for _, l := range tr.lines {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

func itoa(i int) string { return fmt.Sprint(i) }

func fmtInts(v []int) string { return fmt.Sprint(v) }
