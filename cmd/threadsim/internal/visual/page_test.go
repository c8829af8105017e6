package visual

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// exampleNamed returns the example called name.
func exampleNamed(t *testing.T, name string) (*sched.Result, *page) {
	t.Helper()
	for _, ex := range examples {
		if ex.name == name {
			r := run(ex.prog, ex.decisions...)
			return r, newPage(r, ex.title)
		}
	}
	t.Fatalf("no example %q", name)
	return nil, nil
}

// cellOf returns thread name's cell at step i.
func cellOf(t *testing.T, r *sched.Result, p *page, name string, i int) cell {
	t.Helper()
	for _, th := range r.Threads {
		if th.Name == name {
			return p.Rows[i].Cells[laneIndex(th.ID)]
		}
	}
	t.Fatalf("no thread %q", name)
	return cell{}
}

func TestBlockedIntervalNamesLockAndHolder(t *testing.T) {
	r, p := exampleNamed(t, "pipeline-lock")
	// The consumer declares acquire(consumer_lock) when it starts (step 2);
	// main took that lock at step 0 and the producer releases it at step 6.
	first := cellOf(t, r, p, "consumer", 3)
	if first.State != spanBlocked || !first.Start {
		t.Fatalf("consumer at step 3: state %q start %v, want the start of a blocked span", first.State, first.Start)
	}
	if want := "acquire Lock 'consumer_lock', held by MainThread"; first.Label != want {
		t.Errorf("label %q, want %q", first.Label, want)
	}
	if !strings.Contains(first.Until, "producer's release Lock 'consumer_lock' at step 6") {
		t.Errorf("until %q does not name the release that ended the wait", first.Until)
	}
	for i := 4; i <= 6; i++ {
		if c := cellOf(t, r, p, "consumer", i); c.State != spanBlocked || c.Start {
			t.Errorf("consumer at step %d: state %q start %v, want the blocked span going on", i, c.State, c.Start)
		}
	}
	if c := cellOf(t, r, p, "consumer", 8); c.Step == nil || c.Step.Op != "acquire" {
		t.Errorf("consumer at step 8: %+v, want its acquire", c)
	}
}

func TestLockFoundFreeIsNotDrawnBlocked(t *testing.T) {
	r, p := exampleNamed(t, "deadlock")
	// Thread-1 declares acquire(b) after step 2, while b is free: at step 3
	// it is runnable (and preempted by Thread-2, which takes b). It is
	// blocked only at the end.
	c := cellOf(t, r, p, "Thread-1", 3)
	if c.State != spanReady || c.Mark != "preempted by Thread-2" {
		t.Errorf("Thread-1 at step 3: state %q mark %q, want runnable and preempted by Thread-2", c.State, c.Mark)
	}
	end := p.End[laneIndex(1)]
	if end.State != spanBlocked || !strings.Contains(end.Label, "held by Thread-2") {
		t.Errorf("Thread-1 at the end: %+v, want blocked, held by Thread-2", end)
	}
}

func TestSleepWaitEndsWhenTheClockFires(t *testing.T) {
	r, p := exampleNamed(t, "lost-update")
	c := cellOf(t, r, p, "Thread-2", 5)
	if c.State != spanBlocked || c.Label != "sleep" || !strings.Contains(c.Until, "clock fired at 00:00:00.100 (step 12)") {
		t.Errorf("Thread-2 at step 5: %+v, want blocked in sleep until the clock fired at step 12", c)
	}
	if p.Rows[6].Advance != "+100ms" || p.Rows[7].Advance != "" {
		t.Errorf("advances %q at 6 and %q at 7, want +100ms then none", p.Rows[6].Advance, p.Rows[7].Advance)
	}
	if v := p.Rows[6].Cells[0].Step; v == nil || v.Result != "wakes Thread-1" {
		t.Errorf("clock lane at step 6: %+v, want the fire that wakes Thread-1", v)
	}
}

func TestRaceSidesAndPreemptionAreMarked(t *testing.T) {
	r, p := exampleNamed(t, "lost-update")
	rc := r.Races[0]
	a, b := stepAt(p, r, rc.First.Step), stepAt(p, r, rc.Second.Step)
	if len(a.Races) != 1 || a.Races[0] != (raceMark{"R1", "first"}) || len(b.Races) != 1 || b.Races[0] != (raceMark{"R1", "second"}) {
		t.Errorf("race marks %v and %v, want R1 first and second", a.Races, b.Races)
	}
	if len(p.Races) != 1 || p.Races[0].Object != "Var 'value'" {
		t.Errorf("race panel %+v", p.Races)
	}
	if v := stepAt(p, r, 3); v.Preempts != "Thread-1" || !strings.Contains(v.Class(), "preempting") {
		t.Errorf("step 3: %+v, want Thread-2's print preempting Thread-1", v)
	}
}

func TestFailurePanelSaysWhoHoldsWhat(t *testing.T) {
	_, p := exampleNamed(t, "deadlock")
	f := p.Failure
	if f == nil || f.Kind != "deadlock" {
		t.Fatalf("failure panel %+v, want a deadlock", f)
	}
	want := "Thread-1 waits for Lock 'b' held by Thread-2; Thread-2 waits for Lock 'a' held by Thread-1"
	if f.Cycle != want {
		t.Errorf("cycle %q, want %q", f.Cycle, want)
	}
	if p.Verdict.Class != "failure" {
		t.Errorf("verdict %+v", p.Verdict)
	}
}

func TestFailingStepIsMarked(t *testing.T) {
	r, p := exampleNamed(t, "pipeline-lock")
	last := len(r.Trace) - 1 // main's exit is never run: main fails after its last join
	v := stepAt(p, r, last)
	if v.ThreadName != "MainThread" || v.Op != "join" || v.Failed != "assertion" {
		t.Errorf("last step %+v, want MainThread's join marked as failed", v)
	}
	if s := p.Failure.Threads[0]; s.State != "raised assertion" || s.Op != "after join" {
		t.Errorf("MainThread's state %+v, want raised assertion after join", s)
	}
}

// hostile prints markup and Mermaid syntax from a model.
func hostile(main *sched.Thread) {
	v := prims.NewVar(main, "<b>x</b>", "")
	v.Store(main, `"><script>alert(1)</script>`)
	main.Log("a;b #c <i>d</i>\nsecond line")
}

func TestWriteHTMLEscapesModelText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, run(hostile), "<title>"); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, bad := range []string{"<script>alert", "<b>x</b>", "<i>d</i>", "<title><title>"} {
		if strings.Contains(html, bad) {
			t.Errorf("the page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the stored value is not shown escaped")
	}
}

func TestWriteMermaidEscapesModelText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMermaid(&buf, run(hostile)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "a#59;b #35;c #lt;i#gt;d#lt;/i#gt; second line") {
		t.Errorf("log note not escaped to one line:\n%s", out)
	}
	checkMermaidLines(t, out)
}

// entity matches a Mermaid entity code such as #59;.
var entity = regexp.MustCompile(`#\w+;`)

// checkMermaidLines checks that every line of a diagram is one of the
// statements WriteMermaid emits, with its participants declared.
func checkMermaidLines(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "sequenceDiagram" {
		t.Fatalf("first line %q", lines[0])
	}
	declared := map[string]bool{}
	depth := 0
	for _, l := range lines[1:] {
		l = strings.TrimPrefix(l, "    ")
		switch {
		case strings.HasPrefix(l, "%% "):
		case strings.HasPrefix(l, "participant "):
			declared[strings.Fields(l)[1]] = true
		case strings.HasPrefix(l, "rect "):
			depth++
		case l == "end":
			depth--
		case strings.HasPrefix(l, "Note over ") || strings.HasPrefix(l, "Note right of "):
			who, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(l, "Note over "), "Note right of "), ":")
			for _, p := range strings.Split(who, ",") {
				if !declared[p] {
					t.Errorf("note over undeclared %q: %q", p, l)
				}
			}
		default:
			arrow, text, ok := strings.Cut(l, ": ")
			from, to, found := strings.Cut(strings.Replace(arrow, "-->>", "->>", 1), "->>")
			if !ok || !found || !declared[from] || !declared[to] || strings.ContainsAny(entity.ReplaceAllString(text, ""), ";<>#") {
				t.Errorf("not a valid message: %q", l)
			}
		}
		if depth < 0 || depth > 1 {
			t.Errorf("unbalanced rect at %q", l)
		}
	}
	if depth != 0 {
		t.Error("a rect is not closed")
	}
}

func TestMermaidGoldenLinesAreValid(t *testing.T) {
	for _, ex := range examples {
		_, _, mmd := render(t, ex)
		checkMermaidLines(t, string(mmd))
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	r := run(deadlock, 0, 0, 1)
	if err := WriteHTML(failingWriter{}, r, ""); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteHTML to a failing writer: %v", err)
	}
	if err := WriteMermaid(failingWriter{}, r); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteMermaid to a failing writer: %v", err)
	}
	if WriteHTML(&bytes.Buffer{}, nil, "") == nil || WriteMermaid(&bytes.Buffer{}, nil) == nil {
		t.Error("a nil result is not an error")
	}
	bad := r.Clone()
	bad.Trace[1].Thread = 9
	if err := WriteHTML(&bytes.Buffer{}, bad, ""); err == nil || !strings.Contains(err.Error(), "thread 9") {
		t.Errorf("a step of an unknown thread: %v", err)
	}
}
