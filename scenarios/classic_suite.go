package scenarios

import (
	"fmt"

	"github.com/threadsim/threadsim/sched"
)

// BenchCase is one classic benchmark at fixed parameters, as threadsim
// bench runs it and as the tests check it.
type BenchCase struct {
	// Scenario is the scenario's name.
	Scenario string
	// Params are its parameter values (the others take their defaults).
	Params Params
	// Quick marks the small cases run in CI (threadsim bench --quick and
	// the tests); the others are only in the full set.
	Quick bool
}

// BenchCases returns the classic benchmarks with the parameters threadsim
// bench uses, and the article's untimed updates on plain threads: the quick set when quick is true, else the full set (a
// superset of the quick one), in a fixed order.
func BenchCases(quick bool) []BenchCase {
	all := []BenchCase{
		{"inc", Params{"n": 2}, true},
		{"inc", Params{"n": 3}, true},
		{"inc", Params{"n": 4}, false},
		{"inc", Params{"n": 5}, false},
		{"inc", Params{"n": 6}, false},
		{"lockinc", Params{"n": 3}, true},
		{"lockinc", Params{"n": 4}, true},
		{"lockinc", Params{"n": 6}, false},
		{"lastzero", Params{"n": 3}, true},
		{"lastzero", Params{"n": 5}, true},
		{"lastzero", Params{"n": 8}, false},
		{"lastzero", Params{"n": 10}, false},
		{"lastzero", Params{"n": 12}, false},
		{"readers", Params{"n": 3}, true},
		{"readers", Params{"n": 6}, true},
		{"readers", Params{"n": 10}, false},
		{"indexer", Params{"n": 11}, true},
		{"indexer", Params{"n": 12}, true},
		{"indexer", Params{"n": 13}, false},
		{"indexer", Params{"n": 14}, false},
		{"indexer", Params{"n": 15}, false},
		{"filesystem", Params{"n": 13}, true},
		{"filesystem", Params{"n": 14}, true},
		{"filesystem", Params{"n": 16}, false},
		{"filesystem", Params{"n": 18}, false},
		{"filesystem", Params{"n": 20}, false},
		{"dining-philosophers", Params{"n": 3}, true},
		{"dining-philosophers", Params{"n": 5}, false},
		{"dining-philosophers-fixed", Params{"n": 3}, true},
		{"dining-philosophers-fixed", Params{"n": 5}, false},
		// The article's updates on plain threads, untimed: every thread
		// prints, and the prints commute (the program forgets its log), so
		// DPOR explores the traces of the program without its prints.
		{"lost-update-threads", Params{"n": 4, "sleep": 0}, false},
		{"lost-update-threads", Params{"n": 5, "sleep": 0}, false},
		{"locked-update-threads", Params{"n": 4, "sleep": 0}, false},
		{"locked-update-threads", Params{"n": 5, "sleep": 0}, false},
	}
	if !quick {
		return all
	}
	var out []BenchCase
	for _, c := range all {
		if c.Quick {
			out = append(out, c)
		}
	}
	return out
}

// Program returns the case's program, its parameters resolved.
func (c BenchCase) Program() (sched.Program, Params, error) {
	return BuildNamed(c.Scenario, c.Params)
}

// BuildNamed looks up a scenario, fills in the defaults of the parameters
// p leaves out, checks the values, and builds the program:
//
//	prog, params, err := scenarios.BuildNamed("lastzero", scenarios.Params{"n": 5})
func BuildNamed(name string, p Params) (sched.Program, Params, error) {
	s, ok := Lookup(name)
	if !ok {
		return nil, nil, fmt.Errorf("no scenario %q (did you mean %q?)", name, Suggest(name))
	}
	given := make(map[string]string, len(p))
	for k, v := range p {
		given[k] = fmt.Sprint(v)
	}
	full, err := s.Resolve(given)
	if err != nil {
		return nil, nil, err
	}
	return s.Build(full), full, nil
}

// OptimalCount returns the number of Mazurkiewicz traces of a classic
// benchmark or an untimed update on plain threads, the count an optimal DPOR explores, from its closed form: ok
// is false for scenarios without a known one.
func OptimalCount(name string, p Params) (count int, ok bool) {
	n, has := p["n"]
	if !has {
		return 0, false
	}
	switch name {
	case "lost-update-threads", "locked-update-threads":
		// Untimed, these are inc and lockinc with prints nobody reads
		// (they commute) and main's starts and joins (which add no
		// trace).
		if sleep, given := p["sleep"]; !given || sleep != 0 {
			return 0, false
		}
		if name == "lost-update-threads" {
			return factorial(n) * factorial(n), true
		}
		return factorial(n), true
	case "inc":
		f := factorial(n)
		return f * f, true
	case "lockinc":
		return factorial(n), true
	case "lastzero":
		if n == 1 {
			return 2, true // (1+3)·2^(-1)
		}
		return (n + 3) << (n - 2), true
	case "readers":
		return 1 << n, true
	case "indexer":
		// The closed form is published (and was measured) up to N = 15.
		if n <= 11 {
			return 1, true
		}
		if n <= 15 {
			return 1 << (3 * (n - 11)), true
		}
	case "dining-philosophers":
		// Each fork's two users take it in either order; the complete
		// executions are the acyclic orientations of the ring, 2^N - 2, and
		// the all-left-first cycle is the deadlock.
		return 1<<n - 1, true
	case "dining-philosophers-fixed":
		return 1<<n - 2, true
	case "filesystem":
		if n <= 13 {
			return 1, true
		}
		return 1 << (n - 13), true
	}
	return 0, false
}

func factorial(n int) int {
	f := 1
	for i := 2; i <= n; i++ {
		f *= i
	}
	return f
}
