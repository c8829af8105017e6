package visual

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

var (
	//go:embed assets/page.html
	pageHTML string
	//go:embed assets/page.css
	pageCSS string
	//go:embed assets/page.js
	pageJS string
)

// pageTemplate renders a page; html/template escapes every value from the
// trace.
var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// htmlData is what the template receives: the page and its inline assets.
type htmlData struct {
	*page
	CSS template.CSS
	JS  template.JS
}

// WriteHTML writes r as one self-contained HTML page titled title: a
// swimlane per thread and the clock, steps downward in virtual time, with
// blocked intervals, preemptions, logs, races and the failure. It needs no
// network. The page's elements carry stable hooks: lanes are th.lane and
// steps div.step, both with data-thread; steps have data-step and the id
// step-N; the body gets data-ready="true" once its script has run. A link
// to the page ending in #step=N opens it with step N selected and in view.
func WriteHTML(w io.Writer, r *sched.Result, title string) error {
	if err := check(r); err != nil {
		return err
	}
	if title == "" {
		title = "threadsim trace"
	}
	var buf bytes.Buffer
	data := htmlData{page: newPage(r, title), CSS: template.CSS(pageCSS), JS: template.JS(pageJS)}
	if err := pageTemplate.Execute(&buf, data); err != nil {
		return fmt.Errorf("visual: rendering HTML: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("visual: writing HTML: %w", err)
	}
	return nil
}

// Class returns the card's CSS classes.
func (v *stepView) Class() string {
	c := []string{"step"}
	if v.Thread == "clock" {
		c = append(c, "clock-step")
	}
	if v.Preempts != "" {
		c = append(c, "preempting")
	}
	if len(v.Races) > 0 {
		c = append(c, "race")
	}
	if v.Failed != "" {
		c = append(c, "failed")
	}
	return strings.Join(c, " ")
}

// RaceText returns the races the step is a side of: "R1 (first access)".
func (v *stepView) RaceText() string {
	var s []string
	for _, m := range v.Races {
		s = append(s, m.ID+" ("+m.Role+" access)")
	}
	return strings.Join(s, ", ")
}
