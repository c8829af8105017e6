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
// nodes (dfs.requests: the initials of the race's reversal up to the
// racing event, or the disabled thread of a rule-B race, as source-DPOR's
// addBacktrack would take them). The search runs in rounds
// (part_rounds_run.go); when a round closes, its requests are applied in
// unit order (a node adds the first enabled initial of a request unless
// an initial is a branch already or asleep there, or a branch there is
// local), each new branch's prefixes become units, with the earlier
// branches done at the node, and the units just probed are cut one real
// choice point deeper while fewer than the target are open. Which units
// run which executions in which round, the requests and the order they
// are applied in are functions of the program: the partition does not
// depend on the workers. Below the top, units are optimal DPOR with the
// top's sleep and done entries counting only as initials (unitDFS), as
// below a full expansion.
//
// Why this keeps every trace: the top is source-DPOR with sleep sets,
// whose races are those of every execution of every unit (a unit's
// executions run through the top's nodes above it), so each node of the
// top takes, for every race there, a branch the race needs; below each
// branch, optimal DPOR with the top entries counted as initials explores
// every trace from it but those a sleeping thread starts, as below a
// full expansion. Optimal DPOR's weak initials are not used at the top:
// a request skipped because a branch of the node, or a thread asleep
// there, was a weak initial of its reversal lost traces (the sleeping
// threads 10,496 of lastzero n=12's 15,360; the branches, on a timed
// program whose units ran as source-DPOR, 50 of 4,553). Tested, not
// proved (TestPartitionMatchesSequential with its one complete execution
// per trace; TestPartitionODPORKeepsEveryTrace; TestRoundsKeepEveryTrace).

// request is a branch a race asks of a frozen node: one of inits must be
// explored there.
type request struct {
	at    int // the node's index in the path
	inits []sched.ThreadID
}

// requestLog is a unit's requests, each once, in the order made.
type requestLog struct {
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
func (d *dfs) frozenRace(tr []sched.Event, j, end int, c []uint32, last sig) {
	n := d.path[d.picks[j]]
	if len(n.options) < 2 || !d.sourceInitials(tr, n, j, end, c, last) {
		return
	}
	d.frozenRequest(d.picks[j], n, d.races.inits)
}

// frozenDisabling records rule B's requests at E[k]'s frozen node.
func (d *dfs) frozenDisabling(tr []sched.Event, k int) {
	i := d.picks[k]
	n := d.path[i]
	if len(n.options) < 2 {
		return
	}
	after := d.optionsAfter(tr, k)
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
	made     int  // branches whose prefixes were enumerated
	local    bool // a branch's step at X is local: no other is needed
	d        *dfs // the enumeration, at X's last branch made
	pc       *prefixChooser
	// A node a unit handed off (part_rounds_split.go): the wakeup
	// subtree of each handed branch, by branch index (nil: none), and
	// the round whose close makes their units.
	seeds []*wnode
	round int
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
				return []*item{x.child(copyPrefix(d, r), 0, 0)}, 0, steps, nil
			}
			n := d.path[x.x]
			x.options, x.sleep = slices.Clone(n.options), slices.Clone(n.sleep)
			x.branches = []sched.ThreadID{n.cur}
		}
		if len(d.path) > x.x && isLocal(d.path[x.x].sig) {
			x.local = true
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

// child makes the unit of prefix p, the i-th prefix of X's k-th branch.
func (x *rtop) child(p prefix, k, i int) *item {
	at := make([]*rtop, len(p.nodes))
	copy(at, x.parent.at)
	if x.x < len(at) {
		at[x.x] = x
	}
	order := append(slices.Clone(x.parent.order), k, i)
	if k < len(x.seeds) && x.seeds[k] != nil {
		p.seed = seedBelow(x.seeds[k], p.nodes[x.x+1:])
	}
	return &item{pre: p, at: at, order: order, log: &requestLog{}, handed: p.seed != nil}
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
