package sched_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
	"pgregory.net/rapid"
)

// call is one Choose call a chooser answered.
type call struct {
	kind     sched.ChoiceKind
	step, d  int
	n        int
	replayed bool
}

// prefixReplayer is a Replayer that runs each execution as a depth-first
// search does: it takes the last execution's decisions up to a call it
// was given (cut), then random ones. It records the calls it answers and
// the step of the first one (first: -1 before any).
type prefixReplayer struct {
	rng   sched.SplitMix
	last  []call // the last execution's calls, those skipped included
	calls []call // this execution's
	cut   int    // calls of last to take again
	first int
}

// ReplaySteps returns the step of the first call not taken again: the
// steps before it take the last execution's decisions (it runs on one
// Scheduler only).
func (p *prefixReplayer) ReplaySteps(*sched.Scheduler) int {
	if p.cut < len(p.last) {
		return p.last[p.cut].step
	}
	return 0
}

// Choose takes the decision of the last execution's call at the same
// step and of the same kind while below the cut, a random one after.
func (p *prefixReplayer) Choose(c *sched.Choice) int {
	if p.first < 0 {
		p.first = c.Step
		// The calls before were skipped: they took the last execution's
		// decisions.
		for _, l := range p.last[:p.cut] {
			if l.step >= c.Step {
				break
			}
			p.calls = append(p.calls, call{kind: l.kind, step: l.step, d: l.d, n: l.n, replayed: true})
		}
	}
	i := len(p.calls)
	d := 0
	if i < p.cut && p.last[i].step == c.Step && p.last[i].kind == c.Kind && p.last[i].n == c.N {
		d = p.last[i].d
	} else if c.N > 1 {
		d = p.rng.IntN(c.N)
	}
	p.calls = append(p.calls, call{kind: c.Kind, step: c.Step, d: d, n: c.N})
	return d
}

// next sets up the next execution, taking the first cut calls again.
func (p *prefixReplayer) next(cut int) {
	p.last, p.calls = append(p.last[:0], p.calls...), p.calls[:0]
	p.cut, p.first = min(cut, len(p.last)), -1
}

// decisions replays a schedule (Result.Decisions) without replaying.
type decisions struct{ ds []int }

func (s *decisions) Choose(c *sched.Choice) int {
	if c.N <= 1 || len(s.ds) == 0 {
		return 0
	}
	d := s.ds[0]
	s.ds = s.ds[1:]
	return d
}

// TestReplayedStepsAreTheSame: executions that take the last one's
// decisions for a while, as a depth-first search runs them, produce what
// they produce when the chooser is asked at every point (the trace, the
// decisions, logs, outcome, races, failure), and the chooser is not asked
// at the steps it said repeat the last execution's, unless a draw comes
// first (a draw asks it), or another chooser ran in between.
func TestReplayedStepsAreTheSame(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		prog, _ := genModel(rt)
		s := sched.New(sched.Options{MaxSteps: 300})
		defer s.Close()
		plain := sched.New(sched.Options{MaxSteps: 300})
		defer plain.Close()
		p := &prefixReplayer{rng: sched.SplitMix(rapid.Uint64().Draw(rt, "seed")), first: -1}
		other := false
		for run := range 6 {
			replay := p.ReplaySteps(s)
			r := s.Run(prog, p)
			got := renderAll(r)
			want := renderAll(plain.Run(prog, &decisions{ds: slices.Clone(r.Decisions)}))
			if got != want {
				rt.Fatalf("run %d (replaying %d steps) differs from the same decisions asked at every point:\n%s\nvs\n%s",
					run, replay, got, want)
			}
			firstDraw := slices.ContainsFunc(p.calls, func(c call) bool { return !c.replayed && c.kind == sched.Draw && c.step == p.first })
			switch {
			case other && p.first != 0:
				rt.Fatalf("run %d, after another chooser's run: first asked at step %d, want 0", run, p.first)
			case !other && p.first < replay && !firstDraw:
				rt.Fatalf("run %d: first asked at step %d, before the %d steps to replay", run, p.first, replay)
			}
			other = rapid.Bool().Draw(rt, "other")
			if other {
				s.Run(prog, &decisions{})
			}
			p.next(rapid.IntRange(0, len(p.calls)).Draw(rt, "cut"))
		}
	})
}

// renderAll is render with the counts of steps and preemptions.
func renderAll(r *sched.Result) string {
	return render(r) + fmt.Sprintf("steps %d, preemptions %d, stopped %v\n", r.Steps, r.Preemptions, r.Stopped)
}

// TestReplayStopsWhereTheOptionsDiffer: a model whose thread a is enabled
// in one execution and not the next, without a step that differs, is
// asked for the decision at the first point where it differs.
func TestReplayStopsWhereTheOptionsDiffer(t *testing.T) {
	ready := false
	prog := func(main *sched.Thread) {
		ready = !ready
		main.Go("a", func(t *sched.Thread) { t.Step(sched.Op{Name: "wait", Wait: flag(ready)}) })
		main.Yield()
		main.Yield()
		main.Yield()
	}
	checkFirstCall(t, prog, 1)
}

// TestReplayStopsAfterAStepThatDiffers: a model whose main thread's
// second step touches another object each execution, with the same
// threads enabled, is asked for the decision at the point after it.
func TestReplayStopsAfterAStepThatDiffers(t *testing.T) {
	calls := 0
	prog := func(main *sched.Thread) {
		calls++
		x, y := prims.NewVar(main, "x", 0), prims.NewVar(main, "y", 0)
		main.Yield()
		if calls%2 == 0 {
			y.Store(main, 1)
		} else {
			x.Store(main, 1)
		}
		main.Yield()
		main.Yield()
	}
	checkFirstCall(t, prog, 2)
}

// flag is a Waiter that is ready or not.
type flag bool

func (f flag) Ready(*sched.Thread) bool { return bool(f) }

// checkFirstCall runs prog twice under a prefixReplayer that replays its
// first four steps the second time, and checks that the chooser is first
// asked at step want.
func checkFirstCall(t *testing.T, prog sched.Program, want int) {
	t.Helper()
	s := sched.New(sched.Options{})
	defer s.Close()
	p := &prefixReplayer{first: -1}
	s.Run(prog, p)
	if len(p.calls) < 4 {
		t.Fatalf("%d calls, want 4 or more", len(p.calls))
	}
	p.next(4)
	s.Run(prog, p)
	if p.first != want {
		t.Errorf("first asked at step %d, want %d (the replay was to go to step %d)", p.first, want, p.last[4].step)
	}
}

// TestReplayStopsAfterAStartThatDiffers: a model that starts its thread a
// as a daemon every other execution, the steps otherwise the same, is
// asked for the decision at the point after the start.
func TestReplayStopsAfterAStartThatDiffers(t *testing.T) {
	calls := 0
	prog := func(main *sched.Thread) {
		calls++
		a := main.GoWith("a", calls%2 == 0, func(t *sched.Thread) { t.Yield() })
		main.Yield()
		main.Yield()
		main.Join(a)
	}
	checkFirstCall(t, prog, 1)
}

// TestReplayStopsPast64Threads: the options of a point with more than 64
// threads are not logged as a bit set (collectOptions), so replaying stops
// at the first such point and the chooser is asked from there; the
// execution is the same.
func TestReplayStopsPast64Threads(t *testing.T) {
	prog := func(main *sched.Thread) {
		for range 70 {
			main.Go("", func(t *sched.Thread) { t.Yield() })
		}
	}
	s := sched.New(sched.Options{})
	defer s.Close()
	p := &prefixReplayer{first: -1}
	r := s.Run(prog, p)
	want := renderAll(r)
	// The point after the step that starts thread 64 has 65 threads.
	wide := slices.IndexFunc(r.Trace, func(e sched.Event) bool { return e.Child == 64 }) + 1
	p.next(len(p.calls) - 1) // replay up to the last call's step
	got := renderAll(s.Run(prog, p))
	if wide == 0 || p.first != wide {
		t.Errorf("first asked at step %d, want %d", p.first, wide)
	}
	if got != want {
		t.Errorf("the replayed execution differs:\n%s\nvs\n%s", got, want)
	}
}
