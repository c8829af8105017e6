package explore

import (
	"slices"
	"strings"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// Report is the result of an exploration. Every field except Elapsed and
// Workers is a function of the model and the configuration: the same
// seed gives the same report on any number of workers.
type Report struct {
	Model, Params, Strategy string
	// Executions counts every execution run (for DFS, sleep-set-blocked
	// ones included; for iterative bounding, every level's).
	Executions int
	// Verdict is Complete, Bounded, Failed or Undecided.
	Verdict string
	// Outcomes counts executions by outcome, sorted by outcome. DFS counts
	// only complete (not sleep-set-blocked) executions of its last level.
	Outcomes []OutcomeCount
	// Failures lists each failure kind found, by kind.
	Failures []FailureReport
	// Undecided, when set, is the first execution the search stopped at
	// the step limit (kind sched.StepLimit, not minimised, its schedule
	// replays it): no failure, and not in Failures; the verdict is
	// Undecided unless a failure was found too. For a stateless search it
	// may be an unfair schedule; for stateful and BFS, whose table ends
	// every cycle, it is an execution whose states did not repeat within
	// the limit (a long one, or a state space without bound).
	Undecided *FailureReport
	Elapsed   time.Duration
	// Bound is the preemption bound of the last DFS level, or the delay
	// bound of the delay strategy's last level; -1 when unbounded.
	Bound int
	// Complete and SleepBlocked split DFS executions (last level): maximal
	// or failing ones, and those stopped because every enabled thread was
	// asleep. Cut counts branches a preemption bound cut (all levels).
	Complete, SleepBlocked, Cut int
	// Steps is the total number of steps executed.
	Steps int64
	// Seed is the seed of random and PCT; Depth and K are PCT's d and the
	// last estimate of k (choice points per run).
	Seed     uint64
	Depth, K int
	// Budget reports whether a run, time or state budget stopped the
	// search.
	Budget  bool
	Workers int
	// Split is the number of open units a partitioned search aimed at
	// (0: not partitioned), Prefixes its units in its last level, and
	// Unfinished the indexes of those a budget, Ctrl-C or a missing
	// shard left unfinished. Part is this shard's share, for Merge
	// (Config.Shards > 0).
	Split, Prefixes int
	Unfinished      []int
	// Probed counts the executions a partitioned search ran to find its
	// partition and then dropped (they are in Executions).
	Probed int
	Part   *Part
	// Stateful searches: States is the number of distinct states stored,
	// Generated the number of states met (revisits included), StateBytes
	// the table's memory per state, MaxDepth the longest path in steps.
	// Collision is TLC's optimistic estimate of the probability that two
	// distinct states shared a fingerprint, CollisionActual the estimate
	// from the gaps between stored fingerprints; both 0 when Exact (full
	// states compared). Ample says whether ample sets reduced the states
	// (not Config.FullExpansion, and not bfs), TimeInState whether the
	// model read the time, so that the search ran again with the time in
	// its states, ExitsSeen whether the model watched a started thread
	// otherwise than by joining it or ran a daemon, so that the search ran
	// again without taking exits alone (sched/exits.go).
	States, MaxDepth                     int
	Generated                            int64
	StateBytes                           float64
	Collision, CollisionActual           float64
	Exact, Ample, TimeInState, ExitsSeen bool
	// SourceDPOR: an odpor search ran as source-DPOR because the model
	// creates threads or objects from two threads at once, so its ids
	// depend on the interleaving (sched.Scheduler.CreationsRace), or
	// because it uses the virtual clock (dpor_creations.go: errTimed), where
	// optimal DPOR lost traces; SourceDPORWhy says which.
	SourceDPOR    bool
	SourceDPORWhy string
	// A stateful search's verdict rests on the model keeping its shared
	// state in primitives (sched/state.go's rules). RulesChecked counts
	// the pairs of paths to one state it ran on to their ends to test
	// that (ruleCheck); RulesBroken, when set, says what a pair showed:
	// the model breaks the rules, and the verdict cannot be trusted.
	RulesChecked int
	RulesBroken  string
}

// OutcomeCount is one distinct outcome and how many executions had it.
type OutcomeCount struct {
	Outcome string
	Count   int
}

// FailureReport is one failure kind found.
type FailureReport struct {
	Kind    sched.Kind
	Message string
	// Token and Schedule replay the reported execution: the minimised one
	// unless Config.NoMinimize.
	Token    string
	Schedule Schedule
	// Preemptions and Steps are those of the reported schedule.
	Preemptions int
	Steps       int
	// Count is the number of failing executions of this kind (1 unless
	// KeepGoing).
	Count int
	// Run is the index of the first execution that failed this way;
	// FirstPreemptions that execution's preemptions.
	Run              int
	FirstPreemptions int
	// Minimized reports whether minimisation found a schedule with fewer
	// preemptions or steps.
	Minimized bool
	// NotDeterministic, when set, says that the schedule does not replay
	// the execution that failed, and from which step: "the model is not
	// deterministic between steps: ..." (ErrNotDeterministic). Every
	// failure's schedule is replayed before the report is handed out.
	NotDeterministic string
	// Unproved reports that minimisation ran but its caps ended before it
	// proved the reported schedule minimal: a schedule with fewer
	// preemptions, or as many and fewer steps, may exist.
	Unproved bool
}

// collector builds a Report from executions given in a deterministic order.
type collector struct {
	rep      *Report
	cfg      Config
	model    Model
	outcomes map[string]int
	failures map[sched.Kind]*FailureReport
	// recorded is stepDigests of each failure's execution, by kind.
	recorded map[sched.Kind][]uint32
	start    time.Time
	lastProg time.Time
	// announced are the kinds handed to Config.OnFailure (announce).
	announced announcements
	// mine, if set, tells the units of a partitioned search this shard
	// runs: the others' are not missing from its report.
	mine func(int) bool
}

func newCollector(m Model, cfg Config) *collector {
	return &collector{
		rep:      &Report{Model: m.Name, Params: m.Params, Strategy: cfg.strategy(), Bound: Unbounded},
		cfg:      cfg,
		model:    m,
		outcomes: map[string]int{},
		failures: map[sched.Kind]*FailureReport{},
		recorded: map[sched.Kind][]uint32{},
		start:    time.Now(),
	}
}

// add counts execution e, the run-th, and reports whether exploration
// must stop (a failure without KeepGoing).
func (c *collector) add(run int, e execution, counted bool) (stop bool) {
	c.announce(run, e)
	c.rep.Executions++
	c.rep.Steps += int64(e.steps)
	if counted {
		c.outcomes[e.outcome]++
	}
	for i, k := range e.kinds {
		f := c.failures[k]
		if f == nil {
			f = c.newFailure(run, e, i)
			c.failures[k] = f
			c.recorded[k] = e.digests
		}
		f.Count++
	}
	c.progress(false)
	return len(e.kinds) > 0 && !c.cfg.KeepGoing
}

func (c *collector) newFailure(run int, e execution, i int) *FailureReport {
	s := failureSchedule(c.model, c.rep.Strategy, e)
	return &FailureReport{Kind: e.kinds[i], Message: e.message[i], Token: s.Token(), Schedule: s,
		Preemptions: e.preempt, Steps: e.steps, Run: run, FirstPreemptions: e.preempt}
}

func (c *collector) failed() bool { return len(c.failures) > 0 }

func (c *collector) progress(done bool) {
	if c.cfg.Progress == nil {
		return
	}
	every := c.cfg.ProgressEvery
	if every == 0 {
		every = 200 * time.Millisecond
	}
	now := time.Now()
	if !done && now.Sub(c.lastProg) < every {
		return
	}
	c.lastProg = now
	c.cfg.Progress(Progress{Executions: c.rep.Executions, Failures: len(c.failures),
		Elapsed: now.Sub(c.start), Bound: c.rep.Bound, Done: done})
}

// resetOutcomes forgets the outcome counts (a new bounded level starts).
func (c *collector) resetOutcomes() { clear(c.outcomes) }

// finish fills in the sorted outcomes and failures and the verdict;
// exhaustive says whether the search covered every execution.
func (c *collector) finish(exhaustive bool) *Report {
	r := c.rep
	r.Outcomes = r.Outcomes[:0]
	for o, n := range c.outcomes {
		r.Outcomes = append(r.Outcomes, OutcomeCount{o, n})
	}
	slices.SortFunc(r.Outcomes, func(a, b OutcomeCount) int { return strings.Compare(a.Outcome, b.Outcome) })
	for _, f := range c.failures {
		r.Failures = append(r.Failures, *f)
	}
	slices.SortFunc(r.Failures, func(a, b FailureReport) int { return int(a.Kind) - int(b.Kind) })
	switch {
	case len(r.Failures) > 0:
		r.Verdict = Failed
	case exhaustive:
		r.Verdict = Complete
	default:
		r.Verdict = Bounded
	}
	r.settleUndecided()
	r.Elapsed = time.Since(c.start)
	c.progress(true)
	return r
}

// undecidedKind reports whether a failure of kind k is no failure of the
// program but an undecided execution: the step limit.
func undecidedKind(k sched.Kind) bool { return k == sched.StepLimit }

// settleUndecided moves the step-limit out of Failures into Undecided,
// and makes the verdict Undecided when nothing failed.
func (r *Report) settleUndecided() {
	i := slices.IndexFunc(r.Failures, func(f FailureReport) bool { return undecidedKind(f.Kind) })
	if i < 0 {
		return
	}
	f := r.Failures[i]
	r.Undecided = &f
	r.Failures = slices.Delete(r.Failures, i, i+1)
	if len(r.Failures) == 0 {
		r.Verdict = Undecided
	}
}
