package explore

import (
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// The fingerprint table agrees with a Go map on every sequence of inserts
// and updates, across its growth (into slots touched
// ahead by another goroutine from 64 slots on), the fingerprint 0 included.
func TestFingerprintTableActsAsAMap(t *testing.T) {
	defer func(n int) { prefaultFrom = n }(prefaultFrom)
	prefaultFrom = 64
	rapid.Check(t, func(t *rapid.T) {
		v := newVisited(false)
		sleeps := map[uint64]uint64{}
		// Keys in a narrow range (probes collide, the table grows), or
		// spread over 64 bits; 0 is among them.
		keys := rapid.SliceOfN(rapid.OneOf(rapid.Uint64Range(0, 3000), rapid.Uint64()), 1000, 4000).Draw(t, "keys")
		for i, fp := range keys {
			k := stateKey{fp: fp}
			if rapid.Bool().Draw(t, "store") {
				sleep := uint64(i) * 0x9e3779b97f4a7c15
				if e := v.find(k); e != nil {
					e.sleep = sleep
				} else {
					v.insert(k, sleep)
				}
				sleeps[fp] = sleep
			}
		}
		if v.len() != len(sleeps) {
			t.Fatalf("len %d, want %d", v.len(), len(sleeps))
		}
		for _, fp := range append(keys, 0, 1, 1<<40) {
			k := stateKey{fp: fp}
			var sleep uint64
			e := v.find(k)
			if e != nil {
				sleep = e.sleep
			}
			if want, wok := sleeps[fp]; (e != nil) != wok || sleep != want {
				t.Fatalf("fingerprint %d: got %d %v, want %d %v", fp, sleep, e != nil, want, wok)
			}
		}
	})
}

// TestSmallestGapIsTheSortedMinimum: the two-halves merge finds the
// smallest gap a plain sort finds.
func TestSmallestGapIsTheSortedMinimum(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		fps := rapid.SliceOfNDistinct(rapid.Uint64(), 2, 200, rapid.ID[uint64]).Draw(rt, "fps")
		sorted := slices.Sorted(slices.Values(fps))
		want := uint64(math.MaxUint64)
		for i := 1; i < len(sorted); i++ {
			want = min(want, sorted[i]-sorted[i-1])
		}
		if got := smallestGap(fps); got != want {
			rt.Fatalf("smallestGap = %d, want %d", got, want)
		}
	})
}
