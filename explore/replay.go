package explore

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// replayer is the Chooser that follows a schedule: decision i of the
// schedule at the i-th real choice point, 0 at forced ones. It stops the
// execution (sched.Stop) when the schedule does not fit, and says where.
type replayer struct {
	decisions []int
	next      int
	err       error
	// stopAt, if not 0, stops an execution that failed with an uncaught
	// exception (which does not stop it) at that step, where the recorded
	// one was stopped: a stateful search cuts executions.
	stopAt int
}

func (p *replayer) Choose(c *sched.Choice) int {
	if p.stopAt > 0 && c.Step >= p.stopAt && p.err == nil && c.Sched.FailedRunningOn() {
		return sched.Stop
	}
	if c.N <= 1 || p.err != nil {
		if p.err != nil {
			return sched.Stop
		}
		return 0
	}
	if p.next >= len(p.decisions) {
		p.err = fmt.Errorf("replay diverged at step %d: the schedule has %d decisions but the execution asks for more", c.Step, len(p.decisions))
		return sched.Stop
	}
	d := p.decisions[p.next]
	if d >= c.N {
		p.err = fmt.Errorf("replay diverged at decision %d (step %d): decision %d is out of range, only %d options", p.next, c.Step, d, c.N)
		return sched.Stop
	}
	p.next++
	return d
}

// finish checks that the whole schedule was used.
func (p *replayer) finish(r *sched.Result) error {
	if p.err != nil {
		return p.err
	}
	if p.next < len(p.decisions) {
		return fmt.Errorf("replay diverged: the execution ended at step %d after %d of the schedule's %d decisions", r.Steps, p.next, len(p.decisions))
	}
	return nil
}

// Replay runs m once under schedule s and returns the execution's result
// (owned by the caller). Unless opts sets a step limit, a step-limit
// failure replays under the limit it was recorded with (Schedule.Limit),
// and a long execution under one above its length. It fails with one line when s names another model
// or parameters, or when the execution does not fit s (a decision out of
// range, a schedule that ends early or late): the model changed or is not
// deterministic.
//
// A schedule without a shape (Shape.Digest 0) is a stuck model's schedule
// up to where it blocked (the only one threadsim prints without a shape):
// its replay must block there too. One that ends instead is refused, since
// nothing else could tell it from another execution (a decision altered
// and the token's checksum made again).
func Replay(m Model, s Schedule, opts sched.Options) (*sched.Result, error) {
	if err := CheckSchedule(m, s); err != nil {
		return nil, err
	}
	r, err := replay(m, s, opts)
	if err == nil && s.Shape.Digest == 0 {
		err = fmt.Errorf("the schedule records no shape of its execution, as only a stuck model's schedule up to where it blocked does, "+
			"yet its replay ended at step %d: it cannot be checked to be the recorded execution", r.Steps)
	}
	return r, err
}

// replay runs m under s, checking the steps against s's shape when it has
// one.
func replay(m Model, s Schedule, opts sched.Options) (*sched.Result, error) {
	if opts.MaxSteps == 0 {
		switch {
		case s.Limit > 0: // a step-limit failure, under the limit it had
			opts.MaxSteps = s.Limit
		case s.Shape.Steps >= sched.DefaultMaxSteps:
			opts.MaxSteps = s.Shape.Steps + 1
		}
	}
	if s.Cycle > 0 {
		return replayLasso(m, s, opts)
	}
	sc := sched.New(opts)
	defer sc.Close()
	p := &replayer{decisions: s.Decisions, stopAt: s.Shape.Steps}
	r := sc.Run(m.Program, p).Clone()
	err := p.finish(r)
	if err == nil {
		err = checkShape(s.Shape, r)
	}
	return r, err
}

// replayLasso replays a livelock: the schedule up to the end of its cycle,
// with state fingerprints on to check that the cycle closes.
func replayLasso(m Model, s Schedule, opts sched.Options) (*sched.Result, error) {
	opts.State = true
	sc := sched.New(opts)
	defer sc.Close()
	p := &lassoReplayer{replayer: replayer{decisions: s.Decisions}, from: s.Cycle - 1, end: s.Shape.Steps}
	r := sc.Run(m.Program, p).Clone()
	err := p.finish(r)
	if err == nil && !p.closed {
		err = errDiverged("the execution ended before its cycle closed at step %d", p.end)
	}
	if err == nil {
		err = checkShape(s.Shape, r)
	}
	return r, err
}

// CheckSchedule reports whether s was made for m.
func CheckSchedule(m Model, s Schedule) error {
	if s.Version != 0 && s.Version != TokenVersion {
		return fmt.Errorf("schedule format version %d, this threadsim reads version %d", s.Version, TokenVersion)
	}
	if s.Model != m.Name {
		return fmt.Errorf("schedule is for model %q, not %q", s.Model, m.Name)
	}
	if s.Params != m.Params {
		return fmt.Errorf("schedule is for %s with parameters %q, not %q", m.Name, s.Params, m.Params)
	}
	return nil
}

func replayOn(sc *sched.Scheduler, m Model, decisions []int) (*sched.Result, error) {
	p := &replayer{decisions: decisions}
	r := sc.Run(m.Program, p).Clone()
	return r, p.finish(r)
}
