package explore

import (
	"math"
	"slices"
	"unsafe"

	"github.com/threadsim/threadsim/sched"
)

// visited is the table of states a stateful search has explored, each with
// the sleep set it was explored with (a bit per thread id below 63, bit 63
// the clock; DPOR-NOTES §7.1) and the index on the search path it last
// entered it at (stateSearch.onPath). By default a state is its 64-bit fingerprint (state_fptable.go);
// in exact mode it is the full state (Scheduler.AppendState).
type visited struct {
	exact  bool
	fps    fpTable
	full   map[string]*stored // exact mode
	bytes  int64              // exact mode: bytes of the stored states
	looked int64              // lookups: states generated, revisits included
	buf    []byte
}

func newVisited(exact bool) *visited {
	if exact {
		return &visited{exact: true, full: map[string]*stored{}}
	}
	return &visited{}
}

// stateKey identifies the current state of sc in the table.
type stateKey struct {
	fp   uint64
	full string
}

func (v *visited) key(sc *sched.Scheduler) stateKey {
	var k stateKey
	k, v.buf = stateKeyOf(sc, v.exact, v.buf)
	return k
}

// stateKeyOf is the key of sc's state, exact or a fingerprint, made in
// buf, which it returns for the next key.
func stateKeyOf(sc *sched.Scheduler, exact bool, buf []byte) (stateKey, []byte) {
	if !exact {
		return stateKey{fp: sc.Fingerprint()}, buf
	}
	buf = sc.AppendState(buf[:0])
	return stateKey{fp: sc.Fingerprint(), full: string(buf)}, buf
}

// find returns k's entry, nil when k is not stored. An entry stays valid
// until the next insert.
func (v *visited) find(k stateKey) *stored {
	if v.exact {
		return v.full[k.full]
	}
	return v.fps.find(k.fp)
}

// get is find, counting the state as met.
func (v *visited) get(k stateKey) *stored {
	v.looked++
	return v.find(k)
}

// insert stores k, not stored yet, with sleep set sleep, off the path.
func (v *visited) insert(k stateKey, sleep uint64) *stored {
	if v.exact {
		e := &stored{sleep: sleep, path: -1}
		v.full[k.full] = e
		v.bytes += int64(len(k.full))
		return e
	}
	return v.fps.insert(k.fp, sleep)
}

// close stops what the table prepares ahead (fpTable.close).
func (v *visited) close() { v.fps.close() }

func (v *visited) len() int {
	if v.exact {
		return len(v.full)
	}
	return v.fps.n
}

// bytesPerState is the table's memory per state: in fingerprint mode its
// slots (between three eighths and three quarters full);
// exact mode estimates a Go map entry at 40 bytes plus the state's bytes.
func (v *visited) bytesPerState() float64 {
	n := v.len()
	if n == 0 {
		return 0
	}
	if v.exact {
		return 40 + float64(v.bytes)/float64(n)
	}
	return float64(unsafe.Sizeof(stored{})) * float64(len(v.fps.slots)) / float64(n)
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
	if len(fps) > 1 {
		actual = 1 / float64(smallestGap(fps))
	}
	return optimistic, actual
}

// smallestGap returns the smallest difference between two of fps (at
// least two, distinct), which it reorders. It sorts the two halves at
// once, a search ending with a second core idle, and walks their merge.
// The table hands the fingerprints over nearly in order (fpTable.home),
// which the sort is quick on.
func smallestGap(fps []uint64) uint64 {
	a, b := fps[:len(fps)/2], fps[len(fps)/2:]
	done := make(chan struct{})
	go func() {
		slices.Sort(a)
		close(done)
	}()
	slices.Sort(b)
	<-done
	gap, prev := uint64(math.MaxUint64), uint64(0)
	for n := 0; len(a)+len(b) > 0; n++ {
		var x uint64
		if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
			x, a = a[0], a[1:]
		} else {
			x, b = b[0], b[1:]
		}
		if n > 0 {
			gap = min(gap, x-prev)
		}
		prev = x
	}
	return gap
}
