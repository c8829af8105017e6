package main

import (
	"github.com/threadsim/threadsim/sched"
)

// The clock policies of run. Exploration treats firing the clock as one
// more choice at every scheduling point where a deadline is pending, as if
// a thread could take any time between two steps: that is what makes its
// verdicts cover every timing. One run should look like a real one instead.
const (
	// lazyClock moves the clock only when no thread can run: computation
	// takes no time against sleeps and timeouts, as on an idle machine, so
	// a thread that sleeps 2 s wakes after everything the others can do
	// without waiting. The default of run.
	lazyClock = "lazy"
	// eagerClock offers the clock as often as any thread: a random walk
	// over every timing, exploration's view.
	eagerClock = "eager"
)

// clockChooser is run's random schedule under a clock policy: every
// decision is uniform among the threads that can run, and, under the eager
// policy, the clock.
type clockChooser struct {
	rng  sched.SplitMix
	lazy bool
}

func newClockChooser(seed uint64, policy string) *clockChooser {
	return &clockChooser{rng: sched.SplitMix(seed), lazy: policy == lazyClock}
}

// Choose picks uniformly among the options; under the lazy policy the
// clock is an option only when it is the only one.
func (c *clockChooser) Choose(ch *sched.Choice) int {
	if ch.N <= 1 {
		return 0
	}
	if !c.lazy || ch.Kind != sched.PickThread || ch.Options[len(ch.Options)-1] != sched.ClockID {
		return c.rng.IntN(ch.N)
	}
	return ch.Decision(ch.Options[c.rng.IntN(ch.N-1)])
}
