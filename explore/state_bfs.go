package explore

import (
	"context"

	"github.com/threadsim/threadsim/sched"
)

// Breadth-first search over the state graph: states in the order of the
// number of steps that reach them, each expanded once for every enabled
// thread (no sleep sets), a table of visited states. The first failing
// execution it finds has as few steps as any failing execution of the
// model: a shortest counterexample. It reaches each state by re-running
// the model along the path that first reached it. It does not look for
// livelocks (a cycle needs the current path: use Stateful).
//
// The runs are the search's cost, and a run depends only on its path, not
// on the table: so on W workers (state_bfs_workers.go) the runs of the
// next jobs are made ahead, in parallel, and the search takes them in
// job order as one worker would (bfsSearch.take), table and report alike.

// bnode is a state of the BFS: reached from its parent by its moves, a
// thread's id and then the values of the draws that thread's step made.
type bnode struct {
	parent  int
	moves   []int
	options []sched.ThreadID
}

// bfsJob expands one state by one thread: the runs that follow path (the
// parent's path and the thread's id; nil for the initial state) with
// every value of the draws met beyond it. Job 0 is the initial state;
// then node i's options in order, for i = 0, 1, 2, ...
type bfsJob struct {
	parent int
	path   []int
	from   int // the length of the parent's path
}

// bfsReached is one run of a job: the execution, and the state it
// stopped at beyond its path (if it did not end before).
type bfsReached struct {
	r       *sched.Result
	reached bool
	key     stateKey
	moves   []int            // from the parent's state to the state reached
	options []sched.ThreadID // its options, when it may be new
	races   [][]int          // its racing pairs, when it may be new
	clock   bool             // its scheduler has seen the model read the time
}

// bfsRun is the Chooser of one BFS execution: it follows a path of moves,
// then computes the state it reaches, and stops.
type bfsRun struct {
	moves   []int // the path to follow: picks by thread id, draw values
	next    int
	decs    []int // decisions taken, for race reports
	split   [][]int
	reached bool
	key     stateKey
	exact   bool
	buf     *[]byte
	known   func(stateKey) bool // whether a state is visited (nil: unknown)
	options []sched.ThreadID
	races   [][]int
	noRaces bool
}

func (b *bfsRun) Choose(c *sched.Choice) int {
	d := b.choose(c)
	if d >= 0 && c.N > 1 {
		b.decs = append(b.decs, d)
	}
	return d
}

func (b *bfsRun) choose(c *sched.Choice) int {
	if b.next < len(b.moves) {
		m := b.moves[b.next]
		b.next++
		if c.Kind == sched.Draw {
			return m
		}
		return c.Decision(sched.ThreadID(m))
	}
	if c.Kind == sched.Draw {
		// Beyond the path: value 0 now, the others as new attempts.
		for v := 1; v < c.N; v++ {
			b.split = append(b.split, append(append([]int(nil), b.moves...), v))
		}
		b.moves = append(b.moves, 0)
		b.next++
		return 0
	}
	b.reached = true
	b.key, *b.buf = stateKeyOf(c.Sched, b.exact, *b.buf)
	if b.known == nil || !b.known(b.key) {
		b.options = append([]sched.ThreadID(nil), c.Options...)
		if !b.noRaces {
			b.findRaces(c)
		}
	}
	return sched.Stop
}

func (b *bfsRun) findRaces(c *sched.Choice) {
	s := stateSearch{}
	s.findRaces(s.livePoint(c))
	for _, r := range s.races {
		b.races = append(b.races, append(append([]int(nil), b.decs...), r[len(r)-3:]...))
	}
}

// bfsWorker makes the runs of jobs on its own scheduler.
type bfsWorker struct {
	m     Model
	sc    *sched.Scheduler
	exact bool
	buf   []byte
	ahead bool // its runs are taken later: keep what the search reads of each
}

// run makes the runs of job j in order, handing each to each, which
// returns true to stop there. known, when not nil, spares the options of
// states already visited, and noRaces, when it returns true, the races of
// every state (the search looks for none any more).
func (w *bfsWorker) run(j bfsJob, known func(stateKey) bool, noRaces func() bool, each func(bfsReached) bool) {
	queue := [][]int{j.path}
	for len(queue) > 0 {
		b := &bfsRun{moves: queue[0], exact: w.exact, buf: &w.buf, known: known, noRaces: noRaces()}
		queue = queue[1:]
		r := w.sc.Run(w.m.Program, b)
		if w.ahead {
			r = keepRun(r)
		}
		queue = append(queue, b.split...)
		if each(bfsReached{r: r, reached: b.reached, key: b.key, moves: b.moves[j.from:],
			options: b.options, races: b.races, clock: w.sc.ClockObserved()}) {
			return
		}
	}
}

// keepRun copies what the search reads of a run made ahead (the scheduler
// reuses r for its next run): all of a failing run, which is replayed and
// reported, and the counts and outcome of the others.
func keepRun(r *sched.Result) *sched.Result {
	if r.Failed() {
		return r.Clone()
	}
	return &sched.Result{Steps: r.Steps, Preemptions: r.Preemptions, Outcome: r.Outcome, Stopped: r.Stopped, Time: r.Time}
}

// bfsSearch is the search's side: the table, the nodes and the report.
type bfsSearch struct {
	ctx    context.Context
	m      Model
	cfg    Config
	col    *collector
	bud    *budget
	search *stateSearch
	nodes  []bnode
	err    error // errClockObserved, if the model read the time, or a replay's
	begun  bool  // the initial state's job is handed out
	node   int   // the node whose options are being handed out, and the next
	option int
	path   []int // node's path (nil: not made yet)
	ready  int   // jobs the nodes taken so far have and nextJob has not handed out
}

// nextJob hands out the next job, if the nodes taken so far have one.
func (s *bfsSearch) nextJob() (bfsJob, bool) {
	if !s.begun {
		s.begun = true
		return bfsJob{parent: -1}, true
	}
	s.ready--
	for s.node < len(s.nodes) && s.option >= len(s.nodes[s.node].options) {
		s.node, s.option, s.path = s.node+1, 0, nil
	}
	if s.node >= len(s.nodes) {
		s.ready = 0
		return bfsJob{}, false
	}
	if s.path == nil {
		s.path = pathOf(s.nodes, s.node)
	}
	path := append(s.path[:len(s.path):len(s.path)], int(s.nodes[s.node].options[s.option]))
	j := bfsJob{parent: s.node, path: path, from: len(s.path)}
	s.option++
	return j, true
}

// take counts run o of a job of parent, in job order: a new state it
// reached becomes a node. It reports whether the search stops there (a
// failure, the clock read, an error) or is cut (a budget, MaxStates).
func (s *bfsSearch) take(parent int, o bfsReached) (stop, cut bool) {
	if s.bud.exhausted(s.ctx) || (s.cfg.MaxStates > 0 && s.search.table.len() >= s.cfg.MaxStates) {
		s.col.rep.Budget = true
		return false, true
	}
	s.bud.used++
	if o.clock && !s.cfg.timeInState {
		s.err = errClockObserved
		return true, false
	}
	s.search.maxSeen = max(s.search.maxSeen, o.r.Steps)
	if o.reached && s.search.table.get(o.key) == nil {
		s.search.table.insert(o.key, 0)
		s.nodes = append(s.nodes, bnode{parent: parent, moves: o.moves, options: o.options})
		s.ready += len(o.options)
		if !s.search.raceOn {
			s.search.races = o.races
		}
	}
	r, err := s.search.withTrace(s.m, s.cfg, s.col, o.r)
	if err != nil {
		s.err = err
		return true, false
	}
	return s.search.collect(s.col, r) || s.search.reportRaces(s.m, s.cfg, s.col), false
}

// runBFS explores m breadth-first, feeding the collector, on workers
// workers, and reports whether the search was exhaustive.
func runBFS(ctx context.Context, m Model, cfg Config, col *collector, workers int) (bool, error) {
	search := &stateSearch{table: newVisited(cfg.ExactStates), raceOn: cfg.NoRaces, full: true}
	defer search.table.close()
	defer search.fillReport(col.rep)
	s := &bfsSearch{ctx: ctx, m: m, cfg: cfg, col: col, bud: newBudget(cfg), search: search}
	if workers > 1 {
		done := s.parallel(workers)
		return done, s.err
	}
	w := &bfsWorker{m: m, sc: stateScheduler(cfg), exact: cfg.ExactStates}
	defer w.sc.Close()
	known := func(k stateKey) bool { return search.table.find(k) != nil }
	for {
		j, ok := s.nextJob()
		if !ok {
			return true, nil
		}
		ended := false
		w.run(j, known, func() bool { return search.raceOn }, func(o bfsReached) bool {
			stop, cut := s.take(j.parent, o)
			ended = stop || cut
			return ended
		})
		if ended {
			return false, s.err
		}
	}
}

// pathOf returns the moves from the initial state to node i.
func pathOf(nodes []bnode, i int) []int {
	var rev [][]int
	for ; i >= 0; i = nodes[i].parent {
		rev = append(rev, nodes[i].moves)
	}
	var path []int
	for j := len(rev) - 1; j >= 0; j-- {
		path = append(path, rev[j]...)
	}
	return path
}
