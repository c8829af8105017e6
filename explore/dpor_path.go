package explore

import (
	"fmt"
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// mode selects how the depth-first search expands a node.
type mode uint8

const (
	// modeDPOR: source-DPOR with sleep sets (dpor_source.go): a node explores its
	// backtrack set, grown by race analysis after each execution.
	modeDPOR mode = iota
	// modeNaive: every enabled option, no sleep sets: all interleavings.
	modeNaive
	// modeSleep: every enabled option, with sleep sets, where a sibling
	// whose subtree a preemption bound cut is kept out of the sleep set
	// (DPOR-NOTES §4.3 baseline).
	modeSleep
	// modeODPOR: optimal DPOR: a node follows its wakeup tree, grown by
	// race analysis after each execution (dpor_optimal.go).
	modeODPOR
)

// entry is a sleep-set or done entry: a thread and the event it executes
// first from the node (cut: its subtree had a branch cut by the bound).
type entry struct {
	t   sched.ThreadID
	s   sig
	cut bool
	// exact (ODPOR, done entries): s is the thread's step from the node
	// in every execution below it, and the step disables nothing (see
	// odporExact).
	exact bool
	// top: the entry comes from the top of a partitioned search's tree
	// (part_prefix.go), whose full expansion gave its branch no wakeup
	// sequence: optimal DPOR counts it against a reversal only when its
	// thread is an initial of the reversal (odporRace).
	top bool
}

// node is one choice point of the current path: a scheduling point (one
// per event, forced ones included) or a draw. Its lists outlive it: a
// released node keeps them, emptied, for its next use (release).
type node struct {
	nodeLists
	nodeState
}

// nodeLists are a node's lists.
type nodeLists struct {
	options []sched.ThreadID
	sleep   []entry // inherited sleep set
	done    []entry
	todo    []sched.ThreadID // DPOR backtrack set, cur and done included
}

// nodeState is the rest of a node.
type nodeState struct {
	draw        bool
	n, value    int // draw: number of values and current value
	cur         sched.ThreadID
	prev        sched.ThreadID // thread of the previous step
	prevEnabled bool
	wut         []*wnode // ODPOR wakeup tree; wut[0] is curw
	curw        *wnode
	preempt     int  // preemptions on the path before this node
	branchCut   bool // the current branch's subtree had a cut
	// Per execution: the event index, the executed event, the declared
	// access of cur's operation and whether it could block.
	step     int
	sig      sig
	declared sched.Access
	blocking bool
	timed    bool           // cur's operation has a timeout
	joins    sched.ThreadID // the thread a join waits for, or NoThread
	cancels  bool           // cur has a deadline its step cancels
	// ODPOR, per execution: cur's step disabled another thread or a
	// deadline (a rule-B race), or drew a random value.
	disables, draws bool
	// ODPOR: the default choice's tree entry, and the tree holding it
	// (odporDefault).
	ownw    wnode
	ownSlot [1]*wnode
}

func (n *node) asleep(t sched.ThreadID) bool {
	return slices.ContainsFunc(n.sleep, func(e entry) bool { return e.t == t })
}

func (n *node) isDone(t sched.ThreadID) bool {
	return slices.ContainsFunc(n.done, func(e entry) bool { return e.t == t })
}

// localBranch reports whether n explored, or is exploring, a thread whose
// step there was local (isLocal): that thread alone is a persistent set at
// n, so n needs no other branch. A local step α of thread u touches no
// object, reads no clock, starts no thread, and u is no daemon: α commutes
// with every step the other threads can take from n, no step disables it
// (it waits for nothing, and the program waits for u), so every execution
// from n is equivalent to one that takes α first, which u's branch
// explores (DPOR-NOTES §7.2's persistent sets; with ForgetLog, the prints
// of lost-update-threads n=5 sleep=0 made source-DPOR run 14,654
// executions for its 14,400 traces: every branch explored after the
// print's had the print asleep for good and ended sleep-set blocked).
func (n *node) localBranch() bool {
	if slices.ContainsFunc(n.done, func(e entry) bool { return isLocal(e.s) }) {
		return true
	}
	return n.step >= 0 && isLocal(n.sig)
}

// isLocal reports whether an event is local to its thread: it touches no
// object (a yield, a draw, a print nothing reads), reads no clock, starts
// no thread, and its thread is no daemon.
func isLocal(g sig) bool {
	return g.obj == sched.NoObject && !g.clockRead && g.child == sched.NoThread &&
		g.thread != sched.ClockID && !g.daemon && !g.any && !g.ends
}

// preempts reports whether choosing t here is a preemption.
func (n *node) preempts(t sched.ThreadID) bool { return n.prevEnabled && t != n.prev }

// dfs is a depth-first search over the executions of one model. It is the
// Chooser of every execution it runs: it replays the path's decisions,
// then extends the path with default choices (decision 0 whenever the
// candidate allows it) until the execution ends; nextBranch then moves to
// the next unexplored branch.
type dfs struct {
	mode  mode
	bound int // preemption bound, -1 for none
	path  []*node
	free  []*node
	// per execution
	depth      int
	lastPick   int // path index of the last scheduling node, -1
	picks      []int
	blocked    bool             // stopped early: all candidates asleep or cut
	endOptions []sched.ThreadID // options where it stopped
	err        error
	cuts       int
	changed    int // path index of the node the current branch changed
	races      raceScratch
	wutDropped int // ODPOR: wakeup-tree entries asleep or disabled where reached
	// cancelling: a step of some execution so far cancelled its thread's
	// deadline (node.cancels, set by visit, which every node meets before
	// a later execution replays it): before that, cancelRaces has no work.
	cancelling bool
	// frozen is the number of leading path nodes a partitioned search's
	// prefix fixed (part_workers.go): nextBranch does not go back into them
	// and races do not add branches to them (the prefix enumeration
	// expands them fully).
	frozen int
	// requests, when set, records the branches races ask of frozen nodes
	// (a race-driven top, part_rounds.go).
	requests *requestLog
	// replay is the number of leading steps of the next execution the
	// scheduler may take without asking (ReplaySteps); synced: the
	// execution's first call, or its end, brought picks, lastPick and
	// depth up to the step it came at (sync).
	replay int
	synced bool
	// ranOn is the scheduler of the last execution, whose steps the next
	// one may replay only on it: a partitioned search's unit may move
	// between workers (sync).
	ranOn *sched.Scheduler
}

func newDFS(m mode, bound int) *dfs {
	return &dfs{mode: m, bound: bound, lastPick: -1}
}

func (d *dfs) Choose(c *sched.Choice) int {
	d.sync(c.Sched, c.Step)
	if c.Kind == sched.Draw {
		return d.chooseDraw(c)
	}
	d.finishPrev(c.Sched)
	if d.depth < len(d.path) {
		return d.replayPick(c)
	}
	return d.extendPick(c)
}

func (d *dfs) chooseDraw(c *sched.Choice) int {
	if c.N <= 1 {
		return 0
	}
	if d.depth < len(d.path) {
		n := d.path[d.depth]
		d.depth++
		if !n.draw || n.n != c.N {
			return d.diverged(c, "a draw of %d values where the path has another choice", c.N)
		}
		return n.value
	}
	n := d.alloc()
	n.draw, n.n, n.value = true, c.N, 0
	d.path = append(d.path, n)
	d.depth++
	return 0
}

func (d *dfs) diverged(c *sched.Choice, format string, args ...any) int {
	if d.err == nil {
		d.err = notDeterministic("at step %d, %s", c.Step, fmt.Sprintf(format, args...))
	}
	return sched.Stop
}

// finishPrev records the executed event of the last scheduling node.
func (d *dfs) finishPrev(s *sched.Scheduler) {
	d.sync(s, len(s.Trace()))
	if d.lastPick < 0 {
		return
	}
	n := d.path[d.lastPick]
	tr := s.Trace()
	if n.step >= len(tr) {
		return
	}
	e := &tr[n.step]
	daemon := isDaemonEvent(e, s)
	if d.lastPick < d.changed-1 && d.err == nil && !n.sig.isEvent(e, daemon) {
		// A node before the branch point replays what it did last time.
		d.err = notDeterministic("step %d (%s) differs from an earlier execution with the same decisions",
			n.step, e.Op)
	}
	n.sig.setEvent(e, daemon)
	if n.curw != nil {
		n.curw.s = n.sig
	}
}

func (d *dfs) visit(c *sched.Choice, i int) int {
	n := d.path[i]
	n.step = c.Step
	n.declared, n.blocking, n.timed, n.joins, n.cancels = sched.Write, false, false, sched.NoThread, false
	if n.cur != sched.ClockID {
		th := c.Sched.Thread(n.cur)
		op := th.Pending()
		n.declared, n.blocking, n.timed, n.joins = op.Access, op.Wait != nil, op.Timed, joinTarget(op)
		_, n.cancels = th.Deadline()
		d.cancelling = d.cancelling || n.cancels
	}
	d.picks = append(d.picks, i)
	d.lastPick = i
	d.depth = i + 1
	return c.Decision(n.cur)
}

func (d *dfs) replayPick(c *sched.Choice) int {
	n := d.path[d.depth]
	if n.draw || !slices.Equal(n.options, c.Options) {
		return d.diverged(c, "the enabled threads %v differ from %v on the path", c.Options, n.options)
	}
	return d.visit(c, d.depth)
}

// extendPick adds a node for a new scheduling point and takes its default
// candidate, or stops the execution when none is left.
func (d *dfs) extendPick(c *sched.Choice) int {
	n := d.alloc()
	n.options = append(n.options[:0], c.Options...)
	n.prev, n.prevEnabled = c.Current, c.CurrentEnabled
	if d.lastPick >= 0 {
		p := d.path[d.lastPick]
		n.preempt = p.preempt
		if p.preempts(p.cur) {
			n.preempt++
		}
		if d.mode != modeNaive {
			n.sleep = childSleep(n.sleep[:0], p)
		}
	}
	if d.mode == modeODPOR && d.lastPick >= 0 {
		if p := d.path[d.lastPick]; p.curw != nil && len(p.curw.kids) > 0 {
			n.wut = d.odporSubtree(p)
			if d.odporFirst(n) {
				n.todo = append(n.todo[:0], n.cur)
				d.path = append(d.path, n)
				return d.visit(c, len(d.path)-1)
			}
		}
	}
	cur, ok := d.firstCandidate(n, c.Default())
	if !ok {
		d.blocked = true
		d.endOptions = append(d.endOptions[:0], c.Options...)
		d.countCuts(n, len(d.path))
		d.release(n)
		return sched.Stop
	}
	d.countCuts(n, len(d.path))
	n.cur = cur
	n.todo = append(n.todo[:0], cur)
	if d.mode == modeODPOR {
		n.odporDefault(cur)
	}
	d.path = append(d.path, n)
	return d.visit(c, len(d.path)-1)
}

// childSleep is the sleep set below p after its current event: p's sleep
// set and finished siblings (those not cut), minus the entries dependent
// with that event.
func childSleep(dst []entry, p *node) []entry {
	for i := range p.sleep {
		if e := &p.sleep[i]; !dependentAt(&e.s, &p.sig) || mutKeepSleep {
			dst = append(dst, *e)
		}
	}
	for i := range p.done {
		if e := &p.done[i]; (!e.cut || mutSleepAfterCut) && (!dependentAt(&e.s, &p.sig) || mutKeepSleep) {
			dst = append(dst, *e)
		}
	}
	return dst
}

// allowed reports whether choosing t at n stays within the bound.
func (d *dfs) allowed(n *node, t sched.ThreadID) bool {
	return d.bound < 0 || !n.preempts(t) || n.preempt < d.bound
}

func (d *dfs) candidate(n *node, t sched.ThreadID) bool {
	return !n.isDone(t) && (d.mode == modeNaive || !n.asleep(t)) && d.allowed(n, t)
}

func (d *dfs) firstCandidate(n *node, def sched.ThreadID) (sched.ThreadID, bool) {
	if d.candidate(n, def) {
		return def, true
	}
	for _, t := range n.options {
		if d.candidate(n, t) {
			return t, true
		}
	}
	return sched.NoThread, false
}

// countCuts counts the options of a new node the bound excludes, and marks
// every ancestor's current branch as cut.
func (d *dfs) countCuts(n *node, depth int) {
	if d.bound < 0 {
		return // every option is allowed
	}
	cut := 0
	for _, t := range n.options {
		if !d.allowed(n, t) && (d.mode == modeNaive || !n.asleep(t)) {
			cut++
		}
	}
	if cut == 0 {
		return
	}
	d.cuts += cut
	for _, p := range d.path[:depth] {
		p.branchCut = true
	}
}

// nextBranch moves to the next unexplored branch, deepest first, and
// reports whether there is one.
func (d *dfs) nextBranch() bool {
	d.depth, d.lastPick, d.blocked, d.synced, d.replay = 0, -1, false, false, 0
	for len(d.path) > d.frozen {
		n := d.path[len(d.path)-1]
		if n.draw {
			if n.value+1 < n.n {
				n.value++
				d.branchAt(len(d.path) - 1)
				return true
			}
		} else {
			n.done = append(n.done, entry{}) // filled in place: see sig.setEvent
			e := &n.done[len(n.done)-1]
			e.t, e.s, e.cut, e.exact = n.cur, n.sig, n.branchCut, odporExact(n)
			n.branchCut = false
			if d.mode == modeODPOR {
				n.wut = n.wut[1:]
				if d.odporFirst(n) {
					d.branchAt(len(d.path) - 1)
					return true
				}
			} else if t, ok := d.nextThread(n); ok {
				n.cur = t
				d.branchAt(len(d.path) - 1)
				return true
			}
		}
		d.path = d.path[:len(d.path)-1]
		d.release(n)
	}
	return false
}

// branchAt notes that the next execution changes the branch of path node
// i: its steps at the nodes before i (and before the first draw node)
// take the decisions the last execution took there, which the scheduler
// may replay without asking (ReplaySteps).
func (d *dfs) branchAt(i int) {
	d.changed = i
	for j, n := range d.path[:i] {
		if n.draw {
			i = j
			break
		}
	}
	d.replay, _ = slices.BinarySearch(d.picks, i) // picks ascend
}

// ReplaySteps returns the number of leading steps of the next execution
// that replay the last one's, if that one ran on s (sched.Replayer).
func (d *dfs) ReplaySteps(s *sched.Scheduler) int {
	if s != d.ranOn {
		return 0
	}
	return d.replay
}

// sync brings the state of the execution's walk along the path (picks,
// lastPick, depth) to step k, the step of the first call of the chooser
// or the end of the execution: the steps before k replayed the last
// execution's, at the same nodes, without asking (ReplaySteps). The
// scheduler has checked that their options and events were the same,
// except the last step's event, which finishPrev checks.
func (d *dfs) sync(s *sched.Scheduler, k int) {
	if d.synced {
		return
	}
	d.synced, d.ranOn = true, s
	d.picks = d.picks[:k]
	d.lastPick, d.depth = -1, 0
	if k > 0 {
		d.lastPick = d.picks[k-1]
		d.depth = d.lastPick + 1
	}
}

func (d *dfs) nextThread(n *node) (sched.ThreadID, bool) {
	list := n.options
	if d.mode == modeDPOR {
		if len(n.done) >= len(n.todo) {
			// Every branch of the backtrack set is done: each done entry
			// is a branch taken from it, once.
			return sched.NoThread, false
		}
		if n.localBranch() && !mutNoLocalBranch {
			return sched.NoThread, false
		}
		list = n.todo
	}
	for _, t := range list {
		if d.candidate(n, t) {
			return t, true
		}
	}
	return sched.NoThread, false
}

func (d *dfs) alloc() *node {
	if k := len(d.free); k > 0 {
		n := d.free[k-1]
		d.free = d.free[:k-1]
		return n
	}
	return &node{}
}

func (d *dfs) release(n *node) {
	// The lists emptied in place (a slice of itself stores its length
	// alone), the rest zeroed.
	n.options, n.sleep, n.done, n.todo = n.options[:0], n.sleep[:0], n.done[:0], n.todo[:0]
	n.nodeState = nodeState{}
	d.free = append(d.free, n)
}

// joinTarget returns the thread a join operation waits for, or NoThread.
func joinTarget(op sched.Op) sched.ThreadID {
	if u, ok := op.Wait.(*sched.Thread); ok {
		return u.ID()
	}
	return sched.NoThread
}

// markEnd marks the last event of an execution that ended normally as the
// end of the program.
func (d *dfs) markEnd(r *sched.Result) {
	if d.lastPick >= 0 && !d.blocked && !r.Interrupted() {
		d.path[d.lastPick].sig.ends = true
	}
}
