package visual

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// WriteMermaid writes r as a Mermaid sequenceDiagram, for pasting into a
// pull request: a participant per thread, the clock and every object
// touched; a message per step (thread → object, with the operation and its
// result); notes for log lines, preemptions, data races and the failure.
//
// The steps inside primitives (a thread pool's locks and queue, an Event's
// condition: IsInner) are left out, with their objects, as the terminal's
// compact trace leaves them out; WriteMermaidAllSteps draws them too.
func WriteMermaid(w io.Writer, r *sched.Result) error { return writeMermaid(w, r, false) }

// WriteMermaidAllSteps is WriteMermaid with the steps inside primitives.
func WriteMermaidAllSteps(w io.Writer, r *sched.Result) error { return writeMermaid(w, r, true) }

func writeMermaid(w io.Writer, r *sched.Result, all bool) error {
	if err := check(r); err != nil {
		return err
	}
	m := &mermaid{names: newNames(r), races: raceSteps(r), cur: sched.NoThread, hidden: map[int]bool{}}
	if !all {
		inner := InnerObjects(r)
		for i, e := range r.Trace {
			if IsInner(e, inner) && i != len(r.Trace)-1 {
				m.hidden[i] = true
			}
		}
	}
	m.header()
	m.participants()
	for i := range r.Trace {
		if m.hidden[i] {
			if e := r.Trace[i]; e.Thread != sched.ClockID {
				m.cur = e.Thread
			}
			continue
		}
		m.step(i)
	}
	m.failure()
	if _, err := w.Write(m.buf.Bytes()); err != nil {
		return fmt.Errorf("visual: writing Mermaid: %w", err)
	}
	return nil
}

// mermaid builds one diagram.
type mermaid struct {
	names
	buf    bytes.Buffer
	races  map[int][]raceRef // step → the races it is a side of
	cur    sched.ThreadID    // the thread that ran last, for preemptions
	hidden map[int]bool      // the steps left out
}

// raceRef is one side of race number N (1-based) of a result.
type raceRef struct {
	N      int
	Second bool
}

// raceSteps indexes the races of r by step.
func raceSteps(r *sched.Result) map[int][]raceRef {
	out := map[int][]raceRef{}
	for k, rc := range r.Races {
		out[rc.First.Step] = append(out[rc.First.Step], raceRef{N: k + 1})
		out[rc.Second.Step] = append(out[rc.Second.Step], raceRef{N: k + 1, Second: true})
	}
	return out
}

// mermaidText makes s safe inside a Mermaid message or note: one line,
// with the characters Mermaid parses written as its entity codes.
var mermaidText = strings.NewReplacer(
	"#", "#35;", ";", "#59;", "<", "#lt;", ">", "#gt;", "\n", " ", "\r", " ",
)

// commentText makes s one line for a %% comment, which Mermaid does not
// parse.
var commentText = strings.NewReplacer("\n", " ", "\r", " ")

func (m *mermaid) line(format string, args ...any) {
	fmt.Fprintf(&m.buf, format+"\n", args...)
}

// header opens the diagram with comments that summarise the execution.
func (m *mermaid) header() {
	v, _ := summarize(m.r, m.names)
	m.line("sequenceDiagram")
	m.line("    %%%% threadsim: %s", commentText.Replace(v.Text))
	m.line("    %%%% schedule %v, %d preemptions, %d steps, virtual time %s",
		m.r.Decisions, m.r.Preemptions, len(m.r.Trace), sched.FormatTime(m.r.Time))
	if n := len(m.hidden); n > 0 {
		m.line("    %%%% %d steps inside primitives not drawn (threadsim's --all-steps draws them)", n)
	}
}

// participants declares the threads, the clock if it fired, then the
// objects the trace touches, in creation order.
func (m *mermaid) participants() {
	for _, t := range m.r.Threads {
		m.line("    participant %s as %s", m.id(t.ID), mermaidText.Replace(t.Name))
	}
	used, clock := map[sched.ObjID]bool{}, false
	for i, e := range m.r.Trace {
		if !m.hidden[i] {
			used[e.Obj] = true
			clock = clock || e.Thread == sched.ClockID
		}
	}
	if clock {
		m.line("    participant C as clock")
	}
	for _, o := range m.r.Objects {
		_, isThread := m.threadOf[o.ID]
		if used[o.ID] && !isThread && !m.isStdout(o.ID) {
			m.line("    participant O%d as %s", o.ID, mermaidText.Replace(o.String()))
		}
	}
}

// id returns the participant id of thread t.
func (m *mermaid) id(t sched.ThreadID) string {
	if t == sched.ClockID {
		return "C"
	}
	return fmt.Sprintf("T%d", t)
}

// to returns the participant step e is drawn to.
func (m *mermaid) to(e sched.Event) string {
	switch {
	case e.Child != sched.NoThread:
		return m.id(e.Child)
	case e.Woken != sched.NoThread:
		return m.id(e.Woken)
	case e.Obj == sched.NoObject:
		return m.id(e.Thread)
	}
	if t, ok := m.threadOf[e.Obj]; ok {
		return m.id(t)
	}
	return fmt.Sprintf("O%d", e.Obj)
}

// step draws step i, with its preemption and race notes.
func (m *mermaid) step(i int) {
	e := m.r.Trace[i]
	from := m.id(e.Thread)
	if e.Preemption && m.cur != sched.NoThread && i > 0 {
		m.line("    Note over %s,%s: ⚡ preemption: %s runs while %s could still run", m.id(m.cur), from,
			mermaidText.Replace(m.thread(e.Thread)), mermaidText.Replace(m.thread(m.cur)))
	}
	if e.Thread != sched.ClockID {
		m.cur = e.Thread
	}
	races := m.races[i]
	if len(races) > 0 {
		m.line("    rect rgb(255, 221, 228)")
	}
	m.message(e, from)
	for _, rc := range races {
		m.raceNote(rc)
	}
	if len(races) > 0 {
		m.line("    end")
	}
}

// message draws step e as an arrow from its thread, or as a note for a
// print and an exit.
func (m *mermaid) message(e sched.Event, from string) {
	text := fmt.Sprintf("[%d] %s", e.Step, e.Op)
	switch {
	case m.isStdout(e.Obj):
		m.line("    Note over %s: [%d] %s %s", from, e.Step, sched.FormatTime(e.Time), mermaidText.Replace(e.Detail))
		return
	case e.Op == "exit":
		m.line("    Note over %s: [%d] exit", from, e.Step)
		return
	case e.Thread == sched.ClockID:
		text += " at " + sched.FormatTime(e.Time)
		if d := advance(m.r.Trace, e.Step); d > 0 {
			text += " (+" + d.String() + ")"
		}
		m.line("    %s-->>%s: %s", from, m.to(e), mermaidText.Replace(text))
		return
	}
	if r := m.result(e); r != "" {
		text += " → " + r
	}
	m.line("    %s->>%s: %s", from, m.to(e), mermaidText.Replace(text))
}

// raceNote marks a step as a side of a race; the second side also says
// what the race is.
func (m *mermaid) raceNote(ref raceRef) {
	rc := m.r.Races[ref.N-1]
	a, b := m.id(rc.First.Thread), m.id(rc.Second.Thread)
	if !ref.Second {
		m.line("    Note right of %s: R%d first access: %s", a, ref.N, rc.First.Access)
		return
	}
	m.line("    Note over %s,%s: ⚠ R%d %s", a, b, ref.N, mermaidText.Replace(raceText(m.r, m.names, rc)))
}

// failure closes the diagram with the failure and, for every thread that
// did not finish, what it was doing.
func (m *mermaid) failure() {
	f := m.r.Failure
	if f == nil || len(m.r.Threads) == 0 {
		return
	}
	span := m.id(0)
	if n := len(m.r.Threads); n > 1 {
		span += "," + m.id(sched.ThreadID(n-1))
	}
	m.line("    Note over %s: ✖ %s", span, mermaidText.Replace(f.Error()))
	for _, ts := range f.Threads {
		if ts.State != "finished" {
			m.line("    Note over %s: %s", m.id(ts.Thread), mermaidText.Replace(ts.String()))
		}
	}
}
