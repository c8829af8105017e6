// Package exploretest runs threadsim explorations inside go test, the way
// rapid and Go fuzzing do for their inputs.
//
// Check explores a model; on failure it fails the test with the minimal
// failing trace as text and a one-line command that replays it, and writes
// the schedule to testdata/threadsim/<TestName>/<id>.sched (atomically).
// Each failure is written as soon as it is found, and replaced by its
// minimised schedule at the end, so that a model that later blocks outside
// the simulator (which ends the process) loses nothing.
// On later runs the saved schedules of the test are replayed first, so a
// fixed bug stays fixed; one that cannot be read or no longer replays
// fails the test (a line "stale: <why>" in the file keeps it as a record
// and skips it). The failure message ends with the command that replays
// it, run from the module's root:
//
//	go test ./pkg -run '^TestX$' -threadsim.replay=TOKEN
//
// or, for `go test ./...`, THREADSIM_REPLAY=TOKEN. A search that finds
// no failure but meets an execution that does not end within the step
// limit (explore.Undecided) fails the test too, saying that this is no
// failure of the program and that the stateful strategy decides it; it
// saves no schedule. Flags (read lazily, each with an environment
// variable for `go test ./...`): -threadsim.seed (THREADSIM_SEED),
// -threadsim.runs (THREADSIM_RUNS), -threadsim.replay (THREADSIM_REPLAY: a
// token or a .sched file), -threadsim.nofailfile (THREADSIM_NOFAILFILE).
//
// Sharding: when the test runs as one of n processes (Bazel's
// TEST_TOTAL_SHARDS and TEST_SHARD_INDEX, or a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX with THREADSIM_SHARDS=n), each Check explores its
// share: a depth-first search its share of a partitioned search's units,
// a random walk or PCT its share of the runs (together the shards explore
// the whole search); see shard.go.
//
// A model that ends the test process cannot be reported by Check, only
// survived: os.Exit, a runtime throw, or unbounded recursion. Go's stack
// overflow ("goroutine stack exceeds 1000000000-byte limit", then the
// stack trace) is a fatal error, not a panic: no recover, deferred
// function or goroutine of the process runs after it, so Check cannot
// turn it into a one-line failure as the threadsim command does (its
// models run in a supervised child process); re-running each Check in a
// child test process would run the test's own code twice. Lowering the
// stack limit (debug.SetMaxStack) only makes the overflow come sooner,
// and it is the whole process's limit, so Check leaves it alone. A depth
// check at the scheduler's steps would not help: a recursion that takes a
// step at each level meets the step limit (MaxSteps, 20,000 by default)
// long before Go's stack limit and ends as an undecided execution, and
// one that takes no step never reaches the scheduler until Go ends the
// process. What Check does guarantee: every
// failure found before the overflow is already saved (see above), and the
// next run replays it first. The recursion itself is at the top of Go's
// trace (the command threadsim, which runs built-in scenarios and Python
// programs, reports it in one line).
//
// This is the only package of threadsim that registers flags: import it
// from _test.go files only.
package exploretest

import (
	"context"
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// Option adjusts a Check.
type Option func(*checker)

// WithConfig sets the exploration's configuration. The default is DPOR
// (unbounded DFS) with a budget of 20000 executions; -threadsim.runs
// overrides Runs and -threadsim.seed overrides Seed.
func WithConfig(cfg explore.Config) Option { return func(c *checker) { c.cfg = cfg } }

// WithDir sets the directory of saved schedules (default
// "testdata/threadsim").
func WithDir(dir string) Option { return func(c *checker) { c.dir = dir } }

// TB is the part of *testing.T that Check uses.
type TB interface {
	Helper()
	Name() string
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
}

type checker struct {
	tb  TB
	m   explore.Model
	cfg explore.Config
	dir string
	set settings
	// found are the schedules saved as failures were found, before
	// minimisation (saveAsFound).
	found []string
}

// Check explores m within the test t and fails it on any failure the
// exploration finds (data races included, unless the configuration turns
// them off).
func Check(t *testing.T, m explore.Model, opts ...Option) {
	t.Helper()
	check(t, m, opts...)
}

func check(tb TB, m explore.Model, opts ...Option) {
	tb.Helper()
	c := &checker{tb: tb, m: m, dir: "testdata/threadsim",
		cfg: explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, Runs: 20000}}
	for _, o := range opts {
		o(c)
	}
	var err error
	if c.set, err = readSettings(); err != nil {
		tb.Fatalf("threadsim: %v", err)
		return
	}
	if c.set.replay != "" {
		c.replayOne(c.set.replay)
		return
	}
	if c.replaySaved() {
		return
	}
	c.explore()
}

func (c *checker) explore() {
	c.tb.Helper()
	if c.set.runs > 0 {
		c.cfg.Runs = c.set.runs
	}
	if c.set.seedSet {
		c.cfg.Seed = c.set.seed
	} else if c.cfg.Seed == 0 {
		c.cfg.Seed = 1
	}
	sh, err := readShard()
	if err != nil {
		c.tb.Fatalf("threadsim: %v", err)
		return
	}
	if !sh.apply(&c.cfg) {
		c.tb.Logf("threadsim: %s %s: %s search is not split; shard 0 of %d runs it", c.m.Name, c.m.Params, c.cfg.Strategy, sh.total)
		return
	}
	c.saveAsFound()
	rep, err := explore.Explore(context.Background(), c.m, c.cfg)
	if err != nil {
		c.tb.Fatalf("threadsim: %v", err)
		return
	}
	if rep.RulesBroken != "" {
		c.tb.Fatalf("threadsim: %s: %s", c.m.Name, rep.RulesBroken)
		return
	}
	if len(rep.Failures) == 0 && rep.Undecided != nil {
		c.undecided(rep)
		return
	}
	if len(rep.Failures) == 0 {
		if rep.Verdict != explore.Complete {
			c.tb.Logf("threadsim: %s %s: no failure in %d executions (%s, not exhaustive)", c.m.Name, c.m.Params, rep.Executions, rep.Verdict)
		}
		return
	}
	f := rep.Failures[0]
	path := c.save(f, true)
	c.removeFound(path)
	what := fmt.Sprintf("%s after %d executions (%s); minimal schedule: %s, %d steps",
		f.Kind, rep.Executions, rep.Strategy, plural(f.Preemptions, "preemption"), f.Steps)
	if f.NotDeterministic != "" {
		what += "\n" + f.NotDeterministic + "; the schedule below does not replay the failure"
	}
	c.fail(f.Schedule, what, path)
}

// undecided fails the test of a search that found no failure but met an
// execution that did not end within the step limit (explore.Undecided):
// the model was not checked, so the test does not pass, but nothing says
// the program fails and no schedule is saved. The message says why and
// what decides it.
func (c *checker) undecided(rep *explore.Report) {
	c.tb.Helper()
	c.tb.Fatalf("threadsim: %s %s: undecided, no failure of the program: after %d executions (%s), one did not end within %d steps.\n"+
		"%s\nIts schedule: %s", c.m.Name, c.m.Params, rep.Executions, rep.Strategy, rep.Undecided.Steps, undecidedNoteFor(rep.Strategy), rep.Undecided.Token)
}

// undecidedNote says why an execution that did not end within the step
// limit decides nothing, and what does.
const undecidedNote = "A stateless search stops such an execution, which may follow an unfair schedule (a thread that " +
	"could run never runs). explore.Config{Strategy: explore.Stateful} decides whether a fair schedule can run for " +
	"ever (a livelock) or the model passes; a model whose executions are only long needs a higher MaxSteps."

// undecidedNoteFor is undecidedNote, or for the stateful and BFS
// strategies, whose table ends every cycle, what their step limit means.
func undecidedNoteFor(strategy string) string {
	if strategy == explore.Stateful || strategy == explore.BFS {
		return "The search met an execution whose states did not repeat within the limit (a repeat closes a cycle, " +
			"which it decides): the model's executions are longer than MaxSteps (raise it), or its state space has no bound."
	}
	return undecidedNote
}

// fail replays s with details and fails the test with its trace.
func (c *checker) fail(s explore.Schedule, what, path string) {
	c.tb.Helper()
	r, err := explore.Replay(c.m, s, sched.Options{Detail: true, MaxSteps: c.cfg.MaxSteps, NoRaces: c.cfg.NoRaces})
	trace := ""
	if r != nil {
		trace = explore.FormatTrace(r)
	}
	if err != nil {
		trace += "(replay: " + err.Error() + ")\n"
	}
	where := ""
	if path != "" {
		where = "Failing schedule written to " + path + "\n"
	}
	c.tb.Fatalf("threadsim: %s: %s\n%s%sTo replay: %s",
		c.m.Name, what, trace, where, replayCommand(c.tb.Name(), s.Token()))
}

// failed reports whether r failed in a way the exploration counts.
func (c *checker) failed(r *sched.Result) bool {
	return r.Failure != nil || (len(r.Races) > 0 && !c.cfg.NoRaces)
}

// plural returns "1 preemption", "2 preemptions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
