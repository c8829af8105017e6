package explore

import (
	"slices"

	"github.com/threadsim/threadsim/sched"
)

// Race analysis of source-DPOR (DPOR-NOTES §2.3-§2.5), run once after each
// execution, sleep-set-blocked ones included; the clocks of the prefix
// shared with the previous execution are kept.
//
// Happens-before is computed with one vector clock per event over the
// dependence relation of dpor_dep.go; a start happens before the child's first
// event. For each event e, every dependent predecessor not yet covered by
// e's clock is a direct race; the candidates come from an index (dpor_index.go)
// by object, clock and daemon. For an operation that can block (it has a
// Waiter: acquire, join, ...) every uncovered dependent predecessor counts,
// not only the direct one, which over-approximates rule A (the acquire
// races with the previous holder's acquire, not only with the release that
// enabled it); such a race is dropped when it cannot be reversed: a join
// against the exit of the thread it joins, an untimed lock acquire against
// an access where the lock was held (heldAt), or an operation already
// pending and disabled at E[i] whose enabler is E[i] or happens after it.
// For a race (i, e) the reversing sequence v is the events after E[i] that
// do not happen after it, then e (with its declared access: a failed CAS
// may succeed when reversed); e is an initial of v unless its own thread
// is in v or it is dependent with an event of v (the races merged into
// e's clock do not count: they follow E[i] and are not in the reversal);
// some initial of v that is enabled at E[i]'s node
// is added to its backtrack set unless an initial is already in it or
// asleep there, or e's own thread is an initial that is disabled there.
//
// Rule B (disabling): when an event disables another thread's pending
// operation (a thread enabled before it is not after it, the end of the
// execution disabling everything), that thread is added at the event's
// node; so is the clock when a step cancels its thread's deadline (a
// timed operation completing in time), even when another deadline keeps
// the clock enabled. Rule C and failures: when an execution ends (not
// sleep-set blocked), each unfinished thread's pending operation is
// treated as an event appended to the execution and raced with every
// uncovered dependent event, which finds the lock acquired "too late" of
// a deadlock and the orders a failure cut short.
type raceScratch struct {
	vc       []uint32 // len(trace) rows of width
	width    int
	analyzed int // events analysed in the last execution
	seq      []int
	tid      []int32 // each event's thread index (tidx)
	last     []int   // last event index of each thread, -1
	start    []int   // start event of each thread, -1
	sigs     []sig
	clk      []uint32
	pre      []uint32 // an event's clock from its own thread only
	v        []int
	seen     []sched.ThreadID
	inits    []sched.ThreadID
	racing   []int
	index    eventIndex
	objects  []sched.ObjectInfo
	items    []int       // odpor: a reversal, -1 for the racing event
	deferred []raceLater // odpor: races whose reversal needs the whole execution
	dclk     []uint32    // odpor: their clocks, one row of width each
	deps     depSet      // odpor: what is left of a reversal being inserted
	final    bool        // odpor: the deferred races are being handled
}

// raceLater is a race of optimal DPOR, analysed once every event's clock
// is known: E[j] against last, whose clock within the reversal is c.
type raceLater struct {
	j, k int // k: the racing event's index, -1 for a pending operation
	c    int // the clock's offset in raceScratch.dclk
	last sig
}

func (d *dfs) tidx(t sched.ThreadID, nthreads int) int {
	if t == sched.ClockID {
		return nthreads
	}
	return int(t)
}

// tidxOrNone is tidx, or -1 for NoThread.
func (d *dfs) tidxOrNone(t sched.ThreadID, nt int) int {
	if t == sched.NoThread {
		return -1
	}
	return d.tidx(t, nt)
}

// analyze runs race analysis on the finished execution r.
func (d *dfs) analyze(s *sched.Scheduler, r *sched.Result) {
	tr := r.Trace
	if len(d.picks) != len(tr) {
		return // not deterministic: reported by the chooser
	}
	rs := &d.races
	nt := s.NumThreads()
	from := d.reusable(len(tr), nt+1)
	rs.keepDeferred(from)
	rs.reset(len(tr), nt+1, from)
	rs.objects = r.Objects
	if from == 0 {
		rs.index.reset(len(r.Objects), nt+1)
	} else {
		rs.index.truncate(len(r.Objects), from)
	}
	for t, l := range rs.index.byThread {
		if len(l) > 0 {
			rs.last[t] = l[len(l)-1]
		}
	}
	for k := from; k < len(tr); k++ {
		d.analyzeEvent(s, tr, k, nt, k == len(tr)-1 && !d.blocked && !r.Interrupted())
	}
	if !mutNoRuleB {
		d.disablingRaces(tr, max(from-1, 0))
		if d.mode == modeDPOR && d.cancelling {
			d.cancelRaces(tr)
		}
	}
	if d.mode == modeODPOR {
		d.markDraws()
	}
	if !d.blocked && !mutNoRuleC {
		d.pendingRaces(s, r, nt)
	}
	rs.final = true
	for _, x := range rs.deferred {
		d.race(tr, x.j, len(tr), rs.dclk[x.c:x.c+rs.width], d.resig(tr, x.j, x.k, x.last, nt))
	}
	rs.final = false
}

// reusable returns the number of leading events whose analysis the last
// execution already did: the events before the node where this branch
// left the previous path (and before the event a changed draw belongs
// to), provided the clocks kept have the same width and fit.
func (d *dfs) reusable(n, width int) int {
	rs := &d.races
	if width != rs.width || cap(rs.vc) < n*width || cap(rs.seq) < n || cap(rs.tid) < n || cap(rs.sigs) < n {
		return 0
	}
	k, _ := slices.BinarySearch(d.picks[:min(n, rs.analyzed)], d.changed-1) // picks ascend
	return k
}

// keepDeferred keeps the deferred races (odpor) of the first keep
// events, whose analysis is reused: what they race with, and the clocks,
// depend only on the events up to them. They are in event order, the
// pending operations' races (k < 0) last.
func (rs *raceScratch) keepDeferred(keep int) {
	n := 0
	for n < len(rs.deferred) && rs.deferred[n].k >= 0 && rs.deferred[n].k < keep {
		n++
	}
	off := len(rs.dclk)
	if n < len(rs.deferred) {
		off = rs.deferred[n].c
	}
	rs.deferred, rs.dclk = rs.deferred[:n], rs.dclk[:off]
}

// reset sizes the buffers for n events of the given width, keeping the
// clocks of the first keep events.
func (rs *raceScratch) reset(n, width, keep int) {
	rs.width, rs.analyzed = width, n
	rs.vc = slices.Grow(rs.vc[:keep*width], (n-keep)*width)[:n*width]
	clear(rs.vc[keep*width:])
	rs.seq = slices.Grow(rs.seq[:keep], n-keep)[:n]
	rs.tid = slices.Grow(rs.tid[:keep], n-keep)[:n]
	rs.sigs = slices.Grow(rs.sigs[:keep], n-keep)[:n]
	rs.last = slices.Grow(rs.last[:0], width)[:width]
	if keep == 0 {
		rs.start = slices.Grow(rs.start[:0], width)[:width]
	}
	for i := range width {
		rs.last[i] = -1
		if rs.start[i] >= keep {
			rs.start[i] = -1 // started by an event analysed again
		}
	}
	rs.clk = slices.Grow(rs.clk[:0], width)[:width]
	rs.pre = slices.Grow(rs.pre[:0], width)[:width]
}

func (rs *raceScratch) row(k int) []uint32 {
	w := rs.width
	return rs.vc[k*w : k*w+w]
}

// hb reports whether event j happens before a point whose clock is c.
func (rs *raceScratch) hb(j int, c []uint32, tj int) bool { return int(c[tj]) > rs.seq[j] }

// hbAt is hb(j, rs.row(i), tj): whether event j happens before event i.
func (rs *raceScratch) hbAt(j, i, tj int) bool { return int(rs.vc[i*rs.width+tj]) > rs.seq[j] }

// initClock sets c to thread t's clock before its next event.
func (rs *raceScratch) initClock(c []uint32, t int) {
	switch {
	case rs.last[t] >= 0:
		copy(c, rs.row(rs.last[t]))
	case rs.start[t] >= 0:
		copy(c, rs.row(rs.start[t]))
	default:
		clear(c)
	}
}

func (d *dfs) analyzeEvent(s *sched.Scheduler, tr []sched.Event, k, nt int, ends bool) {
	rs := &d.races
	e := &tr[k]
	t := d.tidx(e.Thread, nt)
	node := d.path[d.picks[k]]
	g := &rs.sigs[k]
	*g = node.sig // recorded by finishPrev
	g.ends = ends
	rs.tid[k] = int32(t)
	seq := 0
	if p := rs.last[t]; p >= 0 {
		seq = rs.seq[p] + 1
	}
	rs.seq[k] = seq
	c := rs.row(k)
	rs.initClock(c, t)
	c[t] = uint32(seq + 1)
	blocking := node.blocking && !mutNoRuleA
	pendingFrom := rs.pendingFrom(t)
	rs.racing = rs.racing[:0]
	for w := rs.index.candidates(g, d.tidxOrNone(g.woken, nt)); ; {
		j, onObj := w.nextOne()
		if j < 0 {
			if len(w.h) == 0 {
				break // the single list is done
			}
			if j, onObj = w.merged(); j < 0 {
				break
			}
		}
		tj := int(rs.tid[j])
		if tj != t && !rs.hb(j, c, tj) && dependentAt(&rs.sigs[j], g) {
			// A race c does not cover: its clock joins c unless e is
			// blocking (its races are then all the uncovered ones).
			rs.racing = append(rs.racing, j)
			if !blocking {
				joinClock(c, rs.row(j))
			}
		}
		if onObj && rs.sigs[j].access == sched.Write && rs.hb(j, c, tj) {
			w.cutObject()
		}
	}
	rs.index.add(k, g, t)
	if blocking {
		for _, j := range rs.racing {
			joinClock(c, rs.row(j)) // the others joined c as they were found
		}
	}
	last := *g
	last.access = max(last.access, node.declared) // a failed CAS may succeed when reversed
	if d.mode == modeODPOR {
		// Reversed, e may see another state and run other local code
		// after it, which may read the clock where e's did not: a
		// try-acquire that fails reads the time after it, one that
		// succeeds after its release. The wakeup sequence must order e
		// after the fires before it, so it assumes a read, as a pending
		// operation's signature does (pendingSig). Without it optimal
		// DPOR took "try first" as equivalent to "fire first" and lost
		// two outcomes of TestODPORTimedKeepsOutcomes's program.
		last.clockRead = true
	}
	if len(rs.racing) > 0 {
		// In a reversal e follows only the events of v it depends on, and
		// its own thread's past: not the races merged into c.
		rs.initClock(rs.pre, t)
		rs.pre[t] = c[t]
	}
	for _, j := range rs.racing {
		if node.blocking && !node.timed && d.heldAt(tr, j, k) {
			continue
		}
		if !node.blocking || d.reversible(tr, j, k, e.Thread, node.joins, pendingFrom) {
			d.race(tr, j, k, rs.pre, last)
		}
	}
	rs.last[t] = k
	if e.Child != sched.NoThread {
		rs.start[d.tidx(e.Child, nt)] = k
	}
}

// pendingFrom returns the first event index at which thread t's next
// operation was already pending: just after its previous event, or after
// its start.
func (rs *raceScratch) pendingFrom(t int) int {
	switch {
	case rs.last[t] >= 0:
		return rs.last[t] + 1
	case rs.start[t] >= 0:
		return rs.start[t] + 1
	}
	return 0
}

// heldAt reports whether the untimed acquire E[k] of a Lock or RLock was
// disabled just before E[j], another access to the lock: E[j] is a release
// (a release of a free lock fails, which would have ended the execution
// there), or the last access before E[j] that changed the lock was a
// successful acquire (untimed, or a try that wrote), by any thread for a
// Lock and by another thread for an RLock. The events between that do not
// happen after E[j] do not touch the lock (all its accesses are dependent
// with E[j]), so the acquire could not run before E[j]: the race is not
// reversible (DPOR-NOTES §1.5, §2.4 rule A; the race with the holder's
// outermost acquire, which the clock does not cover either, is the one
// to reverse).
func (d *dfs) heldAt(tr []sched.Event, j, k int) bool {
	rs := &d.races
	o := tr[k].Obj
	if o == sched.NoObject || tr[j].Obj != o || int(o) >= len(rs.objects) || mutNoRuleA || tr[k].Op != "acquire" {
		return false
	}
	kind := rs.objects[o].Kind
	if kind != "Lock" && kind != "RLock" {
		return false
	}
	if tr[j].Op == "release" {
		return true
	}
	l := rs.index.byObj[o]
	x := len(l) - 1
	for x >= 0 && l[x] >= j {
		x--
	}
	for ; x >= 0; x-- {
		p := l[x]
		if tr[p].Access != sched.Write {
			continue // locked(), a failed try: no change
		}
		taken := tr[p].Op == "acquire(nowait)" || (tr[p].Op == "acquire" && !d.path[d.picks[p]].timed)
		return taken && (kind == "Lock" || tr[p].Thread != tr[k].Thread)
	}
	return false
}

// reversible tells whether a blocking operation of thread t, pending since
// event pendingFrom and run at event k (or pending at the end, k < 0), may
// race with E[j]: not when E[j] is the exit of the thread it joins; not
// when it was already pending and disabled at E[j] and the event that
// last enabled it is E[j] or happens after it (the race is then not
// reversible, DPOR-NOTES §1.7). An enabler independent of E[j] (a fire
// that the reversal can move first) keeps the race. When the operation was
// declared after E[j], the race is kept: a spurious one costs at most a
// sleep-set-blocked run.
func (d *dfs) reversible(tr []sched.Event, j, k int, t, joins sched.ThreadID, pendingFrom int) bool {
	if tr[j].Thread == joins {
		return false
	}
	if j < pendingFrom || slices.Contains(d.path[d.picks[j]].options, t) {
		return true
	}
	if k < 0 {
		return false
	}
	m := k // the first event from which t stayed enabled up to k
	for m > j && slices.Contains(d.path[d.picks[m-1]].options, t) {
		m--
	}
	en := m - 1 // the enabler
	return en > j && !d.races.hb(j, d.races.row(en), int(d.races.tid[j]))
}

func joinClock(c, w []uint32) {
	c = c[:len(w)]
	for i, x := range w {
		c[i] = max(c[i], x)
	}
}

// race adds a backtrack point for reversing E[j] and the event last (at
// index end, or appended when end == len(tr)), whose clock is c.
func (d *dfs) race(tr []sched.Event, j, end int, c []uint32, last sig) {
	rs := &d.races
	if d.picks[j] < d.frozen {
		// A prefix node: every branch there is some unit's, or, in a
		// race-driven top (part_rounds.go), the race requests one.
		if d.requests != nil {
			d.frozenRace(tr, j, end, c, last)
		}
		return
	}
	if d.mode == modeODPOR && !rs.final {
		// The reversal runs over the whole execution: analysed at the end.
		k := end
		if end >= len(tr) {
			k = -1
		}
		rs.deferred = append(rs.deferred, raceLater{j: j, k: k, c: len(rs.dclk), last: last})
		rs.dclk = append(rs.dclk, c...)
		return
	}
	n := d.path[d.picks[j]]
	if d.mode == modeODPOR {
		d.reversal(j, end)
		if !slices.Contains(n.options, last.thread) && d.lastInitial(tr, c, last) {
			return // last could not run before E[j]: the race is not reversible
		}
		d.odporRace(tr, j, c, last)
		return
	}
	if !d.sourceInitials(tr, n, j, end, c, last) {
		return
	}
	if mutRacingThread {
		rs.inits = append(rs.inits[:0], last.thread)
	}
	addBacktrack(n, rs.inits)
}

// reversal sets rs.v to the events after E[j] and before end that do not
// happen after E[j]: the reversing sequence of a race of E[j], before its
// racing event.
func (d *dfs) reversal(j, end int) {
	rs := &d.races
	tj := int(rs.tid[j])
	rs.v = rs.v[:0]
	for i := j + 1; i < end; i++ {
		if !rs.hbAt(j, i, tj) {
			rs.v = append(rs.v, i)
		}
	}
}

// sourceInitials sets rs.v and rs.inits to the reversal of the race of
// E[j], at node n, with the event last (at index end, or appended; its
// clock is c) and its initials, as source-DPOR takes them, and reports
// whether the race is reversible: not when last's thread is an initial
// that is not enabled at n (last could not run before E[j]).
func (d *dfs) sourceInitials(tr []sched.Event, n *node, j, end int, c []uint32, last sig) bool {
	d.reversal(j, end)
	d.initials(tr, c, last)
	return !slices.Contains(d.races.inits, last.thread) || slices.Contains(n.options, last.thread)
}

// initials fills rs.inits with the threads whose first event in v (rs.v
// then last) has no predecessor in v, in v order.
func (d *dfs) initials(tr []sched.Event, c []uint32, last sig) {
	rs := &d.races
	rs.seen, rs.inits = rs.seen[:0], rs.inits[:0]
	for x, u := range rs.v {
		t := tr[u].Thread
		if slices.Contains(rs.seen, t) {
			continue
		}
		rs.seen = append(rs.seen, t)
		init := true
		for _, w := range rs.v[:x] {
			if rs.hbAt(w, u, int(rs.tid[w])) {
				init = false
				break
			}
		}
		if init {
			rs.inits = append(rs.inits, t)
		}
	}
	if slices.Contains(rs.seen, last.thread) {
		return
	}
	for _, w := range rs.v {
		if rs.hb(w, c, int(rs.tid[w])) || dependentAt(&rs.sigs[w], &last) {
			return
		}
	}
	rs.inits = append(rs.inits, last.thread)
}

// lastInitial reports whether last's thread is among the initials that
// initials would find: its first event in v has no predecessor in v, or
// it has none in v and last has none there.
func (d *dfs) lastInitial(tr []sched.Event, c []uint32, last sig) bool {
	rs := &d.races
	for x, u := range rs.v {
		if tr[u].Thread != last.thread {
			continue
		}
		for _, w := range rs.v[:x] {
			if rs.hbAt(w, u, int(rs.tid[w])) {
				return false
			}
		}
		return true
	}
	for _, w := range rs.v {
		if rs.hb(w, c, int(rs.tid[w])) || dependentAt(&rs.sigs[w], &last) {
			return false
		}
	}
	return true
}

// addBacktrack adds to n's backtrack set the first initial enabled at n,
// unless an initial is already there or asleep, or n explores a local step
// (localBranch).
func addBacktrack(n *node, inits []sched.ThreadID) {
	if n.localBranch() && !mutNoLocalBranch {
		return
	}
	for _, t := range inits {
		if slices.Contains(n.todo, t) || n.asleep(t) {
			return
		}
	}
	for _, t := range inits {
		if slices.Contains(n.options, t) {
			n.todo = append(n.todo, t)
			return
		}
	}
}

// disablingRaces applies rule B: a thread enabled before an event and not
// after it (the event disabled it, or ended the execution) goes into the
// backtrack set of the event's node. The events before from, and their
// successors' options, are those of an execution analysed before: their
// races are already in place (addBacktrack is idempotent).
func (d *dfs) disablingRaces(tr []sched.Event, from int) {
	for k := from; k < len(tr); k++ {
		if d.picks[k] < d.frozen {
			if d.requests != nil {
				d.frozenDisabling(tr, k)
			}
			continue // a prefix node: as in race
		}
		n := d.path[d.picks[k]]
		n.disables = false
		if !n.cancels && k+1 < len(tr) && slices.Equal(n.options, d.path[d.picks[k+1]].options) {
			continue // the step disabled no thread (most do not)
		}
		after := d.optionsAfter(tr, k)
		for _, b := range n.options {
			if b != tr[k].Thread && !slices.Contains(after, b) {
				d.backtrackOne(n, b)
			}
		}
		if n.cancels && slices.Contains(n.options, sched.ClockID) {
			// The step completes before its deadline and cancels it: the
			// fire of that deadline, possibly after earlier ones, is
			// disabled although the clock may stay enabled.
			d.backtrackOne(n, sched.ClockID)
		}
	}
}

// optionsAfter returns the threads enabled after E[k]: the options of the
// next node, or at the end those of a sleep-set-blocked execution's last
// state (none when the execution ended).
func (d *dfs) optionsAfter(tr []sched.Event, k int) []sched.ThreadID {
	switch {
	case k+1 < len(tr):
		return d.path[d.picks[k+1]].options
	case d.blocked:
		return d.endOptions
	}
	return nil
}

// cancelRaces completes rule B for a step that cancels its deadline.
// disablingRaces asks for the clock at the step's node; when the clock is
// asleep there, the fire first is covered, but not a trace in which
// steps concurrent with the canceller, some of them dependent with the
// fire (a read of the time), run first and the fire after them, before
// the canceller. So the disabled fire races with the canceller as a
// pending event would: the node also takes an initial of the steps after
// the canceller that do not happen after it, followed by the fire (as
// race does). The fire's signature is the most dependent it can have
// (the canceller's object, written). Every event is analysed again, not
// only the new ones: the steps after the canceller change from one
// execution to the next.
func (d *dfs) cancelRaces(tr []sched.Event) {
	for k := range tr {
		if !d.path[d.picks[k]].cancels {
			continue
		}
		fire := sig{thread: sched.ClockID, obj: depObject(tr[k].Obj, sched.Write), access: sched.Write,
			clockRead: true, woken: tr[k].Thread, child: sched.NoThread}
		d.race(tr, k, len(tr), d.races.row(k), fire)
	}
}

// backtrackOne schedules thread b first at n (a rule-B race).
func (d *dfs) backtrackOne(n *node, b sched.ThreadID) {
	n.disables = true
	if d.mode == modeODPOR {
		d.odporDisabled(n, b)
		return
	}
	addBacktrack(n, []sched.ThreadID{b})
}

// pendingRaces applies rule C and its extension to failures: the pending
// operation of every unfinished thread is raced, as an appended event,
// with every dependent event its thread's clock does not cover.
func (d *dfs) pendingRaces(s *sched.Scheduler, r *sched.Result, nt int) {
	rs := &d.races
	failing := sched.NoThread
	if r.Failure != nil {
		failing = r.Failure.Thread
	}
	for id := range nt {
		t := sched.ThreadID(id)
		th := s.Thread(t)
		if t == failing || th.Finished() {
			continue
		}
		op := th.Pending()
		ps := pendingSig(t, op, th.Daemon())
		rs.initClock(rs.clk, id)
		from, joins := rs.pendingFrom(id), joinTarget(op)
		end := len(r.Trace)
		for w := rs.index.candidates(&ps, -1); ; {
			j, onObj := w.next()
			if j < 0 {
				break
			}
			tj := int(rs.tid[j])
			if tj != id && !rs.hb(j, rs.clk, tj) && dependentAt(&rs.sigs[j], &ps) &&
				d.reversible(r.Trace, j, -1, t, joins, from) {
				d.race(r.Trace, j, end, rs.clk, ps)
			}
			if onObj && rs.sigs[j].access == sched.Write && rs.hb(j, rs.clk, tj) {
				w.cutObject()
			}
		}
	}
}
