package explore

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// A race-driven top for optimal DPOR's partition (DPOR-NOTES §6.3(3)).
// The full expansion of part_prefix.go takes every option at a node of
// the top, where optimal DPOR takes two or three: on lastzero n=12 the
// eleven extra siblings of the first real choice cost 11,264
// sleep-set-blocked executions (+73%). Here the top is source-DPOR
// instead: a node of the top (an rtop) starts with its default branch,
// and takes another only when a race of some unit's execution asks for
// it. Units record such requests instead of dropping them at frozen
// nodes (dfs.requests: the initials of the race's reversal, or the
// disabled thread of a rule-B race, as source-DPOR's addBacktrack would
// take them), and the search runs in rounds: every open unit runs up to
// probeRuns more executions, then the requests of the round are applied
// in unit order (a node adds the first enabled initial of a request
// unless an initial is a branch already or asleep there, or a branch
// there is local), each new branch's prefixes become units, with the
// earlier branches done at the node, and the units just probed are cut
// one real choice point deeper while fewer than the target are open.
// Which units run how many executions in which round, the requests and
// the order they are applied in are functions of the program: the
// partition does not depend on the workers. Below the top, units are
// optimal DPOR with the top's sleep and done entries counting only as
// initials (unitDFS), as below a full expansion.

// request is a branch a race asks of a frozen node: one of inits must be
// explored there.
type request struct {
	at    int // the node's index in the path
	inits []sched.ThreadID
}

// requestLog is a unit's requests, each once, in the order made.
type requestLog struct {
	tops []*rtop // the top's nodes on the unit's path (item.at)
	list []request
	seen map[string]struct{}
	key  []byte
}

func (l *requestLog) add(at int, inits []sched.ThreadID) {
	l.key = binary.AppendUvarint(l.key[:0], uint64(at))
	for _, t := range inits {
		l.key = binary.AppendVarint(l.key, int64(t))
	}
	if _, ok := l.seen[string(l.key)]; ok {
		return
	}
	if l.seen == nil {
		l.seen = map[string]struct{}{}
	}
	l.seen[string(l.key)] = struct{}{}
	l.list = append(l.list, request{at: at, inits: slices.Clone(inits)})
}

// frozenRace records the request of the race of E[j], at a frozen node,
// with the event last (at index end, or appended): source-DPOR's initials
// of its reversal up to last.
func (d *dfs) frozenRace(tr []sched.Event, j, end int, c []uint32, last sig, nt int) {
	n := d.path[d.picks[j]]
	if len(n.options) < 2 {
		return
	}
	rs := &d.races
	tj := d.tidx(tr[j].Thread, nt)
	rs.v = rs.v[:0]
	for i := j + 1; i < end; i++ {
		if !rs.hb(j, rs.row(i), tj) {
			rs.v = append(rs.v, i)
		}
	}
	d.initials(tr, c, last, nt)
	if slices.Contains(rs.inits, last.thread) && !slices.Contains(n.options, last.thread) {
		return // last could not run before E[j]: the race is not reversible
	}
	if x := d.requests.tops[d.picks[j]]; x != nil {
		for b, t := range x.branches {
			if x.exact[b] && d.weakBranch(tr, t, x.sigs[b], last) {
				return
			}
		}
	}
	d.frozenRequest(d.picks[j], n, rs.inits)
}

// weakBranch reports whether thread t, whose step at the race's node is
// s, is a weak initial of the reversal rs.v then last whose initials are
// rs.inits: an initial, or a thread that does not occur in it and whose
// step is independent of all of it. The reversal's trace then starts with
// t's step too, and the units below t's branch explore it (or a sleeping
// thread's branch does).
func (d *dfs) weakBranch(tr []sched.Event, t sched.ThreadID, s sig, last sig) bool {
	rs := &d.races
	if slices.Contains(rs.inits, t) {
		return true
	}
	if t == last.thread || dependent(s, last) {
		return false
	}
	for _, i := range rs.v {
		if tr[i].Thread == t || dependent(s, rs.sigs[i]) {
			return false
		}
	}
	return true
}

// frozenDisabling records rule B's requests at E[k]'s frozen node.
func (d *dfs) frozenDisabling(tr []sched.Event, k int) {
	i := d.picks[k]
	n := d.path[i]
	if len(n.options) < 2 {
		return
	}
	var after []sched.ThreadID
	switch {
	case k+1 < len(tr):
		after = d.path[d.picks[k+1]].options
	case d.blocked:
		after = d.endOptions
	}
	for _, b := range n.options {
		if b != tr[k].Thread && !slices.Contains(after, b) {
			d.frozenRequest(i, n, []sched.ThreadID{b})
		}
	}
	if n.cancels && slices.Contains(n.options, sched.ClockID) {
		d.frozenRequest(i, n, []sched.ThreadID{sched.ClockID})
	}
}

// frozenRequest records inits at the frozen node n (path index i) unless
// the unit's copy of n shows it is met already: a branch taken there or
// a thread asleep there is among them, none is enabled there, or a
// branch there is local.
func (d *dfs) frozenRequest(i int, n *node, inits []sched.ThreadID) {
	if n.localBranch() {
		return
	}
	enabled := false
	for _, t := range inits {
		if t == n.cur || n.isDone(t) || n.asleep(t) {
			return
		}
		enabled = enabled || slices.Contains(n.options, t)
	}
	if enabled {
		d.requests.add(i, inits)
	}
}

// rtop is a node X of the race-driven top: the real scheduling point
// where the prefix of a unit that was cut deeper ended. Its branches are
// its default choice, then those requests add, in order.
type rtop struct {
	parent   *item // the unit cut: X is the first node below its prefix
	x        int   // X's index in the path
	options  []sched.ThreadID
	sleep    []entry
	branches []sched.ThreadID
	// sigs: each branch's step at X; exact: the step drew nothing and
	// disabled nothing (odporExact), so that its thread is a weak
	// initial of a reversal its step is independent of.
	sigs  []sig
	exact []bool
	local bool // a branch's step at X is local: no other is needed
	made  int  // branches whose prefixes were enumerated
	d     *dfs // the enumeration, at X's last branch made
	pc    *prefixChooser
}

// apply adds the branch a request asks for, as source-DPOR's
// addBacktrack does.
func (x *rtop) apply(inits []sched.ThreadID) {
	if x.local {
		return
	}
	for _, t := range inits {
		if slices.Contains(x.branches, t) || slices.ContainsFunc(x.sleep, func(e entry) bool { return e.t == t }) {
			return
		}
	}
	for _, t := range inits {
		if slices.Contains(x.options, t) {
			x.branches = append(x.branches, t)
			return
		}
	}
}

// next enumerates X's next branch: the prefixes from X's branch down to
// the next real scheduling point, one per value of the draws between,
// each a new unit, with X's earlier branches done at X. The first call
// takes X's default choice.
func (x *rtop) next(ctx context.Context, sc *sched.Scheduler, m Model) (out []*item, blocked int, steps int64, err error) {
	k := x.made
	x.made++
	d := x.d
	if d == nil {
		d = unitDFS(modeSleep, Unbounded, x.parent.pre)
		x.d, x.pc = d, &prefixChooser{d: d, split: realNodes(d.path) + 1}
	} else {
		n := d.path[x.x]
		n.done = append(n.done, entry{t: n.cur, s: n.sig, cut: n.branchCut, exact: odporExact(n)})
		n.branchCut = false
		n.cur = x.branches[k]
		d.changed = x.x
		d.depth, d.lastPick, d.picks, d.blocked = 0, -1, d.picks[:0], false
	}
	for i := 0; ; i++ {
		x.pc.stopped = false
		r := sc.Run(m.Program, x.pc)
		d.finishPrev(sc)
		if !x.pc.stopped {
			d.markEnd(r)
		}
		if d.err != nil {
			return nil, 0, 0, d.err
		}
		steps += int64(r.Steps)
		if k == 0 && i == 0 {
			if len(d.path) <= x.x {
				// X not reached (cannot happen below a unit that was not
				// finished): one unit, no branches.
				x.made = 1
				return []*item{x.child(copyPrefix(d, r), 0, 0)}, 0, steps, nil
			}
			n := d.path[x.x]
			x.options, x.sleep = slices.Clone(n.options), slices.Clone(n.sleep)
			x.branches = []sched.ThreadID{n.cur}
		}
		if len(d.path) > x.x {
			n := d.path[x.x]
			x.local = x.local || isLocal(n.sig)
			if i == 0 {
				x.sigs = append(x.sigs, n.sig)
				x.exact = append(x.exact, x.pc.stopped && !disablesAt(d, x.x, x.pc.options))
			} else {
				x.exact[k] = false // a draw: the step's signature depends on its value
			}
		}
		if x.pc.stopped && asleepForGood(d.path) {
			blocked++
		} else {
			out = append(out, x.child(copyPrefix(d, r), k, i))
		}
		d.frozen = x.x + 1 // the draws below X's branch
		more := d.nextBranch()
		d.frozen = x.x
		if !more {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, err
		}
	}
	return out, blocked, steps, nil
}

// disablesAt reports whether the step of node x of d's path disabled a
// thread or cancelled a deadline (a rule-B race there), or drew a value;
// stop holds the options where the execution stopped, after the path.
func disablesAt(d *dfs, x int, stop []sched.ThreadID) bool {
	n := d.path[x]
	after := stop
	if x+1 < len(d.path) {
		if d.path[x+1].draw {
			return true
		}
		after = d.path[x+1].options
	}
	for _, b := range n.options {
		if b != n.cur && !slices.Contains(after, b) {
			return true
		}
	}
	return n.cancels && slices.Contains(n.options, sched.ClockID)
}

// child makes the unit of prefix p, the i-th prefix of X's k-th branch.
func (x *rtop) child(p prefix, k, i int) *item {
	at := make([]*rtop, len(p.nodes))
	copy(at, x.parent.at)
	if x.x < len(at) {
		at[x.x] = x
	}
	order := append(slices.Clone(x.parent.order), k, i)
	return &item{pre: p, at: at, order: order, log: &requestLog{tops: at}}
}

// depth is the number of the top's nodes above the item.
func (it *item) depth() int {
	k := 0
	for _, x := range it.at {
		if x != nil {
			k++
		}
	}
	return k
}

// recordRounds, for the tests, keeps each round's executions per unit
// (partition.rounds), from which they simulate the workers' makespan.
var (
	recordRounds bool
	recorded     [][]roundChunk
)

// roundChunk is what one unit ran in one round (recordRounds).
type roundChunk struct {
	item  *item
	execs int
}

// roundsLevel finds the partition of an unbounded optimal DPOR search
// with the race-driven top, running its units round by round, and
// returns the level and this shard's units. Every shard runs every unit
// (the requests of all of them decide the partition) and reports its
// own: shards split no work of this search.
func (p *partition) roundsLevel(l int) (PartLevel, []Unit, error) {
	lv := PartLevel{Bound: Unbounded}
	items := []*item{{pre: prefix{}, log: &requestLog{}}}
	var tops []*rtop
	failAt := 0
	for round := 0; ; round++ {
		runs := roundRuns
		if round == 0 {
			runs = probeRuns * p.target // the root: a tree this small is not cut
		}
		before := make([]int, len(items))
		wanted := make([]bool, len(items))
		if err := p.runIf(items, l, Unbounded, runs, func(i int, it *item, failAt int) bool {
			before[i], wanted[i] = it.unit.Executions, !it.finished && i < failAt
			return wanted[i]
		}); err != nil {
			return lv, nil, err
		}
		var ran []roundChunk
		failAt = len(items)
		for i, it := range items {
			if wanted[i] {
				it.rounds++
				ran = append(ran, roundChunk{it, it.unit.Executions - before[i]})
			}
			if it.failed && failAt == len(items) {
				failAt = i
			}
		}
		if recordRounds {
			p.rounds = append(p.rounds, ran)
		}
		if p.stopped() {
			break
		}
		for i, it := range items {
			if i > failAt {
				break // stopped early: their last requests are dropped with them
			}
			for _, rq := range it.log.list[it.applied:] {
				if x := it.at[rq.at]; x != nil {
					x.apply(rq.inits)
				}
			}
			it.applied = len(it.log.list)
		}
		open := 0
		for i, it := range items {
			if !it.finished && i < failAt {
				open++
			}
		}
		var next []*item
		changed := false
		for i, it := range items {
			if open < p.target && it.rounds == 1 && !it.finished && i < failAt && it.depth() < maxRounds && it.d != nil {
				x := &rtop{parent: it, x: len(it.pre.nodes)}
				kids, blocked, steps, err := x.next(p.ctx, p.scheds[0], p.m)
				if err != nil {
					return lv, nil, err
				}
				lv.Blocked += blocked
				p.used.Add(int64(blocked))
				lv.Probed += it.unit.Executions
				lv.Steps += it.unit.Steps + steps
				tops = append(tops, x)
				next = append(next, kids...)
				changed = true
				continue
			}
			next = append(next, it)
		}
		for _, x := range tops {
			for x.made < len(x.branches) {
				kids, blocked, steps, err := x.next(p.ctx, p.scheds[0], p.m)
				if err != nil {
					return lv, nil, err
				}
				lv.Blocked += blocked
				p.used.Add(int64(blocked))
				lv.Steps += steps
				next = append(next, kids...)
				changed = true
			}
		}
		if changed {
			slices.SortStableFunc(next, func(a, b *item) int { return slices.Compare(a.order, b.order) })
			items = next
			failAt = len(items)
			for i, it := range items {
				if it.failed {
					failAt = i
					break
				}
			}
		}
		open = 0
		for i, it := range items {
			if !it.finished && i < failAt {
				open++
			}
		}
		if open == 0 {
			break
		}
	}
	lv.Prefixes = len(items)
	if recordRounds {
		recorded = p.rounds
	}
	var units []Unit
	for i, it := range items {
		if i <= failAt && p.mine(i) {
			it.unit.Index = i
			units = append(units, it.unit)
		}
	}
	p.part.Levels = append(p.part.Levels, lv)
	p.part.Units = append(p.part.Units, units...)
	return lv, units, nil
}
