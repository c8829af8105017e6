package visual

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// TestPageAndMermaidHideInnerSteps: as in the terminal, the steps inside a
// thread pool's locks and queue are hidden by default: the page marks
// their rows (hidden by its CSS until the toggle shows them) and the
// Mermaid diagram leaves them and their objects out (lost-update had 15
// participants); WriteMermaidAllSteps draws them.
func TestPageAndMermaidHideInnerSteps(t *testing.T) {
	r := failingRun(t, "lost-update")
	inner := InnerObjects(r)
	want := 0
	for i, e := range r.Trace {
		if IsInner(e, inner) && i != len(r.Trace)-1 {
			want++
		}
	}
	if want == 0 {
		t.Fatal("lost-update has no step inside a primitive")
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, r, "t"); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if got := len(regexp.MustCompile(`<tr class="row[^"]* inner`).FindAllString(html, -1)); got != want {
		t.Errorf("%d rows marked inner, want %d", got, want)
	}
	if !strings.Contains(html, `id="show-inner"`) || !strings.Contains(html, "body:not(.show-inner) tr.row.inner { display: none; }") {
		t.Error("the page has no toggle for the hidden steps")
	}
	var compact, all bytes.Buffer
	if err := WriteMermaid(&compact, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMermaidAllSteps(&all, r); err != nil {
		t.Fatal(err)
	}
	participants := func(s string) int { return strings.Count(s, "participant ") }
	if c, a := participants(compact.String()), participants(all.String()); c > len(r.Threads)+3 || c >= a {
		t.Errorf("Mermaid participants: %d compact, %d with every step; want at most threads + clock + 2 objects", c, a)
	}
	if strings.Contains(compact.String(), "pool.queue") || !strings.Contains(all.String(), "pool.queue") {
		t.Error("the compact diagram draws the pool's queue, or the full one does not")
	}
}

// TestPageMarksALivelockCycle: polite-backoff's livelock cycle (steps 3 to
// 12) is marked on the page.
func TestPageMarksALivelockCycle(t *testing.T) {
	prog, params, err := scenarios.BuildNamed("polite-backoff", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := explore.Model{Name: "polite-backoff", Params: params.String(), Program: prog}
	rep, err := explore.Explore(context.Background(), m, explore.Config{Strategy: explore.Stateful})
	if err != nil || len(rep.Failures) == 0 || rep.Failures[0].Kind != sched.Livelock {
		t.Fatalf("%v, %+v: want the livelock", err, rep)
	}
	r, err := explore.Replay(m, rep.Failures[0].Schedule, sched.Options{Detail: true})
	if err != nil {
		t.Fatal(err)
	}
	from, to := rep.Failures[0].Schedule.Cycle-1, len(r.Trace)-1
	var page bytes.Buffer
	if err := WriteHTML(&page, r, "t"); err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`<tr class="row[^"]*cycle-row[^"]*" data-row="(\d+)"`).FindAllStringSubmatch(page.String(), -1)
	if len(rows) == 0 || rows[0][1] != itoa(from) || len(rows) != to-from+1 {
		t.Errorf("cycle rows %v, want steps %d to %d", rows, from, to)
	}
}
