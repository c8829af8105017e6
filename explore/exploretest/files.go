package exploretest

import (
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// fileHeader is the first line of a .sched file. Then comes "token: TOKEN"
// and any number of "#" comment lines holding a readable trace.
const fileHeader = "threadsim schedule v1"

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// testDir is the directory of the test's saved schedules.
func (c *checker) testDir() string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, c.tb.Name())
	return filepath.Join(c.dir, name)
}

// save writes f's schedule, with its trace as comments, to
// <dir>/<TestName>/<crc32 of the token>.sched through a temporary file
// and a rename; it returns the path, or "" with -threadsim.nofailfile.
func (c *checker) save(f explore.FailureReport) string {
	if c.set.noFailFile {
		return ""
	}
	dir := c.testDir()
	path := filepath.Join(dir, fmt.Sprintf("%08x.sched", crc32.ChecksumIEEE([]byte(f.Token))))
	var b strings.Builder
	fmt.Fprintf(&b, "%s\ntoken: %s\n# %s: %s\n", fileHeader, f.Token, f.Kind, f.Message)
	if r, err := explore.Replay(c.m, f.Schedule, sched.Options{Detail: true, MaxSteps: c.cfg.MaxSteps, NoRaces: c.cfg.NoRaces}); err == nil {
		for _, line := range strings.Split(strings.TrimRight(explore.FormatTrace(r), "\n"), "\n") {
			b.WriteString("# " + line + "\n")
		}
	}
	if err := writeAtomic(dir, path, b.String()); err != nil {
		c.tb.Logf("threadsim: could not save the failing schedule: %v", err)
		return ""
	}
	return path
}

// saveAsFound makes the exploration save each failure as soon as it is
// found, before minimisation, so that a model that gets stuck later (sched
// then ends the process) loses nothing; the files go in c.found.
func (c *checker) saveAsFound() {
	next := c.cfg.OnFailure
	c.cfg.OnFailure = func(f explore.FailureReport) {
		if p := c.save(f); p != "" {
			c.found = append(c.found, p)
		}
		if next != nil {
			next(f)
		}
	}
}

// removeFound deletes the schedules saved as found, but keep: the
// minimised schedule replaces them.
func (c *checker) removeFound(keep string) {
	for _, p := range c.found {
		if p != keep {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				c.tb.Logf("threadsim: could not remove %s: %v", p, err)
			}
		}
	}
}

func writeAtomic(dir, path, content string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*.sched")
	if err != nil {
		return err
	}
	_, werr := tmp.WriteString(content)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}

// readScheduleFile returns the token of a .sched file.
func readScheduleFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 2 || strings.TrimSpace(lines[0]) != fileHeader {
		return "", fmt.Errorf("%s: first line is not %q", path, fileHeader)
	}
	for _, l := range lines[1:] {
		if tok, ok := strings.CutPrefix(strings.TrimSpace(l), "token:"); ok {
			return strings.TrimSpace(tok), nil
		}
	}
	return "", fmt.Errorf("%s: no \"token:\" line", path)
}

// replaySaved replays the test's saved schedules, in name order, and
// reports whether one failed (the test has then failed).
func (c *checker) replaySaved() bool {
	c.tb.Helper()
	paths, _ := filepath.Glob(filepath.Join(c.testDir(), "*.sched"))
	slices.Sort(paths)
	for _, p := range paths {
		if c.replayFile(p) {
			return true
		}
	}
	return false
}

// replayFile replays one saved schedule; a stale one (another model, or a
// schedule that no longer fits) is logged and skipped, like rapid's fail
// files that are no longer valid.
func (c *checker) replayFile(path string) bool {
	c.tb.Helper()
	tok, err := readScheduleFile(path)
	if err != nil {
		c.tb.Logf("threadsim: skipping %v", err)
		return false
	}
	s, err := explore.ParseToken(tok)
	if err == nil {
		err = explore.CheckSchedule(c.m, s)
	}
	if err != nil {
		c.tb.Logf("threadsim: skipping %s: %v", path, err)
		return false
	}
	r, err := explore.Replay(c.m, s, sched.Options{MaxSteps: c.cfg.MaxSteps, NoRaces: c.cfg.NoRaces})
	if err != nil {
		c.tb.Logf("threadsim: saved schedule %s is no longer valid: %v", path, err)
		return false
	}
	if !c.failed(r) {
		return false
	}
	c.fail(s, "saved schedule "+path+" still fails", path)
	return true
}

// replayOne replays -threadsim.replay: a token or a .sched file.
func (c *checker) replayOne(arg string) {
	c.tb.Helper()
	tok := arg
	if strings.HasSuffix(arg, ".sched") {
		var err error
		if tok, err = readScheduleFile(arg); err != nil {
			c.tb.Fatalf("threadsim: %v", err)
			return
		}
	}
	s, err := explore.ParseToken(tok)
	if err == nil {
		err = explore.CheckSchedule(c.m, s)
	}
	if err != nil {
		c.tb.Fatalf("threadsim: -threadsim.replay: %v", err)
		return
	}
	r, err := explore.Replay(c.m, s, sched.Options{MaxSteps: c.cfg.MaxSteps, NoRaces: c.cfg.NoRaces})
	if err != nil {
		c.tb.Fatalf("threadsim: %v", err)
		return
	}
	if c.failed(r) {
		c.fail(s, "replayed schedule fails", "")
		return
	}
	c.tb.Logf("threadsim: replayed schedule passes")
}
