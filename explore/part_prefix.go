package explore

import (
	"context"
	"fmt"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// A partitioned search (part_workers.go) cuts the search tree at a depth d
// counted in real choice points (a scheduling point with two or more
// options, or a draw of two or more values): the top of the tree, the
// choice points before the d-th, is explored with full expansion and
// sleep sets (modeSleep; modeNaive for naive search), so that the set of
// prefixes reaching depth d, and each one's sleep set, is a function of
// the program alone. Each prefix is then a unit: a search (DPOR, optimal
// DPOR, naive or bounded) from the end of the prefix, which never goes
// back into it. Full expansion explores every branch of the top that a
// sequential DPOR could add, and the sleep sets of the top are those of a
// depth-first search that explores the prefixes in order, so the units
// together find every trace the sequential search finds, and exactly one
// complete execution per trace when the search below is DPOR or optimal
// DPOR; the price is the sleep-set-blocked executions the top's full
// expansion adds (the partition's overhead).

// prefix is one unit's path: copies of the nodes of the top of the tree
// down to the split depth, with the sleep sets and finished siblings they
// had when the enumeration reached them. An execution that ended before
// the split depth (or failed) is a prefix too: its unit runs it alone.
type prefix struct {
	nodes []node
	// decisions are the decisions the prefix took at real choice points,
	// which name it in reports ("prefix 12: 1.0.2").
	decisions []int
	// seed, when set, is the wakeup subtree an optimal DPOR unit follows
	// first below the prefix: what a unit handed off
	// (part_rounds_split.go). It becomes the current entry of the
	// prefix's last scheduling node, whose kids the node below takes.
	seed *wnode
}

// topLevel is what the enumeration of one level's prefixes found: the
// prefixes in depth-first order, and the branches the bound cut and the
// executions sleep sets blocked in the top of the tree (counted once in
// the report, whatever the shard).
type topLevel struct {
	prefixes []prefix
	cut      int
	blocked  int
	steps    int64
}

// prefixChooser runs a dfs, stopping each execution at the first real
// scheduling point from the split depth on. It never stops at a draw: the
// step before a draw is not over until its thread declares its next
// operation (what it reads in between, the clock say, is part of it), and
// the top's sleep sets need its whole event; a draw at the split depth is
// enumerated by the top, each value its own prefix.
type prefixChooser struct {
	d       *dfs
	split   int
	stopped bool
}

func (p *prefixChooser) Choose(c *sched.Choice) int {
	if c.Kind == sched.PickThread && c.N > 1 && p.d.depth >= len(p.d.path) && realNodes(p.d.path) >= p.split {
		p.stopped = true
		return sched.Stop
	}
	return p.d.Choose(c)
}

// realNodes counts the real choice points among path nodes.
func realNodes(path []*node) int {
	k := 0
	for _, n := range path {
		if n.draw || len(n.options) > 1 {
			k++
		}
	}
	return k
}

// topMode is the mode that expands the top of the tree of a search in md.
func topMode(md mode) mode {
	if md == modeNaive {
		return modeNaive
	}
	return modeSleep
}

// children lists the prefixes one real choice point below p (p empty:
// the root), in depth-first order, for a search in mode md with
// preemption bound bound (-1: none): the top of the tree is expanded
// fully with sleep sets. Under a bound every finished sibling of the top
// counts as cut (kept out of the sleep sets), since whether the bound cut
// its subtree is known only below: this keeps the prefixes a function of
// the program.
func children(ctx context.Context, sc *sched.Scheduler, m Model, md mode, bound int, p prefix) (*topLevel, error) {
	top := &topLevel{}
	d := unitDFS(topMode(md), bound, p)
	pc := &prefixChooser{d: d, split: realNodes(d.path) + 1}
	for {
		pc.stopped = false
		r := sc.Run(m.Program, pc)
		d.finishPrev(sc)
		if !pc.stopped {
			d.markEnd(r) // the end of the program is dependent with fires and daemons
		}
		if d.err != nil {
			return nil, d.err
		}
		if d.blocked || (pc.stopped && md != modeNaive && asleepForGood(d.path)) {
			top.blocked++
			top.steps += int64(r.Steps)
		} else {
			top.prefixes = append(top.prefixes, copyPrefix(d, r))
		}
		if bound >= 0 {
			for _, n := range d.path {
				n.branchCut = true
			}
		}
		if !d.nextBranch() {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	top.cut = d.cuts
	return top, nil
}

// asleepForGood reports whether the search below path, a prefix the top
// stopped at the split, starts with a thread asleep that no step can wake:
// the thread's step from where it fell asleep is a start (of a thread not
// yet running), which touches no object, reads no clock and waits for
// nothing, so it is dependent with no step of another thread (dpor_dep.go).
// Every execution below then ends sleep-set blocked, the thread never
// running; every trace through the prefix has that start as a weak
// initial and lies below the sibling that took it. So the prefix makes
// no unit: its execution counts as blocked. On lastzero this drops the
// siblings of main's thirteen starts, which the full expansion adds and
// optimal DPOR never takes.
func asleepForGood(path []*node) bool {
	for i := len(path) - 1; i >= 0; i-- {
		if n := path[i]; !n.draw {
			return slices.ContainsFunc(n.sleep, inertStart) ||
				slices.ContainsFunc(n.done, func(e entry) bool { return !e.cut && inertStart(e) })
		}
	}
	return false
}

// inertStart reports whether e's step is a start no step of another
// thread is dependent with.
func inertStart(e entry) bool {
	g := e.s
	return g.child != sched.NoThread && g.obj == sched.NoObject && !g.clockRead && !g.ends && !g.daemon && !g.any &&
		g.thread != sched.ClockID && g.woken == sched.NoThread
}

// copyPrefix copies the path of the execution r that the enumeration
// just ran or stopped.
func copyPrefix(d *dfs, r *sched.Result) prefix {
	p := prefix{nodes: make([]node, len(d.path)), decisions: append([]int(nil), r.Decisions...)}
	for i, n := range d.path {
		p.nodes[i] = node{
			nodeLists: nodeLists{options: append([]sched.ThreadID(nil), n.options...),
				sleep: append([]entry(nil), n.sleep...), done: append([]entry(nil), n.done...)},
			nodeState: nodeState{draw: n.draw, n: n.n, value: n.value, cur: n.cur, prev: n.prev,
				prevEnabled: n.prevEnabled, preempt: n.preempt}}
	}
	return p
}

// unitDFS returns a dfs whose path is the prefix p, frozen. The sleep
// and done entries of the prefix are marked as the top's: optimal DPOR
// below it counts such an entry against a reversal only when its thread
// is an initial of the reversal, as source-DPOR does, not when it is a
// mere weak initial. Sequential optimal DPOR may skip the reversal then
// because the sequence leading around the sleeping thread was inserted
// above, from a race of an earlier sibling; in a partitioned search that
// race targets a prefix node and is dropped (the top's full expansion
// takes every first step, but not the sequence after it). With the weak
// rule, "r(x) | r(x) | w(x) | r(x)" lost the trace where only the first
// reader sees the write (TestPartitionODPORBelowSleep).
func unitDFS(md mode, bound int, p prefix) *dfs {
	d := newDFS(md, bound)
	for i := range p.nodes {
		n := d.alloc()
		*n = p.nodes[i]
		n.options = append([]sched.ThreadID(nil), n.options...)
		n.sleep = topEntries(n.sleep)
		n.done = topEntries(n.done)
		if !n.draw {
			n.todo = []sched.ThreadID{n.cur}
		}
		d.path = append(d.path, n)
	}
	d.frozen = len(d.path)
	if p.seed != nil {
		for i := len(d.path) - 1; i >= 0; i-- {
			if !d.path[i].draw {
				d.path[i].curw = p.seed
				break
			}
		}
	}
	return d
}

// topEntries copies the sleep or done entries of a prefix node, marked
// as the top's.
func topEntries(es []entry) []entry {
	out := make([]entry, len(es))
	for i, e := range es {
		e.top = true
		out[i] = e
	}
	return out
}

// prefixName names a prefix by its decisions, "1.0.2" ("-": none).
func prefixName(decisions []int) string {
	if len(decisions) == 0 {
		return "-"
	}
	s := ""
	for i, x := range decisions {
		if i > 0 {
			s += "."
		}
		s += fmt.Sprint(x)
	}
	return s
}
