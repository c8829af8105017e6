package visual

import (
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// page is what the HTML template renders: one execution as rows (steps,
// downward in virtual time) and lanes (the clock, then the threads).
type page struct {
	Title string
	// Hidden counts the steps inside primitives (Row.Inner), which the
	// page hides until its toggle shows them.
	Hidden  int
	Verdict verdict
	Facts   []fact
	Lanes   []lane
	Rows    []row
	End     []cell // each lane's state when the execution ended
	EndTime string
	Races   []raceView
	Failure *failureView
}

// verdict is the one-line headline: what went wrong, if anything.
type verdict struct {
	Class, Text string
}

// fact is one labelled value of the summary line.
type fact struct{ Name, Value string }

// lane is one swimlane: the clock or a thread.
type lane struct {
	Key   string // "clock" or the thread id: the data-thread attribute
	Name  string
	Note  string // "daemon", "started by MainThread at step 0"
	Class string // "clock" or "thread"
}

// row is one step.
type row struct {
	Step    int
	Time    string
	Advance string // "+100ms" when the clock moved at this step
	Cells   []cell // one per lane
	Logs    []logView
	// Inner marks a step inside a primitive (a thread pool's locks and
	// queue, an Event's condition), hidden by default as in the terminal.
	Inner bool
	// Cycle marks a step of a livelock's cycle.
	Cycle bool
}

// cell is one lane at one row.
type cell struct {
	Lane  string
	State string // "", "unborn", "done", "ready", "blocked", "running"
	// Label is shown where a span starts; Title on hover.
	Label, Until, Title string
	Start               bool   // a span starts here
	Float               bool   // the label floats over the span's later rows
	Mark                string // "preempted by Thread-2"
	Step                *stepView
}

// logView is a line printed at a row.
type logView struct {
	Time, Thread, Text string
}

// stepView is one step's card.
type stepView struct {
	Step                 int
	Thread, ThreadName   string
	Op, Target, Label    string
	ShowResult           bool // print cards leave their text to the output column
	Access, Result, Time string
	Decision             string
	Preempts             string // the thread this step preempted
	Races                []raceMark
	Failed               string // failure kind raised after this step
}

// raceMark tags a step as one side of a data race.
type raceMark struct {
	ID, Role string // "R1", "first" or "second"
}

func itoa(i int) string { return strconv.Itoa(i) }

// laneKey is the data-thread value of thread id.
func laneKey(id sched.ThreadID) string {
	if id == sched.ClockID {
		return "clock"
	}
	return itoa(int(id))
}

// newPage lays r out.
func newPage(r *sched.Result, title string) *page {
	n := newNames(r)
	p := &page{Title: title, Lanes: lanes(r, n), EndTime: sched.FormatTime(r.Time)}
	p.Rows = rows(r, n)
	p.Hidden = markInner(p, r)
	markCycle(p, r)
	life := lifetimes(r)
	paintLifetimes(p, r, life)
	paintSpans(p, r, n, life)
	markPreemptions(p, r, n)
	p.Races = markRaces(p, r, n)
	p.Failure = markFailure(p, r, n)
	p.Verdict, p.Facts = summarize(r, n)
	return p
}

// lanes returns the clock lane, then one lane per thread.
func lanes(r *sched.Result, n names) []lane {
	out := []lane{{Key: "clock", Name: "clock", Note: "fires deadlines", Class: "clock"}}
	started := map[sched.ThreadID]sched.Event{}
	for _, e := range r.Trace {
		if e.Child != sched.NoThread {
			started[e.Child] = e
		}
	}
	for _, t := range r.Threads {
		l := lane{Key: laneKey(t.ID), Name: t.Name, Class: "thread"}
		var notes []string
		if t.Daemon {
			notes = append(notes, "daemon")
		}
		if e, ok := started[t.ID]; ok {
			notes = append(notes, "started by "+n.thread(e.Thread)+" at step "+itoa(e.Step))
		}
		l.Note = strings.Join(notes, ", ")
		out = append(out, l)
	}
	return out
}

// laneIndex returns the column of thread id.
func laneIndex(id sched.ThreadID) int {
	if id == sched.ClockID {
		return 0
	}
	return int(id) + 1
}

// rows returns a row per step with its card in the lane that ran it.
func rows(r *sched.Result, n names) []row {
	out := make([]row, len(r.Trace))
	for i, e := range r.Trace {
		rw := row{Step: e.Step, Time: sched.FormatTime(e.Time)}
		if d := advance(r.Trace, i); d > 0 {
			rw.Advance = "+" + d.String()
		}
		rw.Cells = make([]cell, len(r.Threads)+1)
		for j := range rw.Cells {
			rw.Cells[j].Lane = laneKey(laneThread(j))
		}
		c := &rw.Cells[laneIndex(e.Thread)]
		c.State, c.Step = "running", newStepView(e, n)
		out[i] = rw
	}
	for _, l := range r.Logs {
		if l.Step >= 0 && l.Step < len(out) {
			out[l.Step].Logs = append(out[l.Step].Logs, logView{Time: sched.FormatTime(l.Time), Thread: n.thread(l.Thread), Text: l.Text})
		}
	}
	return out
}

// laneThread is the thread of column j.
func laneThread(j int) sched.ThreadID {
	if j == 0 {
		return sched.ClockID
	}
	return sched.ThreadID(j - 1)
}

// newStepView describes step e for its card.
func newStepView(e sched.Event, n names) *stepView {
	v := &stepView{
		Step: e.Step, Thread: laneKey(e.Thread), ThreadName: n.thread(e.Thread),
		Op: e.Op, Target: n.target(e), Label: n.label(e), Access: e.Access.String(),
		Result: n.result(e), Time: sched.FormatTime(e.Time), Decision: "forced",
	}
	v.ShowResult = v.Result != "" && !n.isStdout(e.Obj)
	if e.Decision >= 0 {
		v.Decision = itoa(e.Decision)
	}
	return v
}
