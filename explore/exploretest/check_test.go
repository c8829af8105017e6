package exploretest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// recorder is a TB that records instead of failing.
type recorder struct {
	name  string
	logs  []string
	fatal string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Name() string              { return r.name }
func (r *recorder) Logf(f string, a ...any)   { r.logs = append(r.logs, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.fatal = fmt.Sprintf(f, a...) }
func (r *recorder) String() string            { return strings.Join(r.logs, "\n") + "\nFATAL: " + r.fatal }

var _ TB = (*recorder)(nil)

func counter(locked bool) explore.Model {
	return explore.Model{Name: "counter", Params: fmt.Sprintf("locked=%v", locked), Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		l := prims.NewLock(main, "l")
		inc := func(t *sched.Thread) {
			if locked {
				l.Acquire(t)
				defer l.Release(t)
			}
			x.Store(t, x.Load(t)+1)
		}
		a, b := main.Go("", inc), main.Go("", inc)
		main.Join(a)
		main.Join(b)
		main.Assert(x.Peek() == 2, "x=%d, want 2", x.Peek())
	}}
}

func TestCheckPassesCorrectModel(t *testing.T) {
	Check(t, counter(true), WithDir(t.TempDir()))
}

func TestCheckFailsWritesAndReplays(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{name: "TestLost/sub"}
	cfg := explore.Config{Strategy: explore.Random, Seed: 3, Runs: 500, NoRaces: true}
	check(rec, counter(false), WithDir(dir), WithConfig(cfg))
	if !strings.Contains(rec.fatal, "assertion after") || !strings.Contains(rec.fatal, "-threadsim.replay=ts1.counter.") ||
		!strings.Contains(rec.fatal, "1 preemption,") || !strings.Contains(rec.fatal, "[preempts]") {
		t.Fatalf("failure message:\n%s", rec)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "TestLost_sub", "*.sched"))
	if len(files) != 1 {
		t.Fatalf("saved schedules: %v", files)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.HasPrefix(string(data), fileHeader+"\ntoken: ts1.counter.") {
		t.Errorf("schedule file:\n%s", data)
	}
	again := &recorder{name: "TestLost/sub"}
	check(again, counter(false), WithDir(dir), WithConfig(cfg))
	if !strings.Contains(again.fatal, "saved schedule "+files[0]+" still fails") {
		t.Errorf("second run did not replay the saved schedule first:\n%s", again)
	}
	// The fix changed the model: its saved schedule no longer replays,
	// which fails the test until the file is deleted (or marked stale).
	fixedModel := explore.Model{Name: "counter", Params: "locked=false", Program: counter(true).Program}
	fixed := &recorder{name: "TestLost/sub"}
	check(fixed, fixedModel, WithDir(dir), WithConfig(cfg))
	if !strings.Contains(fixed.fatal, "no longer replays") {
		t.Errorf("a saved schedule that no longer replays:\n%s", fixed)
	}
	os.Remove(files[0])
	fixed = &recorder{name: "TestLost/sub"}
	check(fixed, fixedModel, WithDir(dir), WithConfig(cfg))
	if fixed.fatal != "" {
		t.Errorf("fixed model still fails:\n%s", fixed)
	}
}

func TestCheckNoFailFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("THREADSIM_NOFAILFILE", "1")
	rec := &recorder{name: "TestNoFile"}
	check(rec, counter(false), WithDir(dir), WithConfig(explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true}))
	if rec.fatal == "" || strings.Contains(rec.fatal, "written to") {
		t.Errorf("failure message:\n%s", rec)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
}

func TestCheckReplayFlag(t *testing.T) {
	m := counter(false)
	rep, err := explore.Explore(t.Context(), m, explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true})
	if err != nil || len(rep.Failures) == 0 {
		t.Fatalf("%v %+v", err, rep)
	}
	t.Setenv("THREADSIM_REPLAY", rep.Failures[0].Token)
	rec := &recorder{name: "TestReplay"}
	check(rec, m, WithDir(t.TempDir()), WithConfig(explore.Config{NoRaces: true}))
	if !strings.Contains(rec.fatal, "replayed schedule fails") {
		t.Errorf("replay:\n%s", rec)
	}
	t.Setenv("THREADSIM_REPLAY", "ts1.bogus")
	rec = &recorder{name: "TestReplay"}
	check(rec, m, WithDir(t.TempDir()))
	if !strings.Contains(rec.fatal, "bad token") {
		t.Errorf("bad token:\n%s", rec)
	}
}

func TestCheckBadEnv(t *testing.T) {
	t.Setenv("THREADSIM_RUNS", "many")
	rec := &recorder{name: "TestEnv"}
	check(rec, counter(true), WithDir(t.TempDir()))
	if !strings.Contains(rec.fatal, "THREADSIM_RUNS") {
		t.Errorf("bad env:\n%s", rec)
	}
}

func TestShowFailureMessage(t *testing.T) {
	rec := &recorder{name: "TestShow"}
	check(rec, counter(false), WithDir(t.TempDir()), WithConfig(explore.Config{Strategy: explore.PCT, Seed: 1, Runs: 200}))
	t.Log(rec.fatal)
}

// polite is two threads that raise a flag each and back off while the
// other's is up: a livelock only stateful search reports.
func polite() explore.Model {
	return explore.Model{Name: "polite", Program: func(main *sched.Thread) {
		flags := []*prims.Var[int]{prims.NewAtomic(main, "a", 0), prims.NewAtomic(main, "b", 0)}
		worker := func(me int) func(*sched.Thread) {
			return func(t *sched.Thread) {
				for {
					t.Checkpoint("retry")
					flags[me].Store(t, 1)
					if flags[1-me].Load(t) == 0 {
						break
					}
					flags[me].Store(t, 0)
				}
			}
		}
		a, b := main.Go("", worker(0)), main.Go("", worker(1))
		main.Join(a)
		main.Join(b)
	}}
}

func TestCheckStatefulSavesAndReplaysALivelock(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{name: "TestPolite"}
	check(rec, polite(), WithDir(dir), WithConfig(explore.Config{Strategy: explore.Stateful}))
	if !strings.Contains(rec.fatal, "livelock") {
		t.Fatalf("failure message:\n%s", rec)
	}
	saved, _ := filepath.Glob(filepath.Join(dir, "TestPolite", "*.sched"))
	if len(saved) != 1 {
		t.Fatalf("saved schedules: %v", saved)
	}
	again := &recorder{name: "TestPolite"}
	check(again, polite(), WithDir(dir), WithConfig(explore.Config{Strategy: explore.Stateful}))
	if !strings.Contains(again.fatal, "livelock") || !strings.Contains(again.fatal, "saved") {
		t.Fatalf("the saved livelock does not replay first:\n%s", again)
	}
}

// TestStatelessStepLimitSaysItIsNoVerdict: DFS stops polite's executions
// at the step limit; the test fails as undecided, never as a failure of
// the program, says that may be an unfair schedule, names the stateful
// strategy, and saves no schedule (a later run would replay it as a
// regression).
func TestStatelessStepLimitSaysItIsNoVerdict(t *testing.T) {
	rec := &recorder{name: "TestPoliteDFS"}
	dir := t.TempDir()
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, MaxSteps: 100, NoMinimize: true}
	check(rec, polite(), WithDir(dir), WithConfig(cfg))
	if !strings.Contains(rec.fatal, "undecided, no failure of the program") || !strings.Contains(rec.fatal, "did not end within 100 steps") ||
		!strings.Contains(rec.fatal, "unfair schedule") || !strings.Contains(rec.fatal, "explore.Stateful") ||
		strings.Contains(rec.fatal, "step-limit after") {
		t.Errorf("failure message:\n%s", rec)
	}
	if saved, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(saved) != 0 {
		t.Errorf("an undecided search saved schedules: %v", saved)
	}
	// Its schedule, replayed, is undecided too, not a failure.
	tok := rec.fatal[strings.LastIndex(rec.fatal, "Its schedule: ")+len("Its schedule: "):]
	t.Setenv("THREADSIM_REPLAY", tok)
	again := &recorder{name: "TestPoliteDFS"}
	check(again, polite(), WithDir(dir), WithConfig(cfg))
	if !strings.Contains(again.fatal, "replayed schedule is undecided, no failure of the program: it did not end within 100 steps") {
		t.Errorf("replay of the undecided schedule:\n%s", again)
	}
}
