package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README's figures are claims, checked here against what produces
// them: every "$ go run ./cmd/threadsim ..." block against the command's
// output, the `go test ./bank` block against a module that uses the
// library as the README says (a replace directive), and the performance
// tables against the saved bench reports. After a change that alters an
// output on purpose, `go test ./cmd/threadsim -run TestREADME -update`
// rewrites the README's blocks and tables from those sources.

// readmePath is the README, from this package's directory.
const readmePath = "../../README.md"

func TestREADME(t *testing.T) {
	if raceEnabled {
		t.Skip("the README's commands run without the race detector (go test ./cmd/threadsim -run TestREADME)")
	}
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	orig := string(data)
	doc := orig
	doc = checkCommandBlocks(t, doc)
	doc = checkBankBlock(t, doc)
	doc = checkBenchTables(t, doc)
	if *update && doc != orig {
		if err := os.WriteFile(readmePath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", readmePath)
	}
}

// commandBlock matches a fenced block whose first line runs threadsim,
// possibly piped into grep: the command, the grep pattern and the output.
var commandBlock = regexp.MustCompile("(?m)^```\n\\$ go run \\./cmd/threadsim ([^\n|]*?)(?: \\| grep ([^\n]+))?\n((?:[^`][^\n]*\n|\n)*?)```\n")

// checkCommandBlocks runs every command block's command and compares its
// output with the block, less what varies from run to run (rates and
// timings); it returns doc with the blocks rewritten from the outputs.
func checkCommandBlocks(t *testing.T, doc string) string {
	t.Helper()
	blocks := commandBlock.FindAllStringSubmatchIndex(doc, -1)
	if len(blocks) < 5 {
		t.Fatalf("found %d command blocks in the README, want at least 5", len(blocks))
	}
	var b strings.Builder
	last := 0
	for _, m := range blocks {
		args, grep, shown := doc[m[2]:m[3]], "", doc[m[6]:m[7]]
		if m[4] >= 0 {
			grep = doc[m[4]:m[5]]
		}
		got := elide(commandOutput(t, args, grep), shown)
		if normalizeOutput(got) == normalizeOutput(shown) {
			got = shown // only rates and timings differ: keep the README's
		} else if !*update {
			t.Errorf("README block `threadsim %s` is not what the command prints (go test ./cmd/threadsim -run TestREADME -update rewrites it):\n--- README\n%s--- prints\n%s",
				args, shown, got)
		}
		b.WriteString(doc[last:m[6]])
		b.WriteString(got)
		last = m[7]
	}
	b.WriteString(doc[last:])
	return b.String()
}

// elide cuts got as shown is cut, when shown still fits it: a line "..."
// in shown stands for any lines of got, so the lines before it must be
// got's first ones and those after it must follow in got in order (the
// block's author kept the lines that matter). When shown does not fit,
// got is returned whole.
func elide(got, shown string) string {
	lines := strings.Split(strings.TrimSuffix(shown, "\n"), "\n")
	k := slices.Index(lines, "...")
	if k < 0 {
		return got
	}
	all := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	norm := func(l string) string { return normalizeOutput(l) }
	if k > len(all) {
		return got
	}
	if norm(strings.Join(all[:k], "\n")) != norm(strings.Join(lines[:k], "\n")) { // tables need their header
		return got
	}
	at := k
	for _, want := range lines[k+1:] {
		for at < len(all) && norm(all[at]) != norm(want) {
			at++
		}
		if at == len(all) {
			return got
		}
		at++
	}
	return shown
}

// commandOutput runs threadsim with the block's arguments (split on
// spaces, as the README writes none with quotes) and keeps the lines
// containing grep's pattern when it has one.
func commandOutput(t *testing.T, args, grep string) string {
	t.Helper()
	r := threadsim(t, strings.Fields(args)...)
	if r.code != exitOK && r.code != exitFailure {
		t.Errorf("threadsim %s: exit %d, stderr %s", args, r.code, r.stderr)
	}
	if grep == "" {
		return r.stdout
	}
	var kept []string
	for _, l := range strings.SplitAfter(r.stdout, "\n") {
		if strings.Contains(l, grep) {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "")
}

// volatileColumns are the table columns that measure time.
var volatileColumns = map[string]bool{"executions/s": true, "states/s": true}

// volatileText are timings in prose lines: "(0.00s)", "in 1.2 s".
var volatileText = regexp.MustCompile(`\(\d+(\.\d+)?s\)|\b\d+(\.\d+)? ?(s|ms|µs)\b`)

// normalizeOutput drops what varies between two runs of a command: table
// borders (their widths follow the cells), the cells of timed columns,
// timings, and padding.
func normalizeOutput(s string) string {
	var out []string
	var masked map[int]bool
	header := false
	for _, l := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(l, "┌"):
			header, masked = true, map[int]bool{}
			continue
		case strings.HasPrefix(l, "├"), strings.HasPrefix(l, "└"):
			continue
		case strings.HasPrefix(l, "│"):
			cells := strings.Split(strings.Trim(l, "│"), "│")
			for i, c := range cells {
				c = strings.TrimSpace(c)
				if header && volatileColumns[c] {
					masked[i] = true
				}
				if masked[i] && !header {
					c = "~"
				}
				cells[i] = c
			}
			header = false
			l = "|" + strings.Join(cells, "|") + "|"
		}
		out = append(out, volatileText.ReplaceAllString(strings.TrimRight(l, " "), "~"))
	}
	return strings.Join(out, "\n")
}

// bankBlocks are the README's example test, its go.mod and its output.
var (
	bankSource = regexp.MustCompile("(?s)```go\n(package bank_test\n.*?)```\n")
	bankOutput = regexp.MustCompile("(?s)```\n\\$ go test \\./bank\n(.*?)```\n")
)

// checkBankBlock builds the README's module that uses threadsim from
// another module (go.mod with a replace directive, as the README's
// install section says), runs `go test ./bank` there and compares its
// output with the README's.
func checkBankBlock(t *testing.T, doc string) string {
	t.Helper()
	src := bankSource.FindStringSubmatch(doc)
	out := bankOutput.FindStringSubmatchIndex(doc)
	if src == nil || out == nil {
		t.Error("the README has no bank_test.go example with its `go test ./bank` output")
		return doc
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/bank\n\ngo 1.26\n\nrequire github.com/threadsim/threadsim v0.0.0\n\nreplace github.com/threadsim/threadsim => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"go.mod": gomod, "go.sum": string(sum), "bank/bank_test.go": src[1]} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "test", "./bank")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	b, _ := cmd.CombinedOutput()
	// The README shows the test's output, up to go test's summary lines.
	got := regexp.MustCompile(`(?ms)^(FAIL|ok)\s+example\.com/bank\S*\s.*`).ReplaceAllString(string(b), "")
	shown := doc[out[2]:out[3]]
	if normalizeOutput(got) == normalizeOutput(shown) {
		got = shown
	} else if !*update {
		t.Errorf("README's `go test ./bank` output is not what it prints (go test ./cmd/threadsim -run TestREADME -update rewrites it):\n--- README\n%s--- prints\n%s", shown, got)
	}
	return doc[:out[2]] + got + doc[out[3]:]
}

// markdownTable matches a Markdown table: its header row, the alignment
// row and the body.
var markdownTable = regexp.MustCompile(`(?m)^\|[^\n]*\|\n\|[:| -]+\|\n(?:\|[^\n]*\|\n)*`)

// checkBenchTables compares the README's performance tables with the
// saved bench reports: the exhaustive-search and bug-finding tables with
// `threadsim bench --from testdata/bench-full.json --markdown`, the SPIN
// table with spinTable(testdata/bench-spin.json). A README table is
// matched to its source by its header row.
func checkBenchTables(t *testing.T, doc string) string {
	t.Helper()
	var sources []string
	for _, report := range benchReports { // a later report's table replaces an earlier one's
		r := threadsim(t, "bench", "--from", report, "--markdown")
		if r.code != exitOK {
			t.Fatalf("bench --from %s: exit %d, %s", report, r.code, r.stderr)
		}
		sources = append(sources, markdownTable.FindAllString(r.stdout, -1)...)
	}
	spin, err := readBenchReport("testdata/bench-spin.json")
	if err != nil {
		t.Fatal(err)
	}
	sources = append(sources, spinTable(spin))
	byHeader := map[string]string{} // by tableKey
	for _, s := range sources {
		byHeader[tableKey(s)] = s
	}
	checked := map[string]bool{}
	doc = markdownTable.ReplaceAllStringFunc(doc, func(shown string) string {
		want, ok := byHeader[tableKey(shown)]
		if !ok {
			return shown
		}
		checked[tableKey(shown)] = true
		if shown != want && !*update {
			t.Errorf("README table is not its bench report's (go test ./cmd/threadsim -run TestREADME -update rewrites it):\n--- README\n%s--- report\n%s", shown, want)
		}
		return want
	})
	if len(checked) != len(byHeader) {
		t.Errorf("the README shows %d of the %d bench tables", len(checked), len(byHeader))
	}
	return doc
}

// benchReports are the saved bench reports the README's tables come
// from: the exhaustive-search table, the bug table (re-measured apart),
// the many-thread table, the workers table, the Python programs' table
// (measured on one core).
var benchReports = []string{"testdata/bench-full.json", "testdata/bench-bugs.json", "testdata/bench-threads.json",
	"testdata/bench-workers.json", pythonReport}

// tableKey identifies a table: its header and its first row's first two
// cells (two reports can print tables with one header).
func tableKey(table string) string {
	lines := strings.SplitN(table, "\n", 4)
	key := tableHeader(table)
	if len(lines) > 2 {
		cells := strings.Split(strings.Trim(lines[2], "|"), "|")
		for _, c := range cells[:min(2, len(cells))] {
			key += "/" + strings.TrimSpace(c)
		}
	}
	return key
}

// tableHeader is a Markdown table's column names, without padding.
func tableHeader(table string) string {
	row, _, _ := strings.Cut(table, "\n")
	var cells []string
	for _, c := range strings.Split(strings.Trim(row, "|"), "|") {
		cells = append(cells, strings.TrimSpace(c))
	}
	return strings.Join(cells, "|")
}

// spinTable is the README's SPIN table: the rows of rep (bench
// --spin-rows: those SPIN has a figure for, and the sizes beyond them),
// CPU seconds beside CPU seconds, who was faster, and the load average the
// row was measured under.
func spinTable(rep *benchReport) string {
	var b strings.Builder
	b.WriteString("| scenario | params | verdict | states | CPU s | load | SPIN states | SPIN CPU s | faster |\n")
	b.WriteString("|:--|:--|:--|--:|--:|--:|--:|--:|:--|\n")
	for _, s := range rep.States {
		spinStates, spinCPU, faster := "-", "-", "-"
		if s.SPIN != nil {
			spinStates, spinCPU = commas(s.SPIN.States), fmt.Sprintf("%.2f", s.SPIN.CPU)
		}
		switch r := s.CPURatio; {
		case r == 0:
		case r < 1:
			faster = fmt.Sprintf("threadsim, %.2f×", 1/r)
		default:
			faster = fmt.Sprintf("SPIN, %.2f×", r)
		}
		load := "-"
		if s.Load > 0 {
			load = fmt.Sprintf("%.2f", s.Load)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f | %s | %s | %s | %s |\n", s.Scenario, s.Params, s.verdictCell(rep.Limits),
			commas(s.States), s.CPUSeconds, load, spinStates, spinCPU, faster)
	}
	return b.String()
}
