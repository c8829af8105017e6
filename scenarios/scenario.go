// Package scenarios holds threadsim's built-in models: every program of the
// Python threading article (../shared/seed), fixed and buggy, the classic
// benchmarks of the model-checking literature, and liveness models whose
// verdict only stateful exploration reaches. Each scenario states what it
// models, its property, its parameters and the verdict exhaustive
// exploration reaches with its default parameters; tests check every one,
// with stateless and with stateful search.
//
// For stateful search each program declares what its state is: it calls
// Thread.ForgetLog when its property does not read what it printed, and
// Thread.Checkpoint at the head of every loop that can run unboundedly,
// with exactly the locals the thread's future depends on. Go values the
// threads share outside primitives are written by one thread only, or
// kept in a primitive (a Var) so that reading them is an observed step.
package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// Scenario is a named, parameterised model.
type Scenario struct {
	// Name is the command-line name ("lost-update").
	Name string
	// Group is "article" for the article's programs, "benchmark" for the
	// classic benchmarks, "liveness" for the models whose verdict is about
	// cycles (livelocks), which only stateful exploration reaches.
	Group string
	// Section is the article section (or the paper) it comes from.
	Section string
	// Doc says what it models, its property and its expected verdict.
	Doc string
	// Primitives lists the primitives it uses.
	Primitives []string
	// Params are its parameters with their defaults.
	Params []Param
	// Expect is the verdict exhaustive exploration reaches with the
	// default parameters.
	Expect Expect
	// Build returns the program for the given parameter values; every
	// parameter is present (defaults filled in).
	Build func(p Params) sched.Program
}

// Param is one parameter of a scenario.
type Param struct {
	Name    string
	Default int
	Doc     string
	// Min and Max bound the accepted values.
	Min, Max int
}

// Expect is a scenario's expected verdict under exhaustive exploration with
// default parameters.
type Expect struct {
	// Fails is the failure kind exploration finds, or 0 when it finds none.
	Fails sched.Kind
	// Also lists the other failure kinds exhaustive exploration finds
	// (a data race beside the assertion, say).
	Also []sched.Kind
	// Note explains the verdict in a line.
	Note string
	// Stateful is set when only stateful exploration reaches the verdict:
	// some executions never end, so stateless search stops them at the
	// step limit and is undecided (explore.Undecided), and the CLI
	// explores the scenario statefully unless told otherwise.
	Stateful bool
}

// String returns "passes", "fails: deadlock", or with other kinds found
// "fails: assertion (also data-race)"; " (stateful)" follows a verdict
// only stateful exploration reaches.
func (e Expect) String() string {
	s := e.verdict()
	if e.Stateful {
		s += " (stateful)"
	}
	return s
}

func (e Expect) verdict() string {
	if e.Fails == 0 {
		return "passes"
	}
	s := "fails: " + e.Fails.String()
	for i, k := range e.Also {
		if i == 0 {
			s += " (also "
		} else {
			s += ", "
		}
		s += k.String()
	}
	if len(e.Also) > 0 {
		s += ")"
	}
	return s
}

// Params are parameter values by name.
type Params map[string]int

// String renders params canonically, sorted by name: "k=10,n=2".
func (p Params) String() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Itoa(p[k])
	}
	return strings.Join(parts, ",")
}

var registry []Scenario

// register adds a scenario; names must be unique.
func register(s Scenario) {
	if _, ok := Lookup(s.Name); ok {
		panic("scenarios: duplicate scenario " + s.Name)
	}
	registry = append(registry, s)
	slices.SortFunc(registry, func(a, b Scenario) int {
		if a.Group != b.Group {
			return strings.Compare(a.Group, b.Group)
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// All returns every scenario, the article's first, each group by name.
func All() []Scenario { return slices.Clone(registry) }

// Lookup returns the scenario called name.
func Lookup(name string) (Scenario, bool) {
	for _, s := range registry {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Resolve fills in defaults and checks the given values (from --param k=v)
// against the scenario's parameters.
func (s Scenario) Resolve(given map[string]string) (Params, error) {
	p := Params{}
	for _, d := range s.Params {
		p[d.Name] = d.Default
	}
	for k, v := range given {
		d, ok := s.param(k)
		if !ok {
			return nil, fmt.Errorf("scenario %s has no parameter %q (it has: %s)", s.Name, k, s.paramNames())
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("parameter %s=%q is not an integer", k, v)
		}
		if n < d.Min || n > d.Max {
			return nil, fmt.Errorf("parameter %s=%d is out of range [%d, %d]", k, n, d.Min, d.Max)
		}
		p[k] = n
	}
	return p, nil
}

func (s Scenario) param(name string) (Param, bool) {
	for _, d := range s.Params {
		if d.Name == name {
			return d, true
		}
	}
	return Param{}, false
}

func (s Scenario) paramNames() string {
	if len(s.Params) == 0 {
		return "none"
	}
	names := make([]string, len(s.Params))
	for i, d := range s.Params {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

// Suggest returns the scenario name nearest to name, for "did you mean".
func Suggest(name string) string {
	best, bestDist := "", 1<<30
	for _, s := range registry {
		if d := editDistance(name, s.Name); d < bestDist {
			best, bestDist = s.Name, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// numbered returns prefix+i+suffix for the n numbers i from from on: the
// names a program gives its threads or objects, made once when the
// program is built instead of in every execution (each is an allocation,
// and a search runs hundreds of thousands of executions).
func numbered(prefix, suffix string, from, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + strconv.Itoa(from+i) + suffix
	}
	return names
}
