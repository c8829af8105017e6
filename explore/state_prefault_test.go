package explore

import (
	"testing"
)

// TestChunkSupplyHandsOutFreshChunks: a supply's chunks, made here or by
// its goroutine, are zeroed, of the size asked for, and never shared: a
// write into one shows in no other.
func TestChunkSupplyHandsOutFreshChunks(t *testing.T) {
	var c chunkSupply[optRec]
	defer c.close()
	var got [][]optRec
	for i := range 5 * supplyAhead {
		s := c.get(300)
		if len(s) != 300 {
			t.Fatalf("chunk %d has %d records, want 300", i, len(s))
		}
		for j := range s {
			if s[j] != (optRec{}) {
				t.Fatalf("chunk %d is not zeroed at %d: %+v", i, j, s[j])
			}
			s[j].dec = int32(i)
		}
		got = append(got, s)
	}
	for i, s := range got {
		for j := range s {
			if s[j].dec != int32(i) {
				t.Fatalf("chunk %d shares memory with chunk %d", i, s[j].dec)
			}
		}
	}
	if c.ready == nil {
		t.Fatalf("no goroutine after %d chunks", len(got))
	}
}

// TestPrefaultedIsZeroed: a slice touched ahead is as make returns it.
func TestPrefaultedIsZeroed(t *testing.T) {
	s := <-prefaulted[stored](10000).ready
	if len(s) != 10000 {
		t.Fatalf("%d slots, want 10000", len(s))
	}
	for i := range s {
		if s[i] != (stored{}) {
			t.Fatalf("slot %d is %+v", i, s[i])
		}
	}
}

// TestTouchingStops: a closed stop abandons the slice (a search that ended
// leaves no goroutine holding its table's next slots).
func TestTouchingStops(t *testing.T) {
	stop := make(chan struct{})
	close(stop)
	if s := touched[stored](1<<20, stop); s != nil {
		t.Fatalf("touched %d slots after the stop", len(s))
	}
	p := prefaulted[stored](1 << 20)
	p.close() // returns once the goroutine is done
	select {
	case s := <-p.ready:
		t.Fatalf("a closed prefault delivered %d slots after its close", len(s))
	default:
	}
}
