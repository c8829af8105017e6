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

// bnode is a state of the BFS: reached from its parent by its moves, a
// thread's id and then the values of the draws that thread's step made.
type bnode struct {
	parent  int
	moves   []int
	options []sched.ThreadID
}

// bfsRun is the Chooser of one BFS execution: it follows a path of moves,
// then records the state it reaches, or stops at a visited one.
type bfsRun struct {
	moves   []int // the path to follow: picks by thread id, draw values
	next    int
	decs    []int // decisions taken, for race reports
	split   [][]int
	found   bool // reached a new state (key holds it)
	key     stateKey
	options []sched.ThreadID // the new state's options
	table   *visited
	races   [][]int
	raceOn  bool
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
	b.key = b.table.key(c.Sched)
	if b.table.get(b.key) == nil {
		b.table.insert(b.key, 0)
		b.found = true
		b.options = append([]sched.ThreadID(nil), c.Options...)
		if !b.raceOn {
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

// runBFS explores m breadth-first, feeding the collector, and reports
// whether the search was exhaustive.
func runBFS(ctx context.Context, m Model, cfg Config, col *collector) (bool, error) {
	sc := stateScheduler(cfg)
	defer sc.Close()
	bud := newBudget(cfg)
	search := &stateSearch{table: newVisited(cfg.ExactStates), raceOn: cfg.NoRaces, full: true}
	defer search.table.close()
	defer search.fillReport(col.rep)
	nodes := []bnode{}
	var err error // errClockObserved, if the model read the time, or a replay's
	attempt := func(parent int, moves []int) (stop, cut bool) {
		queue := [][]int{moves}
		for len(queue) > 0 {
			if bud.exhausted(ctx) || (cfg.MaxStates > 0 && search.table.len() >= cfg.MaxStates) {
				col.rep.Budget = true
				return false, true
			}
			suffix := queue[0]
			queue = queue[1:]
			path := append(pathOf(nodes, parent), suffix...)
			b := &bfsRun{moves: path, table: search.table, raceOn: search.raceOn}
			r := sc.Run(m.Program, b)
			bud.used++
			if sc.ClockObserved() && !cfg.timeInState {
				err = errClockObserved
				return true, false
			}
			search.maxSeen = max(search.maxSeen, r.Steps)
			for _, sp := range b.split {
				queue = append(queue, sp[len(path)-len(suffix):])
			}
			if b.found {
				nodes = append(nodes, bnode{parent: parent, moves: b.moves[len(path)-len(suffix):], options: b.options})
			}
			search.races = b.races
			if r, err = search.withTrace(m, cfg, col, r); err != nil {
				return true, false
			}
			if search.collect(col, r) || search.reportRaces(m, cfg, col) {
				return true, false
			}
		}
		return false, false
	}
	if stop, cut := attempt(-1, nil); stop || cut {
		return false, err
	}
	for i := 0; i < len(nodes); i++ {
		for _, id := range nodes[i].options {
			if stop, cut := attempt(i, []int{int(id)}); stop || cut {
				return false, err
			}
		}
	}
	return true, nil
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
