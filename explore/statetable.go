package explore

import (
	"math"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// visited is the table of states a stateful search has explored, each with
// the sleep set it was explored with (a bit per thread id below 63, bit 63
// the clock; DPOR-NOTES §7.1) and, while it is on the search path, its
// index there. By default a state is its 64-bit fingerprint (fptable.go);
// in exact mode it is the full state (Scheduler.AppendState).
type visited struct {
	exact  bool
	fps    fpTable
	full   map[string]uint64
	path   map[string]int // exact mode: the states on the path
	bytes  int64          // exact mode: bytes of the stored states
	looked int64          // lookups: states generated, revisits included
	buf    []byte
}

func newVisited(exact bool) *visited {
	if exact {
		return &visited{exact: true, full: map[string]uint64{}, path: map[string]int{}}
	}
	return &visited{}
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
	if s := v.fps.find(k.fp); s != nil {
		return s.sleep, true
	}
	return 0, false
}

func (v *visited) put(k stateKey, sleep uint64) {
	if v.exact {
		if _, ok := v.full[k.full]; !ok {
			v.bytes += int64(len(k.full))
		}
		v.full[k.full] = sleep
		return
	}
	if s := v.fps.find(k.fp); s != nil {
		s.sleep = sleep
		return
	}
	v.fps.insert(k.fp, sleep)
}

// onPath returns the path index of a stored state, if it is on the path.
func (v *visited) onPath(k stateKey) (int, bool) {
	if v.exact {
		i, ok := v.path[k.full]
		return i, ok
	}
	if s := v.fps.find(k.fp); s != nil && s.path >= 0 {
		return int(s.path), true
	}
	return 0, false
}

// enterPath records a stored state at path index i, unless it is on the
// path already (lower).
func (v *visited) enterPath(k stateKey, i int) {
	if v.exact {
		if _, ok := v.path[k.full]; !ok {
			v.path[k.full] = i
		}
		return
	}
	if s := v.fps.find(k.fp); s != nil && s.path < 0 {
		s.path = int32(i)
	}
}

// leavePath takes a state off the path when it entered it at index i.
func (v *visited) leavePath(k stateKey, i int) {
	if v.exact {
		if j, ok := v.path[k.full]; ok && j == i {
			delete(v.path, k.full)
		}
		return
	}
	if s := v.fps.find(k.fp); s != nil && int(s.path) == i {
		s.path = -1
	}
}

func (v *visited) len() int {
	if v.exact {
		return len(v.full)
	}
	return v.fps.n
}

// bytesPerState is the table's memory per state: in fingerprint mode its
// slots (24 bytes each, between three eighths and three quarters full);
// exact mode estimates a Go map entry at 40 bytes plus the state's bytes.
func (v *visited) bytesPerState() float64 {
	n := v.len()
	if n == 0 {
		return 0
	}
	if v.exact {
		return 40 + float64(v.bytes)/float64(n)
	}
	return float64(24*len(v.fps.slots)) / float64(n)
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
	n, g := float64(v.fps.n), float64(v.looked)
	optimistic = n * math.Max(g-n, 0) / math.Exp2(64)
	fps := make([]uint64, 0, v.fps.n)
	v.fps.each(func(fp uint64) { fps = append(fps, fp) })
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
