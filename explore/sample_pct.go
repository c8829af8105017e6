package explore

import (
	"math/bits"
	"slices"
	"strconv"

	"github.com/threadsim/threadsim/sched"
)

// pctChooser is PCT (Burckhardt et al., ASPLOS 2010; DPOR-NOTES §5).
//
// Every thread, and the clock pseudo-thread, gets a random priority when it
// first appears among the options: a uniformly random rank among the
// threads not yet demoted (for the threads present at the start, a random
// permutation). d-1 change points are drawn uniformly from 1..k, k being
// the number of real choice points (two or more options) estimated from
// earlier runs; the j-th drawn has label j. At each real choice point the
// step counter advances; the enabled thread with the highest priority is
// chosen, except that when the counter equals a change point, that thread
// is first demoted to priority label j (below every undemoted thread;
// higher labels above lower ones) and the choice is made again. Draws take
// uniform values from the run's generator. The choice is recorded as a
// decision in the 0-encoding, so a PCT schedule replays without
// priorities.
type pctChooser struct {
	rng     sched.SplitMix
	order   []sched.ThreadID // undemoted, highest priority first
	demoted []sched.ThreadID // demoted[j-1] has label j (NoThread: none)
	change  []int
	step    int
}

// pctLearnRuns is the number of runs PCT learns k from. Epoch e, the runs
// [2^(e-1), 2^e), assumes the largest number of real choice points of the
// runs before it (run 0 none), up to pctLearnRuns (a power of two); the
// runs from there on keep that k. So k, and every run, depends on the
// seed and the run's index alone, and a shard learns k by making the
// runs below pctLearnRuns itself (part_runs.go). On the built-in
// scenarios k grows little after the first runs: with seed 1,
// lost-update's is 58 after 64 runs, 59 after 256 and 60 after 4,096.
const pctLearnRuns = 256

// pctDepth is PCT's bug depth d: Config.Depth, 3 by default.
func (c Config) pctDepth() int {
	if c.Depth <= 0 {
		return 3
	}
	return c.Depth
}

// pctEpoch is the index of run i's epoch: 0 for run 0, e for the runs
// [2^(e-1), 2^e), and the last for the runs from pctLearnRuns on.
func pctEpoch(i int) int {
	return min(bits.Len(uint(i)), bits.Len(pctLearnRuns))
}

// pctStrategy names the variant in tokens: "pct-d3-k17" is depth 3 with
// change points over 17 choice points, demoting to label j before the
// change-point step.
func pctStrategy(d, k int) string {
	return "pct-d" + strconv.Itoa(d) + "-k" + strconv.Itoa(k)
}

func (p *pctChooser) reset(seed uint64, i, d, k int) {
	p.rng = sched.SplitMix(runSeed(seed, i))
	p.order, p.step = p.order[:0], 0
	p.demoted, p.change = p.demoted[:0], p.change[:0]
	for j := 0; j < d-1 && k > 0; j++ {
		p.change = append(p.change, 1+p.rng.IntN(k))
		p.demoted = append(p.demoted, sched.NoThread)
	}
}

func (p *pctChooser) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		if c.N <= 1 {
			return 0
		}
		return p.rng.IntN(c.N)
	}
	for _, id := range c.Options {
		p.admit(id)
	}
	if c.N <= 1 {
		return 0
	}
	p.step++
	t := p.highest(c.Options)
	for j, cp := range p.change {
		if cp == p.step {
			p.demote(t, j)
			t = p.highest(c.Options)
		}
	}
	return c.Decision(t)
}

// admit gives a thread seen for the first time a random rank.
func (p *pctChooser) admit(id sched.ThreadID) {
	if slices.Contains(p.order, id) || slices.Contains(p.demoted, id) {
		return
	}
	p.order = slices.Insert(p.order, p.rng.IntN(len(p.order)+1), id)
}

func (p *pctChooser) demote(t sched.ThreadID, j int) {
	if i := slices.Index(p.order, t); i >= 0 {
		p.order = slices.Delete(p.order, i, i+1)
	}
	if i := slices.Index(p.demoted, t); i >= 0 {
		p.demoted[i] = sched.NoThread
	}
	p.demoted[j] = t
}

func (p *pctChooser) highest(opts []sched.ThreadID) sched.ThreadID {
	for _, t := range p.order {
		if slices.Contains(opts, t) {
			return t
		}
	}
	for j := len(p.demoted) - 1; j >= 0; j-- {
		if t := p.demoted[j]; t != sched.NoThread && slices.Contains(opts, t) {
			return t
		}
	}
	return opts[0]
}
