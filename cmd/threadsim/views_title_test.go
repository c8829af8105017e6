package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPageTitleSaysWhatProducedIt: explore's page is a failure it found,
// replay's a replayed token, run's a seeded random schedule; the title
// says which (explore's said "replayed schedule").
func TestPageTitleSaysWhatProducedIt(t *testing.T) {
	dir := t.TempDir()
	title := func(args ...string) string {
		t.Helper()
		path := filepath.Join(dir, "page.html")
		r := threadsim(t, append(args, "--html", path)...)
		if r.code != exitOK && r.code != exitFailure {
			t.Fatalf("threadsim %v: exit %d, %s", args, r.code, r.stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`<title>([^<]*)</title>`).FindSubmatch(data)
		if m == nil {
			t.Fatalf("no title in the page of %v", args)
		}
		return string(m[1])
	}
	explored := title("explore", "lost-update")
	if !strings.Contains(explored, "assertion found by explore (dfs), its minimal schedule") {
		t.Errorf("explore's page title: %q", explored)
	}
	tok := regexp.MustCompile(`ts1\.\S+`).FindString(threadsim(t, "explore", "lost-update").stdout)
	if got := title("replay", tok); !strings.Contains(got, "replayed schedule") {
		t.Errorf("replay's page title: %q", got)
	}
	if got := title("run", "lost-update", "--seed", "3"); !strings.Contains(got, "random schedule, seed 3") {
		t.Errorf("run's page title: %q", got)
	}
}
