// The bench command: its flags, the report it fills and prints, and which
// tables it measures. Each table lives in its own file: bench_search.go
// (exhaustive searches against optimal counts), bench_bugs.go (finding each
// buggy scenario), bench_states.go (stateful search against SPIN),
// bench_threads.go (many-thread bugs), bench_python.go (Python programs
// against their Go twins); bench_machine.go records the machine.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/threadsim/threadsim/scenarios"
)

func init() {
	registerCommand(command{name: "bench", order: 6, run: runBenchCmd,
		usage: "bench [--quick] [--json] [--markdown] [--only NAME] [--tables LIST] [--seeds N] [--state-budget D] [--repeat N] [--from FILE]"})
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
	// repeat is how many times the workers table measures each search.
	repeat int
}

// benchTables selects the tables bench measures.
type benchTables struct{ search, bugs, states, threads, python, workers bool }

func (t *benchTables) String() string {
	var names []string
	for _, n := range []struct {
		on   bool
		name string
	}{{t.search, "search"}, {t.bugs, "bugs"}, {t.states, "states"}, {t.threads, "threads"}, {t.python, "python"}, {t.workers, "workers"}} {
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
		case "workers":
			t.workers = true
		default:
			return fmt.Errorf("unknown table %q: want search, bugs, states, threads, python or workers", name)
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
	// Workers are partitioned searches on 1 and 2 workers
	// (bench_workers.go).
	Workers []benchWorkers `json:"workers,omitempty"`
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

// runBenchCmd runs the suite and prints its tables or its JSON.
func runBenchCmd(e *env, args []string) int {
	f := benchFlags{tables: benchTables{search: true, bugs: true, states: true, threads: true, python: true, workers: true}}
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
	fs.Var(&f.tables, "tables", "measure only these tables, a comma-separated `LIST` of search, bugs, states, threads, python and workers (default all)")
	fs.DurationVar(&f.stateBudget, "state-budget", 0, "wall-time cap of each stateful search of the SPIN table (default 2m, 10s with --quick)")
	fs.IntVar(&f.maxStates, "max-states", 0, "cap on the states each stateful search stores (0: none)")
	fs.BoolVar(&f.exactStates, "exact-states", false, "stateful searches store whole states, not 64-bit fingerprints")
	fs.BoolVar(&f.spinRows, "spin-rows", false, "the SPIN table: only the rows SPIN has figures for (testdata/spin), and the sizes beyond them issue 19 set as targets")
	fs.BoolVar(&f.verbose, "v", false, "say on stderr what is being measured, even when stderr is not a terminal")
	fs.IntVar(&f.repeat, "repeat", 1, "measure each search of the workers table `N` times in a row, all searches once per round; "+
		"the table shows the median run by 2-worker time, and the range over the N runs")
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
	if f.repeat < 1 {
		return e.fail(usageErrorf("--repeat %d: want 1 or more", f.repeat))
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
	if msg := r.firstThreadsError(); msg != "" {
		return msg
	}
	return r.firstWorkersError()
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
	if f.tables.workers {
		rep.Workers = runWorkersTable(ctx, f, progress)
	}
	for _, s := range rep.States {
		if s.SPIN != nil {
			rep.SPIN = &spinFrom
		}
	}
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
		if err := r.writePythonTable(w, markdown); err != nil {
			return err
		}
	}
	if len(r.Workers) > 0 {
		return r.writeWorkersTable(w, markdown)
	}
	return nil
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
