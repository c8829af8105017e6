package explore

import (
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// eventIndex lists the events of the execution analysed so far by what
// they can be dependent through, so that finding the races of an event
// visits its candidates only, newest first, instead of every earlier
// event.
type eventIndex struct {
	byObj    [][]int // per object id
	byThread [][]int // per thread index (the clock last)
	fires    []int
	reads    []int // steps that read the clock
	ends     []int // exits of non-daemon threads
	daemons  []int // steps of daemon threads
	heads    [7][]int
	walk     candidates
}

func (x *eventIndex) reset(objects, width int) {
	x.byObj = resetLists(x.byObj, objects)
	x.byThread = resetLists(x.byThread, width)
	x.fires, x.reads, x.ends, x.daemons = x.fires[:0], x.reads[:0], x.ends[:0], x.daemons[:0]
}

// truncate keeps the events before from, for objects objects.
func (x *eventIndex) truncate(objects, from int) {
	if n := len(x.byObj); objects > n {
		x.byObj = slices.Grow(x.byObj, objects-n)[:objects]
		for i := n; i < objects; i++ {
			x.byObj[i] = x.byObj[i][:0]
		}
	}
	for i := range x.byObj {
		x.byObj[i] = cut(x.byObj[i], from)
	}
	for i := range x.byThread {
		x.byThread[i] = cut(x.byThread[i], from)
	}
	x.fires, x.reads, x.ends, x.daemons = cut(x.fires, from), cut(x.reads, from), cut(x.ends, from), cut(x.daemons, from)
}

// cut drops the entries >= from of an ascending list.
func cut(l []int, from int) []int {
	for len(l) > 0 && l[len(l)-1] >= from {
		l = l[:len(l)-1]
	}
	return l
}

func resetLists(l [][]int, n int) [][]int {
	l = slices.Grow(l[:0], n)[:n]
	for i := range l {
		l[i] = l[i][:0]
	}
	return l
}

// add indexes event k with signature g of thread index t.
func (x *eventIndex) add(k int, g *sig, t int) {
	if g.obj != sched.NoObject {
		if int(g.obj) >= len(x.byObj) {
			x.byObj = append(x.byObj, make([][]int, int(g.obj)+1-len(x.byObj))...)
		}
		x.byObj[g.obj] = append(x.byObj[g.obj], k)
	}
	x.byThread[t] = append(x.byThread[t], k)
	if g.thread == sched.ClockID {
		x.fires = append(x.fires, k)
	}
	if g.clockRead {
		x.reads = append(x.reads, k)
	}
	if g.ends {
		x.ends = append(x.ends, k)
	}
	if g.daemon {
		x.daemons = append(x.daemons, k)
	}
}

// candidates walks the earlier events that may be dependent with an
// event, newest first, each once: the lists lists returns, merged. The
// object's list is cut at its first write for which the walker calls
// cutObject (the clock covers it, hence every earlier access of the
// object, all of which happen before that write). Most events touch one
// object and nothing else: their single list is walked without a merge
// (nextOne, inlined).
type candidates struct {
	one   []int   // the single list left, when there is one: ascending
	onObj bool    // one is the object's list
	h     [][]int // else the lists left, each ascending; x's heads
	obj   int     // the object's list in h, -1: none or cut
	last  int     // the event merged returned last, -1
}

// candidates starts a walk of the events that may be dependent with g,
// whose fire wakes thread index woken (-1: none). The walk is x's: one
// at a time.
func (x *eventIndex) candidates(g *sig, woken int) *candidates {
	w := &x.walk
	if g.thread != sched.ClockID && !g.daemon && !g.ends && len(x.fires) == 0 {
		// lists would return the object's list alone, if any.
		if g.obj != sched.NoObject && int(g.obj) < len(x.byObj) {
			w.one = x.byObj[g.obj]
		} else {
			w.one = nil
		}
		w.onObj = true
		if w.h != nil {
			w.h = nil
		}
		return w
	}
	h, obj := x.lists(g, woken)
	if len(h) == 1 {
		w.one, w.onObj, w.h = h[0], obj == 0, nil
	} else {
		w.one, w.onObj, w.h, w.obj, w.last = nil, false, h, obj, -1
	}
	return w
}

// next returns the next candidate and whether it is on the object's
// list, or -1 when none is left.
func (w *candidates) next() (int, bool) {
	if j, onObj := w.nextOne(); j >= 0 || len(w.h) == 0 {
		return j, onObj
	}
	return w.merged()
}

// nextOne is next on a single list: -1 at its end or when there are
// several (merged then walks them).
func (w *candidates) nextOne() (int, bool) {
	k := len(w.one) - 1
	if k < 0 {
		return -1, false
	}
	j := w.one[k]
	w.one = w.one[:k]
	return j, w.onObj
}

// merged is next over several lists: the newest head, once.
func (w *candidates) merged() (int, bool) {
	for {
		best := -1 // none left, when w.h is empty
		for i, l := range w.h {
			if len(l) > 0 && (best < 0 || l[len(l)-1] > w.h[best][len(w.h[best])-1]) {
				best = i
			}
		}
		if best < 0 {
			return -1, false
		}
		j := w.h[best][len(w.h[best])-1]
		w.h[best] = w.h[best][:len(w.h[best])-1]
		if j != w.last {
			w.last = j
			return j, best == w.obj
		}
	}
}

// cutObject ends the object's list: the candidate next returned last,
// on it, covers the rest.
func (w *candidates) cutObject() {
	if w.onObj {
		w.one = nil
	} else if w.obj >= 0 {
		w.h[w.obj] = nil
	}
}

// lists returns the candidate lists a walk merges for g, empty ones left
// out (most events touch one object and nothing else, and their single
// list needs no merge), and the index of the object's list among them
// (-1: none). The slice is x's, valid until the next call.
func (x *eventIndex) lists(g *sig, woken int) ([][]int, int) {
	h := x.heads[:0]
	obj := -1
	if g.obj != sched.NoObject && int(g.obj) < len(x.byObj) && len(x.byObj[g.obj]) > 0 {
		obj = len(h)
		h = append(h, x.byObj[g.obj])
	}
	if g.thread == sched.ClockID {
		h = appendNonEmpty(h, x.reads)
		h = appendNonEmpty(h, x.ends)
		if woken >= 0 {
			h = appendNonEmpty(h, x.byThread[woken])
		}
	} else {
		h = appendNonEmpty(h, x.fires)
	}
	if g.daemon && g.thread != sched.ClockID {
		h = appendNonEmpty(h, x.ends)
	}
	if g.ends {
		h = appendNonEmpty(h, x.daemons)
	}
	return h, obj
}

// appendNonEmpty appends l to h unless it is empty.
func appendNonEmpty(h [][]int, l []int) [][]int {
	if len(l) == 0 {
		return h
	}
	return append(h, l)
}
