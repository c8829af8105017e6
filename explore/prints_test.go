package explore

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// Prints and what a model reads of its log (sched's "The log"): prints of
// lines nothing reads commute with everything, so DPOR does not order
// them; prints of lines the model reads stay ordered among themselves.

// logRead is how a generated program declares what it reads of its log.
type logRead struct {
	rule  string  // "all" (no declaration), "none" (ForgetLog), "some" (WatchLog)
	lines [3]bool // "some": which of the lines L0, L1, L2 are read
}

func (r logRead) reads(line int) bool {
	return r.rule == "all" || (r.rule == "some" && r.lines[line])
}

// genPrintProgram draws 2-3 threads of 1-3 operations (reads, writes,
// yields, draws and an acquire-release of one lock) with one or two prints
// of the lines L0, L1, L2 among them, and what the program reads of its
// log.
func genPrintProgram(t *rapid.T) ([][]genOp, logRead) {
	nthreads := rapid.IntRange(2, 3).Draw(t, "threads")
	var threads [][]genOp
	for i := range nthreads {
		n := rapid.IntRange(1, 3).Draw(t, fmt.Sprintf("ops%d", i))
		var ops []genOp
		for j := range n {
			switch k := rapid.SampledFrom([]string{"read", "write", "yield", "rand", "lock"}).Draw(t, "k"); k {
			case "read", "write":
				ops = append(ops, genOp{k, rapid.IntRange(0, 1).Draw(t, "v"), 10*i + j + 1})
			default:
				ops = append(ops, genOp{k, 0, 0})
			}
		}
		for p := rapid.IntRange(1, 2).Draw(t, fmt.Sprintf("prints%d", i)); p > 0; p-- {
			at := rapid.IntRange(0, len(ops)).Draw(t, "at")
			ops = append(ops[:at], append([]genOp{{"print", rapid.IntRange(0, 2).Draw(t, "line"), 0}}, ops[at:]...)...)
		}
		threads = append(threads, ops)
	}
	r := logRead{rule: rapid.SampledFrom([]string{"all", "none", "some"}).Draw(t, "rule")}
	for i := range r.lines {
		r.lines[i] = rapid.Bool().Draw(t, fmt.Sprintf("read L%d", i))
	}
	return threads, r
}

// printModel builds the program. Its outcome is what the threads observed
// and the lines it reads, in the order they were printed: exactly what it
// declares it reads of its log.
func printModel(threads [][]genOp, r logRead) Model {
	return Model{Name: "printing", Params: fmt.Sprint(threads, r), Program: func(main *sched.Thread) {
		switch r.rule {
		case "none":
			main.ForgetLog()
		case "some":
			main.WatchLog(func(line string) bool { return r.lines[line[1]-'0'] })
		}
		vs := []*prims.Var[int]{prims.NewVar(main, "v0", 0), prims.NewVar(main, "v1", 0)}
		lock := prims.NewLock(main, "L")
		var read []string // the lines read, as printed
		seen := make([][]int, len(threads))
		bodies := make([]func(*sched.Thread), len(threads))
		for i, ops := range threads {
			bodies[i] = func(t *sched.Thread) {
				for _, o := range ops {
					switch o.kind {
					case "print":
						line := fmt.Sprintf("L%d by %d", o.arg, i)
						t.Print(line)
						if r.reads(o.arg) {
							read = append(read, line)
						}
					case "lock":
						lock.Acquire(t)
						lock.Release(t)
					default:
						runGenOps(t, []genOp{o}, vs, nil, nil, &seen[i], nil)
					}
				}
			}
		}
		spawnJoin(main, bodies...)
		main.Outcome("%v read %s", seen, strings.Join(read, "; "))
	}}
}

// TestDPORWithPrintsMatchesNaive: on generated programs that print, DPOR
// (source and optimal) and stateful search find the outcomes naive DFS
// finds, the outcome being what the program reads of its log: prints of
// lines it does not read commute, and the lines it reads keep every order.
// Checked to fail when every print commutes whatever the declaration
// (sched's printOp answering Access None always).
func TestDPORWithPrintsMatchesNaive(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		m := printModel(genPrintProgram(rt))
		oracle := smallOracle(t, rt, m, 2000)
		want := outcomeSet(oracle)
		for _, cfg := range []Config{dpor(), {Strategy: ODPOR, Preemptions: Unbounded, NoMinimize: true, KeepGoing: true}, stateful()} {
			got := explore(t, m, cfg)
			if s := outcomeSet(got); s != want {
				rt.Fatalf("%s finds\n%s\nnaive DFS finds\n%s", cfg.strategy(), s, want)
			}
			if got.Executions > oracle.Executions {
				rt.Fatalf("%s ran %d executions, naive DFS %d", cfg.strategy(), got.Executions, oracle.Executions)
			}
		}
	})
}

// smallOracle is naiveOracle capped at runs executions: programs with
// more are skipped, which keeps these properties' share of the suite's
// time small.
func smallOracle(t *testing.T, rt *rapid.T, m Model, runs int) *Report {
	nv := naive()
	nv.Runs = runs
	oracle := explore(t, m, nv)
	if oracle.Budget {
		rt.Skip("too many interleavings for this oracle")
	}
	return oracle
}

// TestPrintsNobodyReadsCommute: lost-update-threads' program, sleep=0,
// prints a line before and after each update and at both ends of main,
// and forgets its log: DPOR explores its (n!)^2 traces, as without the
// prints, with no sleep-set-blocked run (a thread whose next step is a
// print is explored alone at its node: with mutNoLocalBranch, 579 and
// 14,654 executions). With the log read, the prints are ordered: far more.
func TestPrintsNobodyReadsCommute(t *testing.T) {
	cfg := dpor()
	cfg.NoRaces = true
	for _, c := range []struct {
		n, want int
	}{{3, 36}, {4, 576}} {
		rep := explore(t, printingUpdate(c.n, true), cfg)
		if rep.Executions != c.want || rep.Complete != c.want {
			t.Errorf("n=%d, log forgotten: %d executions (%d complete), want %d", c.n, rep.Executions, rep.Complete, c.want)
		}
	}
	forgot := explore(t, printingUpdate(3, true), cfg)
	read := explore(t, printingUpdate(3, false), cfg)
	if read.Complete <= forgot.Complete || outcomeSet(read) != outcomeSet(forgot) {
		t.Errorf("n=3: %d complete executions and outcomes %s with the log read, %d and %s forgotten",
			read.Complete, outcomeSet(read), forgot.Complete, outcomeSet(forgot))
	}
}

// printingUpdate is lost-update-threads with sleep=0: main logs, starts n
// threads that each log, read, yield, write and log, joins them and logs.
func printingUpdate(n int, forget bool) Model {
	return Model{Name: "printing-update", Params: fmt.Sprint(n, forget), Program: func(main *sched.Thread) {
		if forget {
			main.ForgetLog()
		}
		x := prims.NewVar(main, "x", 0)
		main.Log("Starting value is %d.", x.Load(main))
		bodies := make([]func(*sched.Thread), n)
		for i := range bodies {
			bodies[i] = func(t *sched.Thread) {
				t.Log("Thread %d: starting update", i)
				v := x.Load(t)
				t.Yield()
				x.Store(t, v+1)
				t.Log("Thread %d: finishing update", i)
			}
		}
		spawnJoin(main, bodies...)
		end := x.Load(main)
		main.Log("Ending value is %d.", end)
		main.Outcome("x=%d", end)
	}}
}
