package explore

import (
	"math"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// visited is the table of states a stateful search has explored, each with
// the sleep set it was explored with (a bit per thread id below 63, bit 63
// the clock; DPOR-NOTES §7.1). By default a state is its 64-bit
// fingerprint; in exact mode it is the full state (Scheduler.AppendState).
type visited struct {
	exact  bool
	fps    map[uint64]uint64
	full   map[string]uint64
	bytes  int64 // exact mode: bytes of the stored states
	looked int64 // lookups: states generated, revisits included
	buf    []byte
}

func newVisited(exact bool) *visited {
	if exact {
		return &visited{exact: true, full: map[string]uint64{}}
	}
	return &visited{fps: map[uint64]uint64{}}
}

// stateKey identifies the current state of sc in the table.
type stateKey struct {
	fp   uint64
	full string
}

func (v *visited) key(sc *sched.Scheduler) stateKey {
	if !v.exact {
		return stateKey{fp: sc.Fingerprint()}
	}
	v.buf = sc.AppendState(v.buf[:0])
	return stateKey{fp: sc.Fingerprint(), full: string(v.buf)}
}

// get returns the sleep set a state was explored with, counting the
// state as met.
func (v *visited) get(k stateKey) (sleep uint64, ok bool) {
	v.looked++
	return v.peek(k)
}

// peek is get without counting the state as met.
func (v *visited) peek(k stateKey) (sleep uint64, ok bool) {
	if v.exact {
		sleep, ok = v.full[k.full]
		return
	}
	sleep, ok = v.fps[k.fp]
	return
}

func (v *visited) put(k stateKey, sleep uint64) {
	if v.exact {
		if _, ok := v.full[k.full]; !ok {
			v.bytes += int64(len(k.full))
		}
		v.full[k.full] = sleep
		return
	}
	v.fps[k.fp] = sleep
}

func (v *visited) len() int {
	if v.exact {
		return len(v.full)
	}
	return len(v.fps)
}

// bytesPerState estimates the table's memory per state: a Go map entry of
// a fingerprint and a sleep set is 16 bytes of payload and about as much
// again of buckets and control bytes; exact mode adds the states' bytes.
func (v *visited) bytesPerState() float64 {
	n := v.len()
	if n == 0 {
		return 0
	}
	if v.exact {
		return 40 + float64(v.bytes)/float64(n)
	}
	return 32
}

// collision estimates the probability that two distinct states of the
// search shared a fingerprint, as TLC does (DPOR-NOTES §7.4): optimistic,
// n·(g−n)/2^64 for n states stored and g generated; and from the stored
// fingerprints, 1/δ with δ the smallest gap between two of them in sorted
// order. Exact mode has no collisions.
func (v *visited) collision() (optimistic, actual float64) {
	if v.exact {
		return 0, 0
	}
	n, g := float64(len(v.fps)), float64(v.looked)
	optimistic = n * math.Max(g-n, 0) / math.Exp2(64)
	fps := make([]uint64, 0, len(v.fps))
	for fp := range v.fps {
		fps = append(fps, fp)
	}
	slices.Sort(fps)
	gap := uint64(math.MaxUint64)
	for i := 1; i < len(fps); i++ {
		gap = min(gap, fps[i]-fps[i-1])
	}
	if len(fps) > 1 {
		actual = 1 / float64(gap)
	}
	return optimistic, actual
}
