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

// save writes f's schedule to <dir>/<TestName>/<crc32 of the token>.sched
// through a temporary file and a rename, and then, with trace, writes it
// again with the replayed trace as comments: the schedule is on disk
// before the replay, which takes as long as the execution did. It returns
// the path, or "" with -threadsim.nofailfile.
func (c *checker) save(f explore.FailureReport, trace bool) string {
	if c.set.noFailFile {
		return ""
	}
	dir := c.testDir()
	path := filepath.Join(dir, fmt.Sprintf("%08x.sched", crc32.ChecksumIEEE([]byte(f.Token))))
	var b strings.Builder
	fmt.Fprintf(&b, "%s\ntoken: %s\n# %s: %s\n", fileHeader, f.Token, f.Kind, oneLine(f.Message))
	if err := writeAtomic(dir, path, b.String()); err != nil {
		c.tb.Logf("threadsim: could not save the failing schedule: %v", err)
		return ""
	}
	if !trace {
		return path
	}
	if r, err := explore.Replay(c.m, f.Schedule, sched.Options{Detail: true, MaxSteps: c.cfg.MaxSteps, NoRaces: c.cfg.NoRaces}); err == nil {
		for _, line := range strings.Split(strings.TrimRight(explore.FormatTrace(r), "\n"), "\n") {
			b.WriteString("# " + line + "\n")
		}
		if err := writeAtomic(dir, path, b.String()); err != nil {
			c.tb.Logf("threadsim: could not add the trace to the failing schedule: %v", err)
		}
	}
	return path
}

// oneLine keeps a comment line one line.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// saveAsFound makes the exploration save each failure as soon as it is
// found, before minimisation and without replaying it, so that a model
// that gets stuck later (sched then ends the process) or ends the process
// itself loses nothing; the files go in c.found.
func (c *checker) saveAsFound() {
	next := c.cfg.OnFailure
	c.cfg.OnFailure = func(f explore.FailureReport) {
		if p := c.save(f, false); p != "" {
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

// staleMark starts the line that marks a saved schedule as stale: kept
// as a record, no longer replayed.
const staleMark = "stale:"

// savedFile is what a .sched file holds.
type savedFile struct {
	token string
	stale bool   // a "stale:" line marks it
	why   string // what follows "stale:"
}

// readScheduleFile returns the token of a .sched file and whether it is
// marked stale. Anything that is not the format threadsim writes is an
// error with a one-line reason, a UTF-8 byte order mark included: an
// editor put it there, and the file is no longer what was saved. CRLF line
// ends are read as LF: git checks text files out with them on Windows
// (core.autocrlf), and the lines are otherwise intact.
func readScheduleFile(path string) (savedFile, error) {
	var f savedFile
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	if strings.HasPrefix(string(data), "\ufeff") {
		return f, fmt.Errorf("%s: starts with a UTF-8 byte order mark, which threadsim never writes (an editor added it): remove the mark, or delete the file", path)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if strings.TrimSpace(lines[0]) != fileHeader {
		return f, fmt.Errorf("%s: first line is not %q", path, fileHeader)
	}
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if tok, ok := strings.CutPrefix(l, "token:"); ok && f.token == "" {
			f.token = strings.TrimSpace(tok)
		}
		if why, ok := strings.CutPrefix(l, staleMark); ok {
			f.stale, f.why = true, strings.TrimSpace(why)
		}
	}
	if f.token == "" {
		return f, fmt.Errorf("%s: no \"token:\" line", path)
	}
	return f, nil
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

// replayFile replays one saved schedule and reports whether the test
// failed. A schedule that cannot be read or no longer replays (the model
// changed, or is not deterministic) fails the test: skipping it would
// lose the regression it records. Marked stale, it is skipped with a log
// line.
func (c *checker) replayFile(path string) bool {
	c.tb.Helper()
	f, err := readScheduleFile(path)
	if err == nil && f.stale {
		c.tb.Logf("threadsim: skipping %s, marked stale: %s", path, f.why)
		return false
	}
	var s explore.Schedule
	if err == nil {
		s, err = explore.ParseToken(f.token)
	}
	if err == nil {
		err = explore.CheckSchedule(c.m, s)
	}
	var r *sched.Result
	if err == nil {
		r, err = explore.Replay(c.m, s, sched.Options{MaxSteps: c.cfg.MaxSteps, NoRaces: c.cfg.NoRaces})
	}
	if err != nil {
		c.tb.Fatalf("threadsim: saved schedule %s no longer replays: %v\n"+
			"If the model changed on purpose, delete the file, or keep it as a record with a line %q.",
			path, err, staleMark+" <why>")
		return true
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
		f, err := readScheduleFile(arg)
		if err != nil {
			c.tb.Fatalf("threadsim: %v", err)
			return
		}
		tok = f.token
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
	if r.Failure != nil && r.Failure.Kind == sched.StepLimit && !(len(r.Races) > 0 && !c.cfg.NoRaces) {
		c.tb.Fatalf("threadsim: replayed schedule is undecided, no failure of the program: it did not end within %d steps.\n%s",
			r.Steps, undecidedNoteFor(s.Strategy))
		return
	}
	if c.failed(r) {
		c.fail(s, "replayed schedule fails", "")
		return
	}
	c.tb.Logf("threadsim: replayed schedule passes")
}
