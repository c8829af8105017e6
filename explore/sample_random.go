package explore

import "github.com/threadsim/threadsim/sched"

// runSeed derives the seed of run i of seed s, so that run i is the same
// execution whatever worker runs it.
func runSeed(seed uint64, i int) uint64 {
	r := sched.SplitMix(seed)
	a := r.Uint64()
	r2 := sched.SplitMix(a ^ uint64(i)*0xd1b54a32d192ed03)
	return r2.Uint64()
}

// walker is the random-walk Chooser: every decision uniform among its
// options (forced ones draw nothing).
type walker struct{ rng sched.SplitMix }

func (w *walker) reset(seed uint64, i int) { w.rng = sched.SplitMix(runSeed(seed, i)) }

func (w *walker) Choose(c *sched.Choice) int {
	if c.N <= 1 {
		return 0
	}
	return w.rng.IntN(c.N)
}
