package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestViewsOfAFailure draws explore's first failure and a replayed token
// into HTML and Mermaid files, as a user pasting into a pull request would.
func TestViewsOfAFailure(t *testing.T) {
	dir := t.TempDir()
	html, mmd := filepath.Join(dir, "f.html"), filepath.Join(dir, "f.mmd")
	r := threadsim(t, "explore", "lost-update", "--html", html, "--mermaid", mmd)
	if r.code != exitFailure {
		t.Fatalf("explore exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkFile(t, html, `class="lane`, "data-step=", "lost-update")
	checkFile(t, mmd, "sequenceDiagram", "participant T0 as MainThread")

	tok := regexp.MustCompile(`threadsim replay (\S+)`).FindStringSubmatch(r.stdout)
	if tok == nil {
		t.Fatalf("no replay token in:\n%s", r.stdout)
	}
	replayed := filepath.Join(dir, "replay.html")
	if rr := threadsim(t, "replay", tok[1], "--html", replayed); rr.code != exitFailure {
		t.Fatalf("replay exit %d: %s", rr.code, rr.stderr)
	}
	checkFile(t, replayed, `class="lane`, "replayed schedule")
}

func TestViewFileThatCannotBeWritten(t *testing.T) {
	r := threadsim(t, "run", "join", "--seed", "1", "--html", filepath.Join(t.TempDir(), "no", "such", "dir.html"))
	if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "no such file or directory") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func checkFile(t *testing.T, path string, wants ...string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range wants {
		if !strings.Contains(string(b), w) {
			t.Errorf("%s lacks %q", path, w)
		}
	}
}
