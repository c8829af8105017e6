package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/scenarios"
)

func init() {
	registerCommand(command{name: "list", usage: "list [SCENARIO]", order: 1, run: runList})
}

// groupTitles head each group of scenarios in the listing.
var groupTitles = map[string]string{
	"article":   "The article's programs (Real Python, \"An Intro to Threading in Python\")",
	"benchmark": "Benchmarks",
	"liveness":  "Liveness (executions need not end: explore defaults to stateful; stateless search is undecided)",
}

// runList prints every scenario, grouped, or one scenario's documentation.
func runList(e *env, args []string) int {
	fs := newFlagSet("list")
	pos, err := parseArgs(e, fs, "list [SCENARIO]", args)
	if err != nil {
		return e.helpOrFail(err)
	}
	switch len(pos) {
	case 0:
		return e.done(listAll(e))
	case 1:
		s, err := lookupScenario(pos[0])
		if err != nil {
			return e.fail(err)
		}
		describeScenario(e, s)
		return exitOK
	}
	return e.fail(usageErrorf("want at most one scenario, got %d arguments", len(pos)))
}

func listAll(e *env) error {
	var groups []string
	byGroup := map[string][]scenarios.Scenario{}
	for _, s := range scenarios.All() {
		if _, seen := byGroup[s.Group]; !seen {
			groups = append(groups, s.Group)
		}
		byGroup[s.Group] = append(byGroup[s.Group], s)
	}
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(e.out)
		}
		fmt.Fprintln(e.out, groupTitle(g))
		if err := writeTable(e.out, []string{"name", "section", "primitives", "parameters", "expected"}, listRows(byGroup[g])); err != nil {
			return err
		}
	}
	return nil
}

func groupTitle(g string) string {
	if t, ok := groupTitles[g]; ok {
		return t
	}
	return g
}

func listRows(ss []scenarios.Scenario) [][]string {
	rows := make([][]string, len(ss))
	for i, s := range ss {
		rows[i] = []string{s.Name, s.Section, strings.Join(s.Primitives, ", "), paramDefaults(s), s.Expect.String()}
	}
	return rows
}

// paramDefaults renders "k=2, n=3", or "-" when there are none.
func paramDefaults(s scenarios.Scenario) string {
	if len(s.Params) == 0 {
		return "-"
	}
	parts := make([]string, len(s.Params))
	for i, p := range s.Params {
		parts[i] = p.Name + "=" + strconv.Itoa(p.Default)
	}
	return strings.Join(parts, ", ")
}

// describeScenario prints one scenario's documentation.
func describeScenario(e *env, s scenarios.Scenario) {
	w := e.out
	fmt.Fprintf(w, "%s (%s)\n\n%s\n\n", s.Name, s.Section, wrap(s.Doc, 78))
	fmt.Fprintf(w, "primitives: %s\n", strings.Join(s.Primitives, ", "))
	for _, p := range s.Params {
		fmt.Fprintf(w, "parameter:  %s=%d  %s (%d..%d)\n", p.Name, p.Default, p.Doc, p.Min, p.Max)
	}
	fmt.Fprintf(w, "expected:   %s", s.Expect)
	if s.Expect.Note != "" {
		fmt.Fprintf(w, " (%s)", s.Expect.Note)
	}
	fmt.Fprintln(w)
}

// wrap breaks text into lines of at most width columns.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		if n > 0 && n+1+len(word) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
