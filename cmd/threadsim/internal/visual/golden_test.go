package visual

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/threadsim/threadsim/sched"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// example is a model run under a fixed schedule that shows its bug.
type example struct {
	name, title string
	prog        sched.Program
	decisions   []int
	// shows checks that the schedule does show the bug.
	shows func(r *sched.Result) bool
}

// examples are the executions drawn by the golden tests.
var examples = []example{
	{
		name:  "lost-update",
		title: "lost update: both threads read 0 before either writes",
		prog:  lostUpdate, decisions: []int{0, 0, 1},
		shows: func(r *sched.Result) bool { return r.Outcome == "value=1" && len(r.Races) == 1 && r.Preemptions == 1 },
	},
	{
		name:  "pipeline-lock",
		title: "Pipeline with two Locks: get_message returns self.message after releasing producer_lock",
		prog:  producerConsumer, decisions: []int{0, 0, 1},
		shows: func(r *sched.Result) bool {
			return r.Outcome == "stored=[45 45]" && r.Failure != nil && r.Failure.Kind == sched.Assertion && len(r.Races) == 1
		},
	},
	{
		name:  "deadlock",
		title: "two locks taken in opposite orders",
		prog:  deadlock, decisions: []int{0, 0, 1},
		shows: func(r *sched.Result) bool { return r.Failure != nil && r.Failure.Kind == sched.Deadlock },
	},
}

// render returns the HTML and the Mermaid of ex.
func render(t *testing.T, ex example) (r *sched.Result, html, mmd []byte) {
	t.Helper()
	r = run(ex.prog, ex.decisions...)
	if !ex.shows(r) {
		t.Fatalf("schedule %v of %s does not show the bug: outcome %q, races %v, failure %v",
			ex.decisions, ex.name, r.Outcome, r.Races, r.Failure)
	}
	var h, m bytes.Buffer
	if err := WriteHTML(&h, r, ex.title); err != nil {
		t.Fatal(err)
	}
	if err := WriteMermaid(&m, r); err != nil {
		t.Fatal(err)
	}
	return r, h.Bytes(), m.Bytes()
}

func TestGolden(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			_, html, mmd := render(t, ex)
			golden(t, ex.name+".html", html)
			golden(t, ex.name+".mmd", mmd)
		})
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got), run go test -update if the change is intended:\n%s", path, diff)
	}
}
