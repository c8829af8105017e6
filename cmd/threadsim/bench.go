package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

func init() {
	registerCommand(command{name: "bench", order: 6, run: runBenchCmd,
		usage: "bench [--quick] [--json] [--markdown] [--only NAME] [--tables LIST] [--seeds N] [--state-budget D] [--from FILE]"})
}

// benchFlags are the flags of bench.
type benchFlags struct {
	quick     bool
	json      bool
	markdown  bool
	only      string
	spinRows  bool
	seeds     int
	naiveRuns int
	naiveTime time.Duration
	budget    time.Duration
	findRuns  int
	minTime   time.Duration
	from      string
	verbose   bool
	tables    benchTables
	// stateBudget, maxStates and exactStates configure the stateful
	// searches of the SPIN table.
	stateBudget time.Duration
	maxStates   int
	exactStates bool
}

// benchTables selects the tables bench measures.
type benchTables struct{ search, bugs, states, threads, python bool }

func (t *benchTables) String() string {
	var names []string
	for _, n := range []struct {
		on   bool
		name string
	}{{t.search, "search"}, {t.bugs, "bugs"}, {t.states, "states"}, {t.threads, "threads"}, {t.python, "python"}} {
		if n.on {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ",")
}

// Set parses a comma-separated list of table names.
func (t *benchTables) Set(s string) error {
	*t = benchTables{}
	for _, name := range strings.Split(s, ",") {
		switch strings.TrimSpace(name) {
		case "search":
			t.search = true
		case "bugs":
			t.bugs = true
		case "states":
			t.states = true
		case "threads":
			t.threads = true
		case "python":
			t.python = true
		default:
			return fmt.Errorf("unknown table %q: want search, bugs, states, threads or python", name)
		}
	}
	return nil
}

// benchReport is what bench measures; --json prints it.
type benchReport struct {
	Quick   bool          `json:"quick"`
	Machine benchMachine  `json:"machine"`
	Limits  benchLimits   `json:"limits"`
	Search  []benchSearch `json:"search"`
	Bugs    []benchBug    `json:"bugs"`
	// States are the stateful searches against SPIN, and SPIN the source
	// of SPIN's figures (nil when no row has one).
	States []benchState `json:"states"`
	SPIN   *spinSource  `json:"spin,omitempty"`
	// Threads are the many-thread bugs (bench_threads.go).
	Threads []benchThreads `json:"threads,omitempty"`
	// Python are the Python programs against their Go twins
	// (bench_python.go).
	Python []benchPython `json:"python,omitempty"`
}

type benchMachine struct {
	CPU        string `json:"cpu"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	// RoundTripsPerSec is the rate of bare iter.Pull coroutine round
	// trips measured at the start of the run: the reference that steps/s
	// is compared with (one step costs at least one round trip).
	RoundTripsPerSec float64 `json:"coroutine_round_trips_per_s"`
}

type benchLimits struct {
	// NaiveRuns and NaiveSeconds cap naive search; a capped row's
	// verdict is "bounded".
	NaiveRuns    int     `json:"naive_runs"`
	NaiveSeconds float64 `json:"naive_seconds"`
	// SecondsPerSearch caps every search in wall time.
	SecondsPerSearch float64 `json:"seconds_per_search"`
	// MinSeconds: a shorter search is repeated until this much time has
	// passed, and its seconds are the mean over the repetitions.
	MinSeconds float64 `json:"min_seconds"`
	// Seeds is the number of seeds of random walk and PCT per scenario.
	Seeds int `json:"seeds"`
	// FindRuns caps the executions of one seed's hunt, and of DFS.
	FindRuns int `json:"find_runs"`
	// PCTDepth is PCT's bug depth d.
	PCTDepth int `json:"pct_depth"`
	// StateSeconds and MaxStates cap each stateful search (MaxStates 0:
	// no cap); ExactStates: whole states were stored, not fingerprints.
	StateSeconds float64 `json:"state_seconds,omitempty"`
	MaxStates    int     `json:"max_states,omitempty"`
	ExactStates  bool    `json:"exact_states,omitempty"`
}

// benchSearch is one exhaustive search of one benchmark.
type benchSearch struct {
	Benchmark string `json:"benchmark"`
	Params    string `json:"params"`
	// Search is "dpor" (exhaustive DFS with source-DPOR, the dfs
	// strategy), "odpor" (optimal DPOR with wakeup trees) or "naive"
	// (every interleaving).
	Search     string `json:"search"`
	Executions int    `json:"executions"`
	// Complete and SleepBlocked split a DPOR search's executions: maximal
	// ones (one per trace when the search is correct) and those cut
	// because every enabled thread was asleep.
	Complete     int `json:"complete,omitempty"`
	SleepBlocked int `json:"sleep_blocked,omitempty"`
	// Optimal is the number of Mazurkiewicz traces, 0 when unknown.
	Optimal int `json:"optimal,omitempty"`
	// Ratio is Executions / Optimal, a lower bound when the verdict is
	// "bounded".
	Ratio   float64 `json:"ratio,omitempty"`
	Verdict string  `json:"verdict"`
	// Capped reports that a run or time cap stopped the search: the count
	// is then a lower bound.
	Capped bool `json:"capped"`
	// Failing counts the executions that failed (searches keep going).
	Failing int `json:"failing"`
	// Seconds is the time of one search, the mean over Repeats.
	Seconds       float64 `json:"seconds"`
	Repeats       int     `json:"repeats"`
	ExecPerSecond float64 `json:"executions_per_s"`
	Steps         int64   `json:"steps"`
	StepsPerSec   float64 `json:"steps_per_s"`
	// PeakHeap is the largest live heap seen during the search, sampled
	// from runtime.MemStats.HeapAlloc.
	PeakHeap uint64 `json:"peak_heap_bytes"`
	Error    string `json:"error,omitempty"`
}

// benchBug is how fast each strategy finds one buggy scenario's failure.
type benchBug struct {
	Scenario string    `json:"scenario"`
	Params   string    `json:"params"`
	Expected string    `json:"expected"`
	Random   benchFind `json:"random"`
	PCT      benchFind `json:"pct"`
	DFS      benchDFS  `json:"dfs_ipb"`
}

// benchFind summarises the executions to the first failure over seeds.
type benchFind struct {
	Seeds int `json:"seeds"`
	// Found is the number of seeds that found a failure within the budget;
	// Mean and Max are over those.
	Found int     `json:"found"`
	Mean  float64 `json:"mean"`
	Max   int     `json:"max"`
	// Kinds counts the failure kinds found first.
	Kinds map[string]int `json:"kinds,omitempty"`
	Error string         `json:"error,omitempty"`
}

// benchDFS is iterative preemption-bounded DFS's hunt.
type benchDFS struct {
	Found      bool   `json:"found"`
	Kind       string `json:"kind,omitempty"`
	Executions int    `json:"executions"`
	// Bound is the preemption bound being explored when it stopped.
	Bound   int     `json:"bound"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

// runBenchCmd runs the suite and prints its tables or its JSON.
func runBenchCmd(e *env, args []string) int {
	f := benchFlags{tables: benchTables{search: true, bugs: true, states: true, threads: true, python: true}}
	fs := newFlagSet("bench")
	fs.BoolVar(&f.quick, "quick", false, "the small parameter set run in CI (default: the full set)")
	fs.BoolVar(&f.json, "json", false, "print one JSON document instead of tables")
	fs.BoolVar(&f.markdown, "markdown", false, "print the tables as Markdown")
	fs.StringVar(&f.only, "only", "", "run only the scenarios whose name contains `NAME` (the SPIN table: also one row, named \"name params\" such as \"lost-update-threads n=6,sleep=0\")")
	fs.IntVar(&f.seeds, "seeds", 0, "seeds of random walk and PCT per buggy scenario (default 100, 20 with --quick)")
	fs.IntVar(&f.naiveRuns, "naive-runs", 0, "cap on naive search's executions (default 200000, 20000 with --quick)")
	fs.DurationVar(&f.naiveTime, "naive-time", 8*time.Second, "wall-time cap of each naive search")
	fs.DurationVar(&f.budget, "budget", 0, "wall-time cap of each search (default 2m, 10s with --quick)")
	fs.IntVar(&f.findRuns, "find-runs", 0, "cap on the executions of one bug hunt (default 100000, 10000 with --quick)")
	fs.DurationVar(&f.minTime, "min-time", 0, "repeat each short search until this much time has passed, for stable rates (default 1s, 100ms with --quick)")
	fs.Var(&f.tables, "tables", "measure only these tables, a comma-separated `LIST` of search, bugs, states, threads and python (default all)")
	fs.DurationVar(&f.stateBudget, "state-budget", 0, "wall-time cap of each stateful search of the SPIN table (default 2m, 10s with --quick)")
	fs.IntVar(&f.maxStates, "max-states", 0, "cap on the states each stateful search stores (0: none)")
	fs.BoolVar(&f.exactStates, "exact-states", false, "stateful searches store whole states, not 64-bit fingerprints")
	fs.BoolVar(&f.spinRows, "spin-rows", false, "the SPIN table: only the rows SPIN has figures for (testdata/spin)")
	fs.BoolVar(&f.verbose, "v", false, "say on stderr what is being measured, even when stderr is not a terminal")
	fs.StringVar(&f.from, "from", "", "print the tables of a saved --json `FILE` instead of measuring")
	pos, err := parseArgs(e, fs, commands["bench"].usage, args)
	if err != nil {
		return e.helpOrFail(err)
	}
	if len(pos) > 0 {
		return e.fail(usageErrorf("bench takes no arguments, got %s", strings.Join(pos, " ")))
	}
	if f.maxStates < 0 || f.stateBudget < 0 {
		return e.fail(usageErrorf("--max-states and --state-budget must be >= 0"))
	}
	var rep *benchReport
	if f.from != "" {
		if rep, err = readBenchReport(f.from); err != nil {
			return e.fail(err)
		}
	} else {
		f.defaults()
		progress := e.progress(f.json)
		if f.verbose {
			progress = e.err
		}
		rep = runBench(e.ctx, f, progress)
		if e.ctx.Err() != nil {
			return e.fail(fmt.Errorf("interrupted"))
		}
	}
	if f.json {
		err = writeJSON(e.out, rep)
	} else {
		err = rep.writeText(e.out, f.markdown)
	}
	if err != nil {
		return e.fail(err)
	}
	if msg := rep.firstError(); msg != "" {
		return e.fail(fmt.Errorf("a measurement failed: %s", msg))
	}
	return exitOK
}

func (f *benchFlags) defaults() {
	pick := func(v *int, quick, full int) {
		if *v <= 0 {
			*v = full
			if f.quick {
				*v = quick
			}
		}
	}
	pick(&f.seeds, 20, 100)
	pick(&f.naiveRuns, 20_000, 200_000)
	pick(&f.findRuns, 10_000, 100_000)
	if f.minTime <= 0 {
		f.minTime = time.Second
		if f.quick {
			f.minTime = 100 * time.Millisecond
		}
	}
	for _, d := range []*time.Duration{&f.budget, &f.stateBudget} {
		if *d <= 0 {
			*d = 2 * time.Minute
			if f.quick {
				*d = 10 * time.Second
			}
		}
	}
}

// firstError returns the first measurement that could not be made, or "".
func (r *benchReport) firstError() string {
	for _, s := range r.Search {
		if s.Error != "" {
			return s.Benchmark + " " + s.Params + " " + s.Search + ": " + s.Error
		}
	}
	for _, b := range r.Bugs {
		for _, msg := range []string{b.Random.Error, b.PCT.Error, b.DFS.Error} {
			if msg != "" {
				return b.Scenario + ": " + msg
			}
		}
	}
	for _, s := range r.States {
		if s.Error != "" {
			return s.Scenario + " " + s.Params + " stateful: " + s.Error
		}
	}
	for _, p := range r.Python {
		if p.Error != "" {
			return p.Program + ": " + p.Error
		}
	}
	return r.firstThreadsError()
}

// readBenchReport reads a report saved with --json.
func readBenchReport(path string) (*benchReport, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep benchReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s is not a bench report: %w", path, err)
	}
	return &rep, nil
}

// progress returns where bench reports what it is doing: stderr when it
// is a terminal and the output is not JSON, else nowhere.
func (e *env) progress(asJSON bool) io.Writer {
	if asJSON {
		return io.Discard
	}
	if f, ok := e.err.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return f
		}
	}
	return io.Discard
}

// runBench measures every benchmark case and every buggy scenario.
func runBench(ctx context.Context, f benchFlags, progress io.Writer) *benchReport {
	rep := &benchReport{
		Quick:   f.quick,
		Machine: machine(true),
		Limits: benchLimits{NaiveRuns: f.naiveRuns, NaiveSeconds: f.naiveTime.Seconds(), SecondsPerSearch: f.budget.Seconds(),
			MinSeconds: f.minTime.Seconds(), Seeds: f.seeds, FindRuns: f.findRuns, PCTDepth: benchPCTDepth,
			StateSeconds: f.stateBudget.Seconds(), MaxStates: f.maxStates, ExactStates: f.exactStates},
		Search: []benchSearch{},
		Bugs:   []benchBug{},
		States: []benchState{},
	}
	rep.measureTables(ctx, f, progress)
	return rep
}

// measureTables fills in the tables f selects.
func (rep *benchReport) measureTables(ctx context.Context, f benchFlags, progress io.Writer) {
	for _, c := range scenarios.BenchCases(f.quick) {
		if !f.tables.search || !strings.Contains(c.Scenario, f.only) {
			continue
		}
		for _, search := range []string{"dpor", "odpor", "naive"} {
			if ctx.Err() != nil {
				return
			}
			fmt.Fprintf(progress, "bench: %s %s %s\n", c.Scenario, c.Params, search)
			rep.Search = append(rep.Search, measureSearch(ctx, c, search, f))
		}
	}
	for _, b := range buggyScenarios() {
		if !f.tables.bugs || !strings.Contains(b.Scenario, f.only) {
			continue
		}
		if ctx.Err() != nil {
			return
		}
		fmt.Fprintf(progress, "bench: hunting %s %s\n", b.Scenario, b.Params)
		rep.Bugs = append(rep.Bugs, measureBug(ctx, b, f))
	}
	if f.tables.states {
		rep.States = runStateTable(ctx, f, progress)
	}
	if f.tables.threads {
		rep.Threads = runThreadsTable(ctx, f, progress)
	}
	if f.tables.python && f.only == "" {
		rep.Python = runPythonTable(ctx, f, progress)
	}
	for _, s := range rep.States {
		if s.SPIN != nil {
			rep.SPIN = &spinFrom
		}
	}
}

// measureSearch runs one exhaustive search, keeping going after failures
// so that every execution is counted.
func measureSearch(ctx context.Context, c scenarios.BenchCase, search string, f benchFlags) benchSearch {
	row := benchSearch{Benchmark: c.Scenario, Search: search}
	prog, params, err := c.Program()
	row.Params = params.String()
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Optimal, _ = scenarios.OptimalCount(c.Scenario, params)
	m := explore.Model{Name: c.Scenario, Params: params.String(), Program: prog}
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, KeepGoing: true,
		NoMinimize: true, Time: f.budget, Workers: 1}
	if search == "odpor" {
		cfg.Strategy = explore.ODPOR
	}
	if search == "naive" {
		cfg.Strategy, cfg.Runs, cfg.Time = explore.Naive, f.naiveRuns, min(f.budget, f.naiveTime)
	}
	var rep *explore.Report
	row.PeakHeap = peakHeap(func() { rep, err = explore.Explore(ctx, m, cfg) })
	if err != nil {
		row.Error = err.Error()
		return row
	}
	row.Executions, row.Verdict, row.Capped = rep.Executions, rep.Verdict, rep.Budget
	row.Complete, row.SleepBlocked = rep.Complete, rep.SleepBlocked
	row.Failing = failingExecutions(rep)
	row.Steps = rep.Steps
	row.Seconds, row.Repeats = meanSeconds(ctx, m, cfg, rep, f.minTime)
	if row.Seconds > 0 {
		row.ExecPerSecond = float64(row.Executions) / row.Seconds
		row.StepsPerSec = float64(row.Steps) / row.Seconds
	}
	if row.Optimal > 0 {
		row.Ratio = float64(row.Executions) / float64(row.Optimal)
	}
	return row
}

// peakHeap runs fn and returns the largest live heap sampled meanwhile.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak.Load() {
			peak.Store(ms.HeapAlloc)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	sample()
	return peak.Load()
}

// buggyScenarios are the scenarios whose expected verdict is a failure,
// at their default parameters, the article's first, except the
// many-thread bugs.
func buggyScenarios() []benchBug {
	var out []benchBug
	for _, s := range scenarios.All() {
		if s.Expect.Fails == 0 || scenarios.IsManyThreadBug(s.Name) {
			continue // the many-thread bugs have a table of their own
		}
		p, err := s.Resolve(nil)
		if err != nil {
			continue
		}
		out = append(out, benchBug{Scenario: s.Name, Params: p.String(), Expected: s.Expect.Fails.String()})
	}
	return out
}

// measureBug hunts one scenario's failure with random walk and PCT over
// the seeds, and with iterative preemption-bounded DFS.
func measureBug(ctx context.Context, b benchBug, f benchFlags) benchBug {
	prog, _, err := scenarios.BuildNamed(b.Scenario, nil)
	if err != nil {
		b.DFS.Error = err.Error()
		return b
	}
	m := explore.Model{Name: b.Scenario, Params: b.Params, Program: prog}
	b.Random = hunt(ctx, m, explore.Random, f)
	b.PCT = hunt(ctx, m, explore.PCT, f)
	b.DFS = huntDFS(ctx, m, f)
	return b
}

// benchPCTDepth is the bug depth PCT hunts with: enough for the
// ordering bugs of the suite (two preemptions).
const benchPCTDepth = 3

// hunt runs strategy once per seed, each on one worker and stopping at
// the first failure, the seeds in parallel.
func hunt(ctx context.Context, m explore.Model, strategy string, f benchFlags) benchFind {
	type result struct {
		found bool
		execs int
		kind  string
		err   error
	}
	results := make([]result, f.seeds)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= f.seeds || ctx.Err() != nil {
					return
				}
				cfg := explore.Config{Strategy: strategy, Seed: uint64(i + 1), Runs: f.findRuns,
					Time: f.budget, Workers: 1, NoMinimize: true, Depth: benchPCTDepth}
				rep, err := explore.Explore(ctx, m, cfg)
				r := result{err: err}
				if err == nil && len(rep.Failures) > 0 {
					r.found, r.execs, r.kind = true, rep.Executions, failureKind(rep)
				}
				results[i] = r
			}
		})
	}
	wg.Wait()
	out := benchFind{Seeds: f.seeds, Kinds: map[string]int{}}
	total := 0
	for _, r := range results {
		if r.err != nil && out.Error == "" {
			out.Error = r.err.Error()
		}
		if !r.found {
			continue
		}
		out.Found++
		out.Kinds[r.kind]++
		total += r.execs
		out.Max = max(out.Max, r.execs)
	}
	if out.Found > 0 {
		out.Mean = float64(total) / float64(out.Found)
	}
	return out
}

// huntDFS runs iterative preemption-bounded DFS until the first failure.
func huntDFS(ctx context.Context, m explore.Model, f benchFlags) benchDFS {
	cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, Iterative: true,
		Runs: f.findRuns, Time: f.budget, Workers: 1, NoMinimize: true}
	rep, err := explore.Explore(ctx, m, cfg)
	if err != nil {
		return benchDFS{Error: err.Error()}
	}
	d := benchDFS{Executions: rep.Executions, Bound: rep.Bound, Seconds: rep.Elapsed.Seconds()}
	if len(rep.Failures) > 0 {
		d.Found, d.Kind = true, failureKind(rep)
	}
	return d
}

// failureKind names the kind of the report's first failure.
func failureKind(rep *explore.Report) string {
	if len(rep.Failures) == 0 {
		return ""
	}
	return rep.Failures[0].Kind.String()
}

// failingExecutions counts the failing executions of a report.
func failingExecutions(rep *explore.Report) int {
	n := 0
	for _, f := range rep.Failures {
		n += f.Count
	}
	return n
}

// machine describes the machine bench runs on, and measures the
// coroutine reference when asked.
func machine(reference bool) benchMachine {
	m := benchMachine{CPU: cpuModel(), CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if reference {
		m.RoundTripsPerSec = roundTripRate(200 * time.Millisecond)
	}
	return m
}

// roundTripRate measures bare iter.Pull round trips per second for about d.
func roundTripRate(d time.Duration) float64 {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	})
	defer stop()
	n, start := 0, time.Now()
	for time.Since(start) < d {
		for range 10_000 {
			next()
		}
		n += 10_000
	}
	return float64(n) / time.Since(start).Seconds()
}

// cpuModel reads the CPU's name from /proc/cpuinfo, "unknown" elsewhere.
func cpuModel() string {
	file, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// writeText prints the machine and the tables that have rows.
func (r *benchReport) writeText(w io.Writer, markdown bool) error {
	set := "full"
	if r.Quick {
		set = "quick"
	}
	m := r.Machine
	fmt.Fprintf(w, "threadsim bench (%s set) on %s, %d CPUs (GOMAXPROCS %d), %s %s/%s\n",
		set, m.CPU, m.CPUs, m.GOMAXPROCS, m.Go, m.OS, m.Arch)
	if m.RoundTripsPerSec > 0 {
		fmt.Fprintf(w, "Reference: %s bare iter.Pull coroutine round trips per second in this run "+
			"(a step costs at least one).\n", commas(int(m.RoundTripsPerSec)))
	}
	if len(r.Search) > 0 {
		if err := r.writeSearchTable(w, markdown); err != nil {
			return err
		}
	}
	if len(r.Bugs) > 0 {
		if err := r.writeBugTable(w, markdown); err != nil {
			return err
		}
	}
	if len(r.States) > 0 {
		if err := r.writeStateTable(w, markdown); err != nil {
			return err
		}
	}
	if len(r.Threads) > 0 {
		if err := r.writeThreadsTable(w, markdown); err != nil {
			return err
		}
	}
	if len(r.Python) > 0 {
		return r.writePythonTable(w, markdown)
	}
	return nil
}

// writeSearchTable prints the caption and the table of exhaustive searches.
func (r *benchReport) writeSearchTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nExhaustive search, one worker: source-DPOR (dpor, the dfs strategy) and optimal DPOR (odpor) "+
		"against naive DFS (every interleaving, capped at %s executions or %s); "+
		"optimal is one execution per Mazurkiewicz trace; each search capped at %s, "+
		"and repeated until %s have passed (seconds are per search).\n\n",
		commas(r.Limits.NaiveRuns), seconds(r.Limits.NaiveSeconds), seconds(r.Limits.SecondsPerSearch), seconds(r.Limits.MinSeconds))
	return renderBench(w, markdown, searchHeader, r.searchRows())
}

// writeBugTable prints the caption and the bug-finding table.
func (r *benchReport) writeBugTable(w io.Writer, markdown bool) error {
	fmt.Fprintf(w, "\nBug finding: executions to the first failure, mean and max over %d seeds "+
		"(random walk and PCT with depth %d, each seed capped at %s executions), "+
		"and iterative preemption-bounded DFS.\n\n",
		r.Limits.Seeds, r.Limits.PCTDepth, commas(r.Limits.FindRuns))
	return renderBench(w, markdown, bugHeader, r.bugRows())
}

var searchHeader = []string{"benchmark", "params", "search", "executions", "optimal", "ratio", "verdict",
	"seconds", "exec/s", "steps/s", "peak heap"}

var bugHeader = []string{"scenario", "params", "expected", "random found", "random mean", "random max",
	"pct found", "pct mean", "pct max", "dfs-ipb executions", "dfs bound"}

func (r *benchReport) searchRows() [][]string {
	rows := make([][]string, 0, len(r.Search))
	for _, s := range r.Search {
		if s.Error != "" {
			rows = append(rows, []string{s.Benchmark, s.Params, s.Search, "error: " + s.Error, "", "", "", "", "", "", ""})
			continue
		}
		optimal, ratio := "-", "-"
		if s.Optimal > 0 {
			optimal = commas(s.Optimal)
			ratio = strconv.FormatFloat(s.Ratio, 'f', 2, 64)
			if s.Capped || s.Verdict == explore.Bounded {
				ratio = "≥ " + ratio
			}
		}
		verdict := s.Verdict
		if s.Failing > 0 {
			verdict += " (" + commas(s.Failing) + ")"
		}
		if s.Capped && s.Verdict != explore.Bounded {
			verdict += ", capped"
		}
		rows = append(rows, []string{s.Benchmark, s.Params, s.Search, commas(s.Executions), optimal, ratio, verdict,
			strconv.FormatFloat(s.Seconds, 'f', 4, 64), commas(int(s.ExecPerSecond)), commas(int(s.StepsPerSec)),
			mib(s.PeakHeap)})
	}
	return rows
}

func (r *benchReport) bugRows() [][]string {
	rows := make([][]string, 0, len(r.Bugs))
	for _, b := range r.Bugs {
		row := []string{b.Scenario, b.Params, b.Expected}
		for _, h := range []benchFind{b.Random, b.PCT} {
			if h.Found == 0 {
				row = append(row, fmt.Sprintf("0/%d", h.Seeds), "-", "-")
				continue
			}
			row = append(row, fmt.Sprintf("%d/%d", h.Found, h.Seeds)+otherKinds(h.Kinds, b.Expected),
				strconv.FormatFloat(h.Mean, 'f', 1, 64), commas(h.Max))
		}
		switch {
		case b.DFS.Error != "":
			row = append(row, "error: "+b.DFS.Error, "-")
		case b.DFS.Found && b.DFS.Kind != b.Expected:
			row = append(row, commas(b.DFS.Executions)+" ("+b.DFS.Kind+")", strconv.Itoa(b.DFS.Bound))
		case b.DFS.Found:
			row = append(row, commas(b.DFS.Executions), strconv.Itoa(b.DFS.Bound))
		default:
			row = append(row, "not found in "+commas(b.DFS.Executions), strconv.Itoa(b.DFS.Bound))
		}
		rows = append(rows, row)
	}
	return rows
}

// otherKinds notes the failures found first that are not the expected
// kind: " (3 data-race)".
func otherKinds(kinds map[string]int, expected string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		if k != expected {
			parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// renderBench renders rows with the text columns left-aligned and the
// numbers right-aligned, boxed or as Markdown.
func renderBench(w io.Writer, markdown bool, header []string, rows [][]string) error {
	align := make([]tw.Align, len(header))
	for i := range align {
		align[i] = tw.AlignRight
		if i < 3 || header[i] == "verdict" {
			align[i] = tw.AlignLeft
		}
	}
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
	}
	if markdown {
		opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
	}
	t := tablewriter.NewTable(w, opts...)
	t.Header(slices.Clone(header))
	for _, row := range rows {
		if err := t.Append(row); err != nil {
			return err
		}
	}
	return t.Render()
}

// commas renders n with thousands separators: 14,400.
func commas(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// seconds renders a number of seconds as a duration: 1m0s, 100ms.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// mib renders a byte count in MiB.
func mib(b uint64) string {
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB"
}
