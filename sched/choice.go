package sched

import (
	"math/bits"
	"strconv"
)

// ChoiceKind says what a Choice decides.
type ChoiceKind uint8

const (
	// PickThread decides which enabled thread (or the clock) runs next.
	PickThread ChoiceKind = iota
	// Draw decides the value of a random draw.
	Draw
)

// Choice is one decision to make. The scheduler reuses it: a Chooser must
// not keep it, nor its Options slice, after Choose returns.
type Choice struct {
	Kind ChoiceKind
	// Step is the number of steps taken so far.
	Step int
	// Current is the thread that ran the last step (the drawing thread for
	// a Draw), or NoThread.
	Current ThreadID
	// CurrentEnabled reports whether Current is among Options.
	CurrentEnabled bool
	// Options are the enabled threads in id order, then ClockID when a
	// deadline is pending. Empty for a Draw.
	Options []ThreadID
	// N is the number of possible decisions: len(Options), or the number
	// of values of a Draw.
	N int
	// Sched is the scheduler, for choosers that inspect pending operations.
	Sched *Scheduler
}

// Default returns the thread decision 0 picks: Current if enabled,
// otherwise the first option.
func (c *Choice) Default() ThreadID {
	if c.CurrentEnabled {
		return c.Current
	}
	return c.Options[0]
}

// Pick returns the thread that decision d picks.
func (c *Choice) Pick(d int) ThreadID {
	def := c.Default()
	if d == 0 {
		return def
	}
	for _, id := range c.Options {
		if id == def {
			continue
		}
		if d--; d == 0 {
			return id
		}
	}
	return NoThread
}

// Decision returns the decision that picks thread id, or -1.
func (c *Choice) Decision(id ThreadID) int {
	def := c.Default()
	if id == def {
		return 0
	}
	d := 0
	for _, o := range c.Options {
		if o == def {
			continue
		}
		d++
		if o == id {
			return d
		}
	}
	return -1
}

// Chooser makes every nondeterministic decision of an execution. Choose is
// called at every scheduling point, forced ones (N == 1) included, and at
// every draw; it returns a decision in [0, N), or Stop. Only decisions with
// N > 1 are recorded in the schedule.
type Chooser interface {
	Choose(c *Choice) int
}

// Stop, returned by Choose, ends the execution at once without a failure
// (a search cutting an execution it knows to be redundant, a replay that
// no longer fits its model). Result.Stopped reports it.
const Stop = -1

// Fail, called by a Chooser before it returns Stop, ends the execution with
// a failure of the given kind instead of a clean stop: a search that found
// a property of the state graph, such as a livelock cycle.
// Model code that calls it while the execution's threads are unwound (a
// frozen daemon's deferred function) fails nothing.
func (s *Scheduler) Fail(kind Kind, msg string) {
	if !s.unwinding {
		s.fail(nil, kind, msg)
	}
}

// decide asks the chooser which option runs next, or returns NoThread when
// the execution ends here.
func (s *Scheduler) decide() ThreadID {
	c := &s.choice
	if s.opts.CheckState && s.state.on {
		if what := s.checkState(); what != "" {
			s.fail(nil, Panic, "the state fingerprint missed a change of "+what+
				" (a primitive changed it without Thread.Changed, or left it out of its State)")
			return NoThread
		}
	}
	c.Kind, c.Step, c.Options, c.N, c.Sched = PickThread, s.steps, s.currentOptions(), s.nOptions, s
	c.Current, c.CurrentEnabled = NoThread, false
	if s.cur != nil {
		c.Current, c.CurrentEnabled = s.cur.id, s.curEnabled
	}
	d := s.ask(c)
	if d == Stop {
		s.stopped = !s.halted()
		return NoThread
	}
	if d < 0 || d >= c.N {
		s.failDiverged(d, c.N)
		return NoThread
	}
	if c.N > 1 {
		s.result.addDecision(d, c.CurrentEnabled && d != 0)
		s.watchdog.publish(s.result.Decisions)
	}
	s.lastDecision = d
	return c.Pick(d)
}

// ask returns the chooser's decision at c, with the watchdog paused. A
// Chooser that panics leaves it paused until the next execution begins
// (watchdog.begin).
func (s *Scheduler) ask(c *Choice) int {
	s.replay.upto = 0 // the chooser is asked from here on (replay.go)
	s.watchdog.pause()
	d := s.chooser.Choose(c)
	s.watchdog.resume()
	return d
}

// draw asks the chooser for a random value in [0, n) for t.
func (s *Scheduler) draw(t *Thread, n int) int {
	c := &s.choice
	c.Kind, c.Step, c.Options, c.N, c.Sched = Draw, s.steps, nil, n, s
	c.Current, c.CurrentEnabled = t.id, true
	d := s.ask(c)
	if d == Stop {
		s.stopped = true
		panic(abort{})
	}
	if d < 0 || d >= n {
		s.failDiverged(d, n)
		panic(abort{})
	}
	if n > 1 {
		s.result.addDecision(d, false)
		s.watchdog.publish(s.result.Decisions)
	}
	s.observe(t, uint64(d))
	return d
}

func (s *Scheduler) failDiverged(d, n int) {
	s.fail(nil, Diverged, "decision "+strconv.Itoa(d)+" at step "+strconv.Itoa(s.steps)+
		" is out of range: only "+strconv.Itoa(n)+" options")
}

// RandomChooser makes uniformly random decisions from a seed.
type RandomChooser struct{ rng SplitMix }

// NewRandomChooser returns a RandomChooser seeded with seed.
func NewRandomChooser(seed uint64) *RandomChooser {
	return &RandomChooser{rng: SplitMix(seed)}
}

// Choose picks uniformly among the c.N decisions.
func (r *RandomChooser) Choose(c *Choice) int {
	if c.N == 1 {
		return 0
	}
	return r.rng.IntN(c.N)
}

// FirstChooser always takes decision 0: run the current thread as long as
// it can, then the lowest enabled id.
type FirstChooser struct{}

// Choose returns 0.
func (FirstChooser) Choose(*Choice) int { return 0 }

// SplitMix is a small deterministic generator (SplitMix64), fixed so that
// a seed means the same decisions on every Go release.
type SplitMix uint64

// Uint64 returns the next value.
func (r *SplitMix) Uint64() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// IntN returns a value in [0, n), n > 0 (Lemire's multiply-shift).
func (r *SplitMix) IntN(n int) int {
	hi, _ := bits.Mul64(r.Uint64(), uint64(n))
	return int(hi)
}
