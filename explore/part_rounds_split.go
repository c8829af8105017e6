package explore

import "slices"

// Hand-offs: a unit of optimal DPOR's rounds (part_rounds_run.go) that
// is still running after splitRuns executions gives the pending branches
// of its first choice point away, as work stealing would, but at a point
// fixed by the program. At the end of one of its chunks (in round v), a
// unit U whose first real scheduling node X below its prefix has wakeup
// tree entries after the current branch c (n.wut[1:]: W1 ... Wk, with
// threads t1 ... tk) hands them off:
//   - X becomes a node of the race-driven top (an rtop), with branches X's
//     done threads, c, t1 ... tk, in that order, and X's sleep set;
//   - U keeps c's subtree alone: X is frozen in U (U's search ends when
//     c's subtree is done), and the races U's later executions find at X
//     are requests to the top, as at every frozen node;
//   - at the close of round v, the top enumerates the branches t1 ... tk
//     as it does requested ones (one unit per prefix down to the next real
//     choice point, with the earlier branches done at X), and each unit
//     of branch ti starts by following Wi's subtree (prefix.seed), as the
//     sequential search would have followed it from X: what optimal DPOR
//     found to explore there, without the sleep-set-blocked executions
//     a branch source-DPOR's rules add at the top costs.
// The decision reads U's own state after its chunk, which depends on
// U's prefix alone, and the new units are made at the close of U's
// round, so the partition stays a function of the program.
//
// Why this keeps every trace. Before the hand-off X is a node of optimal
// DPOR in U: every trace from X's state is equivalent to one starting
// with a done thread of X (explored), with c, or with a thread of the
// wakeup tree, or with a thread asleep at X (DPOR-NOTES §3: what X's
// done branches and races have inserted so far, and what races below c
// would insert later). After it, X's done branches and c's subtree are
// explored by U as before; each Wi becomes a top branch whose unit runs
// optimal DPOR below ti from X's state, which explores every trace from
// there but those a sleeping thread starts, whatever sequence it follows
// first (the seed only orders its first executions; the top's entries
// count only as initials below it, unitDFS). What the hand-off changes is
// where the reversals found later at X go: those of c's subtree and of
// the ti's subtrees, which optimal DPOR would insert into X's tree (into
// a pending Wi, or as a new entry), are requests to the top instead,
// applied by source-DPOR's rule (an initial of the reversal is a branch
// of X or asleep at X, else the first enabled initial becomes a branch):
// the rule of every node of the top, sound with sleep sets as
// source-DPOR is, since every branch's subtree is explored by a unit.
// The nodes between U's prefix and X are forced (a single option, or a
// draw at its last value: splitNode), so freezing them loses no branch
// and no race can ask them for one (the reversal of a race at a forced
// node has no enabled initial there). Tested, not proved
// (TestHandOffMatchesSequential on generated untimed programs,
// TestRoundsMatchSequential with small splitRuns and probes,
// TestHandOffKeepsEveryTrace, TestHandOffAfterBranchChange).

// splitRuns is the number of executions after which a unit hands off
// the pending branches of its first choice point (0: never, the
// default). Off, because the top's source-DPOR rule costs more than the
// balance gains: on lastzero n=12, where optimal DPOR would insert the
// requests that U's and the handed units' later races make at X into
// the handed subtrees (a handed thread is a weak initial of them), the
// top adds a branch for each, whose units are mostly sleep-set blocked:
// 20,565 executions (5,041 blocked) at splitRuns 256, 19,621 (4,097) at
// 2,048, against 15,525 without. Applying optimal DPOR's rules at X
// instead (whole reversals: a started later branch that is a weak
// initial covers the request, a branch a request appends starts once
// the earlier branches' units have ended, with their wakeup trees
// complete, and its units count X's earlier branches as weak sleepers,
// not top entries) gave lastzero n=12 15,525 executions in 5 units,
// 2 workers 1.95x in the simulation, but lost traces of generated
// programs (391 of 394); without the weak sleepers it kept them and the
// blocked executions both. What is missing is optimal DPOR's insertion
// below a branch whose units already run, which needs those units to
// take reversals at points fixed by the rounds. A variable for the tests.
var splitRuns = 0

// recordedHandOffs counts the hand-offs while recordRounds is set.
var recordedHandOffs int

// splitNode returns the path index of d's first real scheduling node
// below its frozen prefix, or -1 when a choice point with branches left
// comes first (a draw before its last value) or there is none.
func splitNode(d *dfs) int {
	for i := d.frozen; i < len(d.path); i++ {
		n := d.path[i]
		switch {
		case n.draw && n.value+1 < n.n:
			return -1
		case n.draw || len(n.options) < 2:
			continue
		}
		return i
	}
	return -1
}

// handOff hands off the pending wakeup subtrees of it's first choice
// point, at the end of its chunk of round v, if it has run splitRuns
// executions and has some; the top's node is enumerated at the close of
// round v.
func (rr *roundRun) handOff(it *item, v int) {
	d := it.d
	if splitRuns <= 0 || d == nil || d.mode != modeODPOR || it.unit.Executions < splitRuns || it.depth() >= maxRounds {
		return
	}

	xi := splitNode(d)
	if xi < 0 || len(d.path[xi].wut) < 2 || d.changed <= xi {
		// None, or X's current branch has just changed (nextBranch): its
		// step has not run, and X's event is still its last branch's,
		// which the current branch's done entry would take.
		return
	}
	n := d.path[xi]
	x := &rtop{x: xi, options: slices.Clone(n.options), sleep: slices.Clone(n.sleep), round: v}
	for _, e := range n.done {
		x.branches = append(x.branches, e.t)
	}
	x.branches = append(x.branches, n.cur)
	x.made = len(x.branches)
	x.seeds = make([]*wnode, x.made, x.made+len(n.wut)-1)
	for _, w := range n.wut[1:] {
		x.branches = append(x.branches, w.t)
		x.seeds = append(x.seeds, w)
	}
	x.local = n.localBranch()
	pre := pathPrefix(d.path[:xi+1], it.pre.decisions)
	x.d = unitDFS(modeSleep, Unbounded, pre)
	x.d.frozen = xi
	x.pc = &prefixChooser{d: x.d, split: realNodes(x.d.path[:xi]) + 1}
	at := make([]*rtop, xi+1)
	copy(at, it.at)
	at[xi] = x
	// X's units take their places in depth-first order from U's as it is
	// now (U may hand off again before they are made).
	x.parent = &item{pre: pre, at: at, order: it.order}
	// U keeps c's subtree: X and the forced nodes above it are frozen,
	// and U's place is c's, before the handed branches'.
	n.wut = n.wut[:1]
	d.frozen = xi + 1
	it.at = at
	it.order = append(slices.Clone(it.order), x.made-1)
	it.pre = pre // a fallback to source-DPOR restarts below c
	rr.handed = append(rr.handed, x)
	if recordRounds {
		recordedHandOffs++
	}
}

// pathPrefix copies path as a unit's prefix, as copyPrefix does, with
// each node's event (the top's enumeration checks that the nodes before
// its branch replay them).
func pathPrefix(path []*node, decisions []int) prefix {
	p := prefix{nodes: make([]node, len(path)), decisions: decisions}
	for i, n := range path {
		p.nodes[i] = node{
			nodeLists: nodeLists{options: slices.Clone(n.options), sleep: slices.Clone(n.sleep), done: slices.Clone(n.done)},
			nodeState: nodeState{draw: n.draw, n: n.n, value: n.value, cur: n.cur, prev: n.prev,
				prevEnabled: n.prevEnabled, preempt: n.preempt, sig: n.sig}}
	}
	return p
}

// seedBelow returns a copy of the wakeup subtree w (the entry of a handed
// branch at X) as seen from the last scheduling node of below, the
// forced nodes and draws down to the next real choice point: each forced
// node's step is the one child it can have there. Nil when the tree has
// nothing below.
func seedBelow(w *wnode, below []node) *wnode {
	for i := range below {
		if below[i].draw {
			continue
		}
		j := slices.IndexFunc(w.kids, func(k *wnode) bool { return k.t == below[i].cur })
		if j < 0 {
			return nil
		}
		w = w.kids[j]
	}
	if len(w.kids) == 0 {
		return nil
	}
	return &wnode{t: w.t, s: w.s, kids: cloneTree(w.kids)}
}

// registerHandOffs adds the nodes handed off in rounds up to v to the
// top, in unit order, so that close(v) makes their units.
func (rr *roundRun) registerHandOffs(v int) {
	var now []*rtop
	rr.handed = slices.DeleteFunc(rr.handed, func(x *rtop) bool {
		if x.round <= v {
			now = append(now, x)
			return true
		}
		return false
	})
	slices.SortStableFunc(now, func(a, b *rtop) int { return slices.Compare(a.parent.order, b.parent.order) })
	rr.tops = append(rr.tops, now...)
}
