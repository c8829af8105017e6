package explore

import "math/bits"

// fpTable is the visited table of the fingerprint mode: an open-addressing
// hash table (linear probing, a power of two slots, at most three quarters
// full) from a state's fingerprint to the sleep set it was explored with
// and the index on the search path it entered it at (-1: none; onPath).
// Fingerprints are sums of 64-bit hashes, uniform in every bit, so a
// fingerprint is its own hash, and its top bits are its home slot.
// Slot fingerprint 0 marks an empty slot; the state whose fingerprint is 0
// lives in zero.
type fpTable struct {
	slots   []stored
	shift   uint // 64 - log2(len(slots))
	n       int
	zero    stored
	hasZero bool
	// spare delivers the slots of the next growth, touched by another
	// goroutine (state_prefault.go) from when a large table is two thirds of the
	// way to growing.
	spare *prefault[stored]
}

// prefaultFrom is the size from which a table's next slots are touched
// ahead of its growth (a variable for tests).
var prefaultFrom = 1 << 16

// stored is what the table keeps of a state: its fingerprint (in
// fingerprint mode), the sleep set it was explored with and the index on
// the search path it last entered it at (-1: never; the frame there tells
// whether it is still on it: stateSearch.onPath).
type stored struct {
	fp    uint64
	sleep uint64
	path  int32
}

// find returns fp's slot, nil when fp is not stored.
func (t *fpTable) find(fp uint64) *stored {
	if fp == 0 {
		if t.hasZero {
			return &t.zero
		}
		return nil
	}
	if len(t.slots) == 0 {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(fp); ; i = (i + 1) & mask {
		switch t.slots[i].fp {
		case fp:
			return &t.slots[i]
		case 0:
			return nil
		}
	}
}

// insert stores fp, not stored yet, with sleep set sleep, off the path,
// and returns its slot (valid until the next insert).
func (t *fpTable) insert(fp, sleep uint64) *stored {
	t.n++
	if fp == 0 {
		t.zero, t.hasZero = stored{sleep: sleep, path: -1}, true
		return &t.zero
	}
	if 4*t.n > 3*len(t.slots) {
		t.grow()
	}
	if t.spare == nil && len(t.slots) >= prefaultFrom && 2*t.n > len(t.slots) {
		t.spare = prefaulted[stored](2 * len(t.slots))
	}
	s := t.place(fp)
	*s = stored{fp: fp, sleep: sleep, path: -1}
	return s
}

// home is fp's first slot: its top bits, so that the slots hold the
// fingerprints nearly in order (sorting them for the collision estimate
// is then quick, and growing walks the new slots in order).
func (t *fpTable) home(fp uint64) uint64 { return fp >> t.shift }

// close abandons the spare slots, if any are on their way.
func (t *fpTable) close() {
	if t.spare != nil {
		t.spare.close()
		t.spare = nil
	}
}

// place returns the empty slot where fp goes.
func (t *fpTable) place(fp uint64) *stored {
	mask := uint64(len(t.slots) - 1)
	i := t.home(fp)
	for t.slots[i].fp != 0 {
		i = (i + 1) & mask
	}
	return &t.slots[i]
}

// grow doubles the slots (16 at first) and re-places every stored.
func (t *fpTable) grow() {
	old := t.slots
	if t.spare != nil {
		t.slots, t.spare = <-t.spare.ready, nil
	} else {
		t.slots = make([]stored, max(16, 2*len(old)))
	}
	t.shift = uint(64 - bits.Len(uint(len(t.slots))-1))
	for _, s := range old {
		if s.fp != 0 {
			*t.place(s.fp) = s
		}
	}
}

// each calls f with every stored fingerprint.
func (t *fpTable) each(f func(fp uint64)) {
	if t.hasZero {
		f(0)
	}
	for _, s := range t.slots {
		if s.fp != 0 {
			f(s.fp)
		}
	}
}
