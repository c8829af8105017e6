package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/threadsim/threadsim/cmd/threadsim/internal/visual"
	"github.com/threadsim/threadsim/sched"
)

// viewFlags are --html and --mermaid: files to draw one execution into.
type viewFlags struct {
	html    string
	mermaid string
	// allSteps draws the steps inside primitives in the Mermaid diagram
	// (the command's --all-steps); the page has a toggle for them.
	allSteps bool
}

func (v *viewFlags) define(fs *flag.FlagSet, what string) {
	fs.StringVar(&v.html, "html", "", "write "+what+" as a self-contained HTML page to `FILE`")
	fs.StringVar(&v.mermaid, "mermaid", "", "write "+what+" as a Mermaid sequence diagram to `FILE`")
}

// wanted reports whether any view was asked for.
func (v viewFlags) wanted() bool { return v.html != "" || v.mermaid != "" }

// check makes sure the files asked for can be written, before a long
// search whose result they would otherwise lose: a file that cannot be
// created is bad usage (exit status 2). A file it had to create is
// removed again; an existing one is left as it is until write.
func (v viewFlags) check() error {
	for _, path := range []string{v.html, v.mermaid} {
		if path == "" {
			continue
		}
		_, statErr := os.Stat(path)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			return usageErrorf("%v", err)
		}
		f.Close()
		if os.IsNotExist(statErr) {
			os.Remove(path)
		}
	}
	return nil
}

// write draws r, an execution recorded with details, into the files asked
// for. A file that cannot be written is bad usage (exit status 2).
func (v viewFlags) write(r *sched.Result, title string) error {
	if v.html != "" {
		if err := writeFile(v.html, func(w io.Writer) error { return visual.WriteHTML(w, r, title) }); err != nil {
			return usageErrorf("%v", err)
		}
	}
	if v.mermaid != "" {
		draw := visual.WriteMermaid
		if v.allSteps {
			draw = visual.WriteMermaidAllSteps
		}
		if err := writeFile(v.mermaid, func(w io.Writer) error { return draw(w, r) }); err != nil {
			return usageErrorf("%v", err)
		}
	}
	return nil
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
