package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// Prediction: stateful search without running the model where the
// transition cache already knows what each step does.
//
// The fingerprint is a sum of components, one per thread and object and
// one for the program (sched/state.go), and the transition cache
// (state_transcache.go) knows, for a step it has seen, its thread's and object's
// components after it from the two before (and, for a step that started
// threads or created objects, their components too). Everything else the
// search reads at a scheduling point follows from components:
//   - a thread's pending step (its object, access, whether the thread is a
//     daemon, exiting, finished or waiting for a deadline) is part of its
//     component, since its local code is a function of its history;
//   - whether a thread is enabled follows from its component and its
//     pending step's object's (the contract of sched.Waiter).
//
// So the search keeps the components of the state at its path's last
// frame (the shadow), with a view of each thread (its pending step and
// whether it is enabled), and learns, at each scheduling point an
// execution reaches, every thread's pending step by its component and
// whether it is enabled by the pair. From a frame whose shadow it holds,
// it follows a cached step by replacing two components (appending the new
// ones), updates the views of the threads the step can have changed (its
// own, new ones, those pending on its object), derives the options of the
// state reached, and stores, meets or pushes that state exactly as an
// execution would have (state_search.go's arrive). It goes on depth-first
// through derived states and runs the model only for what it cannot
// derive: a step never run, a component or pair never seen, a draw, the
// clock among the options, a state on the path (a cycle: the execution
// reports it), the end of the program or a deadlock (the execution
// reports its outcome or failure), the step limit, and a data race to
// report. On popping a frame, the shadow goes back through the step that
// led to it when the cache could learn that step (sframe.narrow), or to a
// copy kept of the frame's shadow (keep); otherwise it waits for the next
// execution.
//
// Derived states are the states executions would reach, so the search
// stores, meets and explores the same states in the same order with
// prediction or without (TestStatefulMatchesNaive compares with exact
// states, which do not predict). An execution that later runs through a
// predicted frame checks its options (Choose), and verifyPredictions
// (tests) runs every prediction and checks each frame's fingerprint and
// options' records against the execution
// (TestTransitionCachePredictsTheState, with three mutations it catches).
//
// Learning costs a few map operations a state. A model whose histories
// never repeat (a loop counting messages) never meets a step twice: when
// the number of scheduling points the search learned from reaches a power
// of two from predictFrom on, and it predicted fewer than one state for
// each eight, it stops learning and predicting for the rest of its run and
// drops what it learned (a count of the search's own work, so the same on
// every machine; never in verify mode).

// pendInfo is what a thread component says of its thread.
type pendInfo struct {
	sig      sig  // optionSig of its pending step
	prints   bool // its step prints: invisible once the log is forgotten
	data     bool // its step reads or writes a Data object: a race candidate
	starts   bool // its step starts a thread
	joins    bool // its step is an untimed join: invisible once enabled
	exits    bool // its step is its exit: invisible while exits are (stateSearch.exits)
	finished bool
	waiting  bool // a deadline is pending: the clock is an option
	always   bool // its step does not block: enabled unless finished
}

// optInfo is what the search records of one option at a new state.
type optInfo struct {
	sig                     sig
	pre                     transKey
	invisible, data, starts bool
}

// point is a scheduling point to enter: its options, as a Choice gives
// them (Decision needs only Options, Current and CurrentEnabled), and one
// optInfo per option.
type point struct {
	choice           *sched.Choice
	step             int
	infos            []optInfo
	threads, objects int
}

// prediction is what predict did with a frame's current option.
type prediction uint8

const (
	mustRun   prediction = iota // an execution must run it
	predMet                     // it leads to a stored state with nothing new to explore
	predFrame                   // it leads to a state whose frame is now the path's last
)

// maxLearned bounds the pending-step and enabledness tables.
const maxLearned = 1 << 21

// predictFrom is how many scheduling points the search learns from before
// it first judges whether predicting pays; it judges again at each power
// of two.
const predictFrom = 1 << 12

// livePoint reads the options of the scheduling point an execution is at.
func (s *stateSearch) livePoint(c *sched.Choice) point {
	sc := c.Sched
	infos := s.infos[:0]
	for _, id := range c.Options {
		in := optInfo{sig: optionSig(sc, id)}
		if id != sched.ClockID {
			in.invisible, in.data, in.starts = s.invisible(sc, id), accessesData(sc, id), sc.Starts(id)
			if s.cache != nil && !s.cache.off {
				in.pre.thread, in.pre.object = sc.Components(id, in.sig.obj)
			}
		}
		infos = append(infos, in)
	}
	s.infos = infos
	return point{choice: c, step: c.Step, infos: infos, threads: sc.NumThreads(), objects: sc.NumObjects()}
}

// observe takes the state of the scheduling point an execution is at,
// path frame i, as the shadow, and learns its threads' pending steps and
// whether each is enabled.
func (c *transCache) observe(sc *sched.Scheduler, i int) {
	if c.judge(); c.off {
		return
	}
	sh := &c.shadow
	sh.threads, sh.objects = sc.AppendComponents(sh.threads[:0], sh.objects[:0])
	sh.at, sh.forgetLog = i, sc.LogForgotten()
	sh.view = append(sh.view[:0], make([]threadView, len(sh.threads))...)
	for t := range sh.threads {
		c.see(t, sc)
	}
}

func pendOf(sc *sched.Scheduler, id sched.ThreadID) pendInfo {
	t := sc.Thread(id)
	_, waiting := t.Deadline()
	return pendInfo{sig: optionSig(sc, id), prints: sc.Prints(id), data: accessesData(sc, id),
		finished: t.Finished(), waiting: waiting, always: t.Pending().Wait == nil,
		starts: sc.Starts(id), joins: sc.Joins(id), exits: sc.Exits(id)}
}

// predict follows f, the path's last frame (index i), through its current
// option without running it, when the cache knows the step.
func (s *stateSearch) predict(f *sframe, i int) prediction {
	c := s.cache
	if c == nil || c.off || f.draw || f.cur == sched.ClockID || c.shadow.at != i || int(f.step)+1 >= s.maxSteps {
		return mustRun
	}
	r := s.path.current(f)
	after, g, ok := c.lookup(f, r)
	if !ok {
		return mustRun
	}
	k := stateKey{fp: f.fp - r.pre.thread - r.pre.object + after.thread + after.object + g.sum()}
	e := s.table.find(k)
	if _, on := s.onPath(e, k); on {
		return mustRun
	}
	if f.ample {
		// The step's check (checkAmple): its local code read no clock and
		// changed no other object, or it would not be cached; k is off the
		// path; it may have created threads or objects, which only a start
		// may.
		f.checked = true
		if g.creates() && !f.spawns {
			s.expand(f)
		}
	}
	z := s.sleepAfter(f, false)
	if e != nil && e.sleep&^z == 0 {
		if c.verify {
			expect := k // a copy: k itself stays off the heap
			c.expect = &expect
			return mustRun
		}
		s.table.looked++
		c.predicted++
		return predMet
	}
	c.step(f.cur, r.sig.obj, after, g)
	pt, ok := s.derive(f)
	if !ok {
		c.unstep(f.cur, r.sig.obj, r.pre, f.threads, f.objects)
		return mustRun
	}
	races := len(s.races)
	c.predicted++
	if s.arrive(k, z, e, pt) == nil {
		c.unstep(f.cur, r.sig.obj, r.pre, f.threads, f.objects)
		return predMet
	}
	f.narrow, c.shadow.at = true, i+1
	if c.verify || len(s.races) > races {
		return mustRun
	}
	return predFrame
}

// judge counts a scheduling point learned from, and turns prediction off
// when it does not pay (see predictFrom).
func (c *transCache) judge() {
	if c.off || c.verify {
		return
	}
	c.learned++
	if c.learned >= predictFrom && c.learned&(c.learned-1) == 0 && c.predicted*8 < c.learned {
		*c = transCache{off: true, shadow: shadow{at: -1}}
	}
}

// derive returns the scheduling point of the shadow's state, which f's
// current step leads to, when everything about it was learned and it is
// neither the end of the program nor a deadlock.
func (s *stateSearch) derive(f *sframe) (point, bool) {
	c := s.cache
	sh := &c.shadow
	opts, infos := c.opts[:0], s.infos[:0]
	live := false
	for id := range sh.view {
		v := &sh.view[id]
		if !v.known || v.waiting {
			return point{}, false
		}
		if v.finished {
			continue
		}
		live = live || !v.sig.daemon
		if v.on {
			opts = append(opts, sched.ThreadID(id))
			infos = append(infos, optInfo{sig: v.sig, pre: transKey{sh.threads[id], sh.object(v.sig.obj)}, data: v.data,
				invisible: v.sig.obj == sched.NoObject || (v.prints && sh.forgetLog) || v.joins || (v.exits && s.exits),
				starts:    v.starts})
		}
	}
	c.opts, s.infos = opts, infos
	if !live || len(opts) == 0 {
		return point{}, false
	}
	ch := &c.choice
	*ch = sched.Choice{Kind: sched.PickThread, Step: int(f.step) + 1, Current: f.cur, Options: opts, N: len(opts)}
	for _, id := range opts {
		ch.CurrentEnabled = ch.CurrentEnabled || id == f.cur
	}
	return point{choice: ch, step: ch.Step, infos: infos, threads: len(sh.threads), objects: len(sh.objects)}, true
}

// replayed is called at each frame an execution replays (index i): in
// verify mode it checks the frame against the execution; at the path's
// last frame it takes the shadow, when the search has none there.
func (s *stateSearch) replayed(f *sframe, i int, c *sched.Choice) {
	if s.cache.verify && !f.draw {
		if err := s.checkFrame(f, c); err != nil {
			s.err = err
		}
	}
	if i == s.path.len()-1 && s.cache.shadow.at != i && !f.draw {
		s.cache.observe(c.Sched, i)
	}
}

// checkFrame compares a frame, predicted or not, with the scheduling point
// an execution replays it at.
func (s *stateSearch) checkFrame(f *sframe, c *sched.Choice) error {
	if fp := c.Sched.Fingerprint(); fp != f.fp {
		return fmt.Errorf("step %d: the frame holds state %016x, the execution is at %016x", c.Step, f.fp, fp)
	}
	pt := s.livePoint(c)
	for j, r := range s.path.options(f) {
		if in := pt.infos[j]; r.sig != in.sig || r.pre != in.pre || int32(c.Decision(r.id)) != r.dec {
			return fmt.Errorf("step %d: the frame's record of thread %d differs from the execution's", c.Step, r.id)
		}
	}
	return nil
}
