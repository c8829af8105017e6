package sched

import (
	"math/bits"
	"os"
)

// # The enabled threads, kept up to date
//
// collectOptions runs at every scheduling point. Whether a thread is
// enabled depends on its state, its pending operation and its deadline
// flags, which change only in the scheduler's own code, and, for a
// pending operation with a Waiter, on what Waiter.Ready says, which may
// change at any step. So the scheduler keeps, for the first 64 threads,
// three bit sets: the threads enabled whatever happens (an exit pending, a
// pending operation without a Waiter, or whose deadline fired), those
// whose Waiter must be asked, and those with a deadline registered (the
// clock is enabled when one is). They match the threads at every
// scheduling point: regate runs where a thread declares an operation
// (Step, its deadline included) or its exit (bodyDone), where it exits
// (exit) and where its deadline fires (fire); a thread that starts, or
// runs a step, changes those fields again before the next scheduling
// point (its Step or exit), and one that dies does so when the execution
// has ended. A scheduling point then asks only the Waiters and lists the
// bits; the loop over every thread (collectAll) is left for executions
// of more than 64 threads.

// gates are the bit sets, by thread id.
type gates struct {
	free, poll, timed uint64
}

// checkGates makes every scheduling point compare the options of the bit
// sets with those of the loop over every thread, and panic when they
// differ: the sched tests set it, and THREADSIM_CHECK_GATES=1 sets it for
// any program (the other packages' tests).
var checkGates = os.Getenv("THREADSIM_CHECK_GATES") == "1"

// regate brings t's bits up to date with its state, pending operation and
// deadline flags.
func (s *Scheduler) regate(t *Thread) {
	if t.id < 0 || t.id >= 64 {
		return
	}
	bit := uint64(1) << uint(t.id)
	g := &s.gates
	g.free, g.poll, g.timed = g.free&^bit, g.poll&^bit, g.timed&^bit
	switch t.state {
	case exiting:
		g.free |= bit
	case live:
		if t.pend.Wait == nil || t.timedOut || t.expired {
			g.free |= bit
		} else {
			g.poll |= bit
		}
		if t.waiting {
			g.timed |= bit
		}
	}
}

// collectGated is collectOptions from the bit sets, for up to 64 threads:
// it sets s.optMask, s.optClock and s.curEnabled.
func (s *Scheduler) collectGated() {
	g := &s.gates
	enabled := g.free
	for p := g.poll; p != 0; p &= p - 1 {
		i := bits.TrailingZeros64(p)
		if t := s.threads[i]; t.pend.Wait.Ready(t) {
			enabled |= 1 << uint(i)
		}
	}
	s.curEnabled = s.cur != nil && enabled>>uint(s.cur.id)&1 != 0
	s.optMask, s.optClock = enabled, g.timed != 0
}
