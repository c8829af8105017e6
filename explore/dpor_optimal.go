package explore

import (
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Optimal DPOR with wakeup trees (DPOR-NOTES §3), on the nodes, dependence,
// race detection and sleep sets of source-DPOR. Each scheduling node holds
// a wakeup tree (wut): ordered sequences of threads to run from its state.
// A new node follows the subtree of its parent's current branch, and takes
// the default choice only when that subtree is empty. After an execution,
// each race (j, e) found by the analysis of dpor_source.go gives the sequence v of
// the events after E[j] that do not happen after it, over the whole
// execution, then e (with its declared access: a failed CAS may succeed
// when reversed, unless it sees the same last write: resig); v is skipped
// when a thread asleep at E[j]'s node is a weak initial of v or a thread
// done there is an initial of v (§3.2, the sleep-set check of §3.4), and
// inserted into the node's wakeup tree otherwise. A sleep entry from the
// top of a partitioned search counts only as an initial (unitDFS). A done thread that does
// not occur in v and is only independent of it (a weak initial) counts
// only when its entry is exact (odporExact): its step from the node drew
// no random value (a draw changes the step's signature, and the entry
// keeps the last value's) and disabled nothing (no rule-B race at the
// node). A step that disables does not commute with v as independence
// says: in "timed acquire | draw; sleep", the acquire in time cancels its
// deadline, so below it the fire never runs, and the trace where the
// draw's step (it registers the sleep's deadline, dependent with the
// fire) precedes that fire is in no execution below the done acquire;
// counting it lost two of the six traces. Without the weak initials of
// done threads, "set; wait | wait" on an Event ran a sleep-set-blocked
// execution (TestODPORGeneratedRegressions). Rule B races (a thread
// disabled by an event, the clock when a deadline is cancelled) insert
// that thread with a signature dependent with everything.
//
// Draw nodes are not part of the trees: every value of a draw is followed
// by the same subtree. A new node takes over its parent's subtree without
// copying it (odporSubtree): nothing else reads it once the parent's
// branch has moved on, except a later value of a draw in between, which
// needs it as it was (those nodes take a copy). A tree entry whose
// thread is asleep or disabled where it is reached is dropped (counted in
// dfs.wutDropped; the tests assert it stays zero).

// wnode is a node of a wakeup tree: a thread, the signature of the event
// it runs first (as far as known), and the ordered subtree after it.
type wnode struct {
	t    sched.ThreadID
	s    sig
	kids []*wnode
}

// odporSubtree returns the wakeup tree of a new node below p, the last
// scheduling node of the path: the subtree after p's current branch. The
// node takes it over: it drops its first entries as they are explored,
// inserts reversals into it and records signatures in it, and nothing
// else reads it again. Insertion at p never descends into p's current
// branch (the racing event is p's, dependent with the reversed one), and
// p drops that branch when it is done. Only a draw node between p and the
// new node that has a value left re-extends the path from the same
// subtree, so then the node takes a copy.
func (d *dfs) odporSubtree(p *node) []*wnode {
	for _, n := range d.path[d.lastPick+1:] {
		if n.draw && n.value+1 < n.n {
			return cloneTree(p.curw.kids)
		}
	}
	return p.curw.kids
}

func cloneTree(ws []*wnode) []*wnode {
	if len(ws) == 0 {
		return nil
	}
	out := make([]*wnode, len(ws))
	for i, w := range ws {
		out[i] = &wnode{t: w.t, s: w.s, kids: cloneTree(w.kids)}
	}
	return out
}

// anySig is a signature dependent with every event of its thread's and
// every other (the pending operation of a thread a rule-B race reverses,
// which is not recorded).
func anySig(t sched.ThreadID) sig {
	return sig{thread: t, obj: sched.NoObject, woken: sched.NoThread, child: sched.NoThread, any: true}
}

// odporFirst picks the first entry of n's wakeup tree that can run at n,
// dropping the others before it, or reports false when none is left.
func (d *dfs) odporFirst(n *node) bool {
	for len(n.wut) > 0 {
		w := n.wut[0]
		if slices.Contains(n.options, w.t) && !n.asleep(w.t) && !n.isDone(w.t) {
			n.cur, n.curw = w.t, w
			return true
		}
		d.wutDropped++
		n.wut = n.wut[1:]
	}
	return false
}

// odporItem is the thread and signature of item x of the reversal: an
// index into the trace, or -1 for the racing event last.
func (d *dfs) odporItem(tr []sched.Event, x int, last sig) (sched.ThreadID, sig) {
	if x < 0 {
		return last.thread, last
	}
	return tr[x].Thread, d.races.sigs[x]
}

// odporPred reports whether item w of the reversal happens before item u
// (c: the clock of the racing event last within the reversal).
func (d *dfs) odporPred(w, u int, c []uint32, last sig) bool {
	rs := &d.races
	tw := int(rs.tid[w])
	if u < 0 {
		return rs.hb(w, c, tw) || dependentAt(&rs.sigs[w], &last)
	}
	return rs.hb(w, rs.row(u), tw)
}

// odporInitial reports whether the item at position p of items has no
// predecessor before it.
func (d *dfs) odporInitial(items []int, p int, c []uint32, last sig) bool {
	for _, w := range items[:p] {
		if d.odporPred(w, items[p], c, last) {
			return false
		}
	}
	return true
}

// odporFind returns the position of thread t's first item, or -1.
func (d *dfs) odporFind(tr []sched.Event, items []int, t sched.ThreadID, last sig) int {
	for p, x := range items {
		if th, _ := d.odporItem(tr, x, last); th == t {
			return p
		}
	}
	return -1
}

// weakInitial reports whether a thread q whose first event is s is a weak
// initial of the reversal: its first item there is an initial, or it does
// not occur and s is independent of every item.
func (d *dfs) weakInitial(tr []sched.Event, items []int, q sched.ThreadID, s sig, c []uint32, last sig) bool {
	if p := d.odporFind(tr, items, q, last); p >= 0 {
		return d.odporInitial(items, p, c, last)
	}
	for _, x := range items {
		if _, g := d.odporItem(tr, x, last); dependentAt(&g, &s) {
			return false
		}
	}
	return true
}

// initialOf reports whether thread t occurs in the reversal items and its
// first item there has no predecessor.
func (d *dfs) initialOf(tr []sched.Event, items []int, t sched.ThreadID, c []uint32, last sig) bool {
	p := d.odporFind(tr, items, t, last)
	return p >= 0 && d.odporInitial(items, p, c, last)
}

// odporRace handles the race of E[j] with last, whose reversal is rs.v
// (indices into tr) then last, with c last's clock within it.
func (d *dfs) odporRace(tr []sched.Event, j int, c []uint32, last sig) {
	rs := &d.races
	n := d.path[d.picks[j]]
	items := append(rs.items[:0], rs.v...)
	items = append(items, -1)
	rs.items = items
	for _, e := range n.sleep {
		if e.top && d.initialOf(tr, items, e.t, c, last) || !e.top && d.weakInitial(tr, items, e.t, e.s, c, last) {
			return
		}
	}
	for _, e := range n.done {
		if e.exact && d.weakInitial(tr, items, e.t, e.s, c, last) || d.initialOf(tr, items, e.t, c, last) {
			return
		}
	}
	d.odporInsert(&n.wut, tr, items, c, last)
}

// odporInsert inserts the reversal items into the tree kids (§3.2): it
// descends to the leftmost node compatible with it; at a leaf nothing is
// added, otherwise what is left of it becomes the last child.
func (d *dfs) odporInsert(kids *[]*wnode, tr []sched.Event, items []int, c []uint32, last sig) {
	// deps summarises the items once a sibling that does not occur in
	// them is met, until a pick consumes one of them.
	deps, stale := &d.races.deps, true
	for len(items) > 0 {
		var pick *wnode
		for _, w := range *kids {
			var p int
			if stale {
				p = d.odporFind(tr, items, w.t, last)
			} else {
				p = deps.first(w.t)
			}
			if p >= 0 {
				if d.odporInitial(items, p, c, last) {
					pick = w
					items = slices.Delete(items, p, p+1) // rs.items: scratch
					stale = true
					break
				}
				continue
			}
			if stale {
				d.odporDeps(deps, tr, items, last)
				stale = false
			}
			if !deps.dependent(w.s) {
				pick = w
				break
			}
		}
		if pick == nil {
			*kids = append(*kids, d.odporChain(tr, items, last))
			return
		}
		if len(pick.kids) == 0 {
			return
		}
		kids = &pick.kids
	}
}

// odporDeps fills deps with the events of the reversal items.
func (d *dfs) odporDeps(deps *depSet, tr []sched.Event, items []int, last sig) {
	deps.reset()
	for p, x := range items {
		_, g := d.odporItem(tr, x, last)
		deps.add(g, p)
	}
}

// odporDefault makes cur, a default choice, n's wakeup tree, without
// allocating: the entry lives in the node (only the node refers to it:
// insertion at n never descends into its current branch, so it stays a
// leaf), and the tree has capacity 1, so that an insertion at n
// reallocates it.
func (n *node) odporDefault(cur sched.ThreadID) {
	n.ownw = wnode{t: cur}
	n.curw = &n.ownw
	n.ownSlot[0] = n.curw
	n.wut = n.ownSlot[:1:1]
}

// odporChain returns the reversal items as a chain of tree nodes, each
// the only child of the one before, allocated in two blocks. Each kids
// slice has capacity 1, so that a later insertion below a node of the
// chain reallocates it instead of writing over the next node's slot.
func (d *dfs) odporChain(tr []sched.Event, items []int, last sig) *wnode {
	ws := make([]wnode, len(items))
	ptrs := make([]*wnode, len(items))
	for i, x := range items {
		ws[i].t, ws[i].s = d.odporItem(tr, x, last)
		ptrs[i] = &ws[i]
		if i > 0 {
			ws[i-1].kids = ptrs[i : i+1 : i+1]
		}
	}
	return ptrs[0]
}

// odporDisabled inserts the rule-B reversal "b first" at n.
func (d *dfs) odporDisabled(n *node, b sched.ThreadID) {
	if n.asleep(b) || n.isDone(b) {
		return
	}
	for _, w := range n.wut {
		if w.t == b {
			return
		}
	}
	n.wut = append(n.wut, &wnode{t: b, s: anySig(b)})
}

// resig recomputes the access of the racing event E[k] in the reversal of
// its race with E[j] (DPOR-NOTES §3.4), given last, its signature with the
// declared access. An event whose executed access is weaker than the
// declared one (a failed CAS or try-acquire: a read) does the same in the
// reversal when it sees the same state of its object there: when the last
// write to the object before it in E is also before it in the reversal
// (before E[j], or after it without happening after it), or there is none.
// Every change of an object's state is a write, so the writes before an
// event decide what it sees. Otherwise the declared access stays.
func (d *dfs) resig(tr []sched.Event, j, k int, last sig, nt int) sig {
	rs := &d.races
	if k < 0 || rs.sigs[k].access >= last.access || last.obj == sched.NoObject {
		return last
	}
	w := k - 1
	for w >= 0 && (tr[w].Obj != last.obj || rs.sigs[w].access != sched.Write) {
		w--
	}
	if w < j || (w > j && !rs.hb(j, rs.row(w), d.tidx(tr[j].Thread, nt))) {
		last.access = rs.sigs[k].access
	}
	return last
}

// odporExact reports whether the step of n's current branch makes an
// exact done entry: it drew no random value (the draws of a step change
// its signature, and the done entry keeps the last value's) and disabled
// nothing (no rule-B race at n).
func odporExact(n *node) bool { return !n.disables && !n.draws }

// markDraws records at each scheduling node of the execution whether its
// step drew a random value: a draw node follows it on the path.
func (d *dfs) markDraws() {
	for _, i := range d.picks {
		d.path[i].draws = i+1 < len(d.path) && d.path[i+1].draw
	}
}
