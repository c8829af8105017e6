package exploretest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// TestReplayLineWorksWherePasted: the command names the package, relative
// to the module's root, and matches the test and its subtest exactly.
func TestReplayLineWorksWherePasted(t *testing.T) {
	rec := &recorder{name: "TestLost/sub case"}
	check(rec, counter(false), WithDir(t.TempDir()), WithConfig(explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true}))
	want := "To replay: go test ./explore/exploretest -run '^TestLost$/^sub case$' -threadsim.replay=ts1.counter."
	if !strings.Contains(rec.fatal, want) {
		t.Fatalf("failure message lacks %q:\n%s", want, rec)
	}
	if got := runPattern("TestA/b.c(1)"); got != `^TestA$/^b\.c\(1\)$` {
		t.Errorf("runPattern = %q", got)
	}
}

// savedFailure runs the failing counter once in dir and returns its saved
// schedule file and content.
func savedFailure(t *testing.T, dir string) (string, string) {
	t.Helper()
	rec := &recorder{name: "TestSaved"}
	check(rec, counter(false), WithDir(dir), WithConfig(explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true}))
	files, _ := filepath.Glob(filepath.Join(dir, "TestSaved", "*.sched"))
	if len(files) != 1 {
		t.Fatalf("saved schedules %v after:\n%s", files, rec)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return files[0], string(data)
}

// TestSavedSchedulesAreNeverSkippedSilently: a saved schedule that cannot
// be read or no longer replays fails the test with a message (t.Fatalf
// prints without -v), unless it is marked stale; a byte order mark is
// such a corruption (one line says so), CRLF line ends (git's autocrlf)
// are read through, and the schedule still fails.
func TestSavedSchedulesAreNeverSkippedSilently(t *testing.T) {
	changed := explore.Model{Name: "counter", Params: "locked=false", Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		main.Join(main.Go("", func(t *sched.Thread) { x.Store(t, 1) }))
	}}
	cases := []struct {
		name  string
		edit  func(path, content string) error
		model explore.Model
		want  string // in the fatal message; "" for a passing test
	}{
		{"CRLF line ends", func(p, c string) error {
			return os.WriteFile(p, []byte(strings.ReplaceAll(c, "\n", "\r\n")), 0o644)
		}, counter(false), "still fails"},
		{"a byte order mark", func(p, c string) error {
			return os.WriteFile(p, []byte("\ufeff"+c), 0o644)
		}, counter(false), "starts with a UTF-8 byte order mark, which threadsim never writes"},
		{"a truncated token", func(p, c string) error {
			i := strings.Index(c, "\n#")
			return os.WriteFile(p, []byte(c[:i-12]+c[i:]), 0o644)
		}, counter(false), "no longer replays: bad token"},
		{"an empty file", func(p, c string) error { return os.WriteFile(p, nil, 0o644) }, counter(false), "no longer replays"},
		{"a directory", func(p, c string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Mkdir(p, 0o755)
		}, counter(false), "no longer replays"},
		{"a changed model", func(p, c string) error { return nil }, changed, "no longer replays: replay diverged"},
		{"a changed model, marked stale", func(p, c string) error {
			return os.WriteFile(p, []byte(c+"stale: the model was rewritten\n"), 0o644)
		}, changed, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path, content := savedFailure(t, dir)
			if err := tc.edit(path, content); err != nil {
				t.Fatal(err)
			}
			rec := &recorder{name: "TestSaved"}
			check(rec, tc.model, WithDir(dir), WithConfig(explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true}))
			switch {
			case tc.want == "" && rec.fatal != "":
				t.Errorf("the test failed:\n%s", rec)
			case tc.want != "" && !strings.Contains(rec.fatal, tc.want):
				t.Errorf("fatal message lacks %q:\n%s", tc.want, rec)
			case tc.want != "" && !strings.Contains(rec.fatal, path):
				t.Errorf("fatal message does not name %s:\n%s", path, rec)
			}
		})
	}
}
