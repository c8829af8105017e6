package explore

import (
	"fmt"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// livelockMessage describes the cycle from step from to step to (the
// current step), which returned the program to the state it had at from:
// the threads that ran in it (ran counts their steps) and what the others
// wait for. The search counts the steps off its path and a replay off its
// trace, so both describe a livelock in the same words.
func livelockMessage(sc *sched.Scheduler, from, to int, ran map[sched.ThreadID]int) string {
	var in, out []string
	for id := range sched.ThreadID(sc.NumThreads()) {
		t := sc.Thread(id)
		switch {
		case ran[id] > 0:
			in = append(in, fmt.Sprintf("%s (%d steps)", t.Name(), ran[id]))
		case !t.Finished():
			out = append(out, t.Name()+" waits in "+describeOp(t.Pending()))
		}
	}
	if ran[sched.ClockID] > 0 {
		in = append(in, fmt.Sprintf("the clock (%d fires)", ran[sched.ClockID]))
	}
	msg := fmt.Sprintf("steps %d to %d lead back to the state of step %d, a cycle a fair scheduler can repeat forever, so the program never ends; running in it: %s",
		from, to-1, from, strings.Join(in, ", "))
	if len(out) > 0 {
		msg += "; " + strings.Join(out, ", ")
	}
	return msg
}

// ranInTrace counts the steps each thread took from step from on, in trace.
func ranInTrace(trace []sched.Event, from int) map[sched.ThreadID]int {
	ran := map[sched.ThreadID]int{}
	for _, e := range trace[from:] {
		ran[e.Thread]++
	}
	return ran
}

func describeOp(op sched.Op) string {
	if op.Obj == nil {
		return op.Name
	}
	return op.Name + " on " + op.Obj.String()
}

// lassoReplayer replays a livelock's schedule and checks that its last
// steps close the cycle: the state at the end is the state at Cycle-1.
type lassoReplayer struct {
	replayer
	from, end int
	start     uint64
	closed    bool
}

func (p *lassoReplayer) Choose(c *sched.Choice) int {
	if c.Kind == sched.PickThread && p.err == nil {
		switch c.Step {
		case p.from:
			p.start = c.Sched.Fingerprint()
		case p.end:
			if c.Sched.Fingerprint() != p.start {
				p.err = errDiverged("the cycle from step %d does not return to its state at step %d", p.from, p.end)
				return sched.Stop
			}
			p.closed = true
			c.Sched.Fail(sched.Livelock, livelockMessage(c.Sched, p.from, c.Step, ranInTrace(c.Sched.Trace(), p.from)))
			return sched.Stop
		}
	}
	return p.replayer.Choose(c)
}
