package explore

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// genOp is one operation of a generated thread.
type genOp struct {
	kind string // read, write, cas, acq, rel, sleep, rand, yield, now, alive, poll
	arg  int    // variable or lock index, sleep seconds
	val  int
}

func (o genOp) String() string { return fmt.Sprintf("%s%d", o.kind, o.arg) }

// genProgram draws 2-4 threads of 1-5 operations on 2-3 Vars and 0-2
// Locks (acquire, release, try-acquire, acquire with a timeout), an Event
// (set, clear, wait with a timeout), random draws, yields, reads of the
// clock, a spawned and joined child, with at most one sleep, keeping lock use well nested per thread
// (a thread never re-acquires a lock it holds; it releases what it holds
// at its end), so the failures are deadlocks and data races.
func genProgram(t *rapid.T) (nvars, nlocks int, threads [][]genOp, daemon int) {
	nvars = rapid.IntRange(2, 3).Draw(t, "vars")
	nlocks = rapid.IntRange(0, 2).Draw(t, "locks")
	nthreads := rapid.IntRange(2, 4).Draw(t, "threads")
	kinds := []string{"read", "write", "cas"}
	if nlocks > 0 {
		kinds = append(kinds, "acq", "rel")
	}
	slept := false
	for i := range nthreads {
		n := rapid.IntRange(1, max(1, 5-nthreads+1)).Draw(t, fmt.Sprintf("ops%d", i))
		var ops []genOp
		var held []int
		for j := range n {
			k := rapid.SampledFrom(append(kinds, "sleep", "rand", "spawn", "try", "timed", "set", "clear", "wait", "yield", "now")).Draw(t, fmt.Sprintf("k%d.%d", i, j))
			switch k {
			case "read", "write", "cas":
				ops = append(ops, genOp{k, rapid.IntRange(0, nvars-1).Draw(t, "v"), 10*i + j + 1})
			case "acq":
				l := rapid.IntRange(0, nlocks-1).Draw(t, "l")
				if !slices.Contains(held, l) {
					held = append(held, l)
					ops = append(ops, genOp{"acq", l, 0})
				}
			case "rel":
				if len(held) > 0 {
					ops = append(ops, genOp{"rel", held[len(held)-1], 0})
					held = held[:len(held)-1]
				}
			case "sleep":
				if !slept {
					slept = true
					ops = append(ops, genOp{"sleep", rapid.IntRange(1, 2).Draw(t, "s"), 0})
				}
			case "rand", "yield", "now":
				ops = append(ops, genOp{k, 0, 0})
			case "set", "clear", "wait": // on the one Event; waits time out after 1s
				ops = append(ops, genOp{k, 0, 0})
			case "spawn": // a child that writes a variable, joined at once
				ops = append(ops, genOp{"spawn", rapid.IntRange(0, nvars-1).Draw(t, "v"), 10*i + j + 1})
			case "try", "timed": // one attempt, or a wait of 1s, released at once if taken
				if nlocks > 0 {
					l := rapid.IntRange(0, nlocks-1).Draw(t, "l")
					if !slices.Contains(held, l) {
						ops = append(ops, genOp{k, l, 0})
					}
				}
			}
		}
		for len(held) > 0 {
			ops = append(ops, genOp{"rel", held[len(held)-1], 0})
			held = held[:len(held)-1]
		}
		threads = append(threads, ops)
	}
	daemon = -1 // at most one daemon thread, which main does not join
	if rapid.IntRange(0, 4).Draw(t, "daemon?") == 0 {
		daemon = rapid.IntRange(0, nthreads-1).Draw(t, "daemon")
	}
	return nvars, nlocks, threads, daemon
}

// genModel builds the program; its outcome is what every joined thread
// observed, thread by thread, and the final values as main reads them.
func genModel(nvars, nlocks int, threads [][]genOp, daemon int) Model {
	return Model{Name: "generated", Params: fmt.Sprint(threads, daemon), Program: func(main *sched.Thread) {
		vs := make([]*prims.Var[int], nvars)
		for i := range vs {
			vs[i] = prims.NewVar(main, fmt.Sprintf("v%d", i), 0)
		}
		ls := make([]*prims.Lock, nlocks)
		for i := range ls {
			ls[i] = prims.NewLock(main, fmt.Sprintf("L%d", i))
		}
		ev := prims.NewEvent(main, "E")
		seen := make([][]int, len(threads))
		// peers are the threads by index, the daemon started first, then
		// the others in order (as spawnJoin): a thread's alive and poll
		// steps watch threads started before it, whose handles main wrote
		// before it started.
		peers := make([]*sched.Thread, len(threads))
		var joined []int
		for i, ops := range threads {
			body := func(t *sched.Thread) { runGenOps(t, ops, vs, ls, ev, &seen[i], peers) }
			if i == daemon {
				peers[i] = main.GoDaemon("", body)
			} else {
				joined = append(joined, i)
			}
		}
		for _, i := range joined {
			peers[i] = main.Go("", func(t *sched.Thread) { runGenOps(t, threads[i], vs, ls, ev, &seen[i], peers) })
		}
		for _, i := range joined {
			main.Join(peers[i])
		}
		// The daemon's observations are not synchronised with main: they
		// are not part of the outcome; main reads the final values with
		// steps, which DPOR sees.
		if daemon >= 0 {
			seen[daemon] = nil
		}
		var b strings.Builder
		fmt.Fprint(&b, seen, " final")
		for _, v := range vs {
			fmt.Fprint(&b, " ", v.Load(main))
		}
		main.Outcome("%s", b.String())
	}}
}

// addWatchers inserts into some generated threads a step that watches a
// thread started before it: is_alive, or a poll (a join with timeout 0)
// and then is_alive. genModel starts the daemon first, then the others
// in order. A thread's exit may then be observed, which stateful search
// must notice (sched/exits.go). The draws follow genProgram's, so the
// programs other properties draw stay the same.
func addWatchers(t *rapid.T, nvars, nlocks int, threads [][]genOp, daemon int) (int, int, [][]genOp, int) {
	var order []int // start order
	if daemon >= 0 {
		order = append(order, daemon)
	}
	for i := range threads {
		if i != daemon {
			order = append(order, i)
		}
	}
	for pos, i := range order {
		if pos == 0 || !rapid.Bool().Draw(t, fmt.Sprintf("watch%d", i)) {
			continue
		}
		k := order[rapid.IntRange(0, pos-1).Draw(t, "watched")]
		at := rapid.IntRange(0, len(threads[i])).Draw(t, "at")
		op := genOp{rapid.SampledFrom([]string{"alive", "poll"}).Draw(t, "how"), k, 0}
		threads[i] = slices.Insert(slices.Clone(threads[i]), at, op)
	}
	return nvars, nlocks, threads, daemon
}

// runGenOps runs a generated thread's operations; peers are the program's
// threads by index (nil where no alive or poll step needs them).
func runGenOps(t *sched.Thread, ops []genOp, vs []*prims.Var[int], ls []*prims.Lock, ev *prims.Event, seen *[]int, peers []*sched.Thread) {
	for _, o := range ops {
		switch o.kind {
		case "read":
			*seen = append(*seen, vs[o.arg].Load(t))
		case "write":
			vs[o.arg].Store(t, o.val)
		case "cas":
			ok := prims.CompareAndSwap(t, vs[o.arg], 0, o.val)
			*seen = append(*seen, map[bool]int{false: 0, true: 1}[ok])
		case "acq":
			ls[o.arg].Acquire(t)
		case "rel":
			ls[o.arg].Release(t)
		case "sleep":
			t.Sleep(time.Duration(o.arg) * time.Second)
		case "rand":
			*seen = append(*seen, 100+t.Random(2))
		case "yield":
			t.Yield()
		case "now":
			*seen = append(*seen, 400+int(t.Now()/time.Second))
		case "set":
			ev.Set(t)
		case "clear":
			ev.Clear(t)
		case "wait":
			*seen = append(*seen, map[bool]int{false: 300, true: 301}[ev.WaitTimeout(t, time.Second)])
		case "spawn":
			t.Join(t.Go("", func(u *sched.Thread) { vs[o.arg].Store(u, o.val) }))
		case "alive", "poll":
			if o.kind == "poll" {
				t.JoinTimeout(peers[o.arg], 0)
			}
			*seen = append(*seen, map[bool]int{false: 500, true: 501}[t.IsAlive(peers[o.arg])])
		case "try", "timed":
			var ok bool
			if o.kind == "try" {
				ok = ls[o.arg].TryAcquire(t)
			} else {
				ok = ls[o.arg].AcquireTimeout(t, time.Second)
			}
			*seen = append(*seen, map[bool]int{false: 200, true: 201}[ok])
			if ok {
				ls[o.arg].Release(t)
			}
		}
	}
}

// TestDPORMatchesNaive: on generated programs, source-DPOR finds the same
// outcomes and failure kinds as naive DFS over every interleaving, with at
// most as many executions.
func TestDPORMatchesNaive(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		oracle := naiveOracle(t, rt, m, Unbounded)
		got := explore(t, m, dpor())
		if a, b := outcomeSet(got), outcomeSet(oracle); a != b {
			rt.Fatalf("DPOR finds\n%s\nnaive DFS finds\n%s", a, b)
		}
		if got.Executions > oracle.Executions {
			rt.Fatalf("DPOR ran %d executions, naive DFS %d", got.Executions, oracle.Executions)
		}
	})
}

// naiveOracle explores m with naive DFS within bound preemptions: the
// oracle of a property. Programs with more than 2000 executions are
// skipped.
func naiveOracle(t *testing.T, rt *rapid.T, m Model, bound int) *Report {
	nv := naive()
	nv.Runs, nv.Preemptions = 2000, bound
	oracle := explore(t, m, nv)
	if oracle.Budget {
		rt.Skip("too many interleavings for the oracle")
	}
	return oracle
}

// fewerChecks lowers rapid's case count under the race detector (unless
// set explicitly), so that the test stays well under a minute.
func fewerChecks(t *testing.T) {
	f := flag.Lookup("rapid.checks")
	if !raceEnabled || f == nil || f.Value.String() != f.DefValue || os.Getenv("RAPID_CHECKS") != "" {
		return
	}
	f.Value.Set("10")
	t.Cleanup(func() { f.Value.Set(f.DefValue) })
}

// TestBoundedMatchesNaiveBounded (DPOR-NOTES §8.5): preemption-bounded DFS
// with sleep sets finds the outcomes and failure kinds of naive DFS
// restricted to the same bound, for bounds 0, 1 and 2.
func TestBoundedMatchesNaiveBounded(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := genModel(genProgram(rt))
		b := rapid.IntRange(0, 2).Draw(rt, "bound")
		oracle := naiveOracle(t, rt, m, b)
		cfg := dpor()
		cfg.Preemptions = b
		got := explore(t, m, cfg)
		if x, y := outcomeSet(got), outcomeSet(oracle); x != y {
			rt.Fatalf("bound %d: bounded DFS finds\n%s\nnaive bounded DFS finds\n%s", b, x, y)
		}
		if oracle.Verdict == Complete && got.Verdict != Complete {
			rt.Fatalf("bound %d: verdict %s, naive DFS under the bound is complete", b, got.Verdict)
		}
	})
}
