package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// transcript is what the article's programs printed so far in one
// execution, the lines their properties read. Each scenario makes a new
// one in its program function, so executions never share one. Printing is
// a step on the shared output; the transcript is updated right after that
// step, while only the printing thread runs, so it always matches the log.
//
// A program declares what it reads of its log (sched's "The log"): a
// program that reads nothing forgets its log (forgetLog), and its prints
// commute with every other thread's steps; one whose property reads some
// lines watches them (watchLog): the transcript keeps those lines only, so
// the property cannot read another, and only their order among themselves
// is explored. A program that makes a transcript with neither reads every
// line.
//
// For stateful exploration the transcript is a function of the lines
// read, which are part of the state. A program whose property reads its
// transcript reads it only where the reading cannot make two equal states
// differ: right after the reader's own print of a line read (the log then
// fixes what it saw), after a join of the thread that printed the lines it
// reads, or in an assertion or outcome that changes no later step. A
// program that forgets its log must never read the transcript.
type transcript struct {
	lines []string
	// forgotten: the program forgot its log, so it never reads the
	// transcript, which keeps no lines.
	forgotten bool
	// read keeps the lines the program reads (nil: every line).
	read func(line string) bool
}

// forgetLog calls main.ForgetLog and returns the program's transcript,
// which then keeps no lines.
func forgetLog(main *sched.Thread) *transcript {
	main.ForgetLog()
	return &transcript{forgotten: true}
}

// watchLog calls main.WatchLog(read) and returns the program's
// transcript, which keeps the lines read reports true for.
func watchLog(main *sched.Thread, read func(line string) bool) *transcript {
	main.WatchLog(read)
	return &transcript{read: read}
}

// log prints a line through t, as logging.info does, and remembers it if
// the program reads it. A forgotten transcript leaves the formatting to
// Thread.Log, which skips it when nothing reads the line.
func (tr *transcript) log(t *sched.Thread, format string, args ...any) {
	if tr.forgotten {
		t.Log(format, args...)
		return
	}
	text := fmt.Sprintf(format, args...)
	t.Print(text)
	if tr.read == nil || tr.read(text) {
		tr.lines = append(tr.lines, text)
	}
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
