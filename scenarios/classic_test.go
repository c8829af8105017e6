package scenarios

import (
	"strings"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// runRandom runs prog under seeds random schedules and returns the
// failures seen, keyed by kind, and the races.
func runRandom(t *testing.T, prog sched.Program, seeds int) (fails map[sched.Kind]int, races int) {
	t.Helper()
	s := sched.New(sched.Options{})
	defer s.Close()
	fails = map[sched.Kind]int{}
	for seed := range seeds {
		r := s.Run(prog, sched.NewRandomChooser(uint64(seed)))
		if r.Failure != nil {
			fails[r.Failure.Kind]++
			if fails[r.Failure.Kind] == 1 {
				t.Logf("seed %d: %s", seed, r.Failure.Error())
			}
		}
		races += len(r.Races)
	}
	return fails, races
}

// TestClassicRandomRuns runs every benchmark of the quick set under random
// schedules: the passing ones never fail nor race, dining-philosophers
// deadlocks and nothing else.
func TestClassicRandomRuns(t *testing.T) {
	for _, c := range BenchCases(true) {
		t.Run(c.Scenario+"/"+c.Params.String(), func(t *testing.T) {
			prog, _, err := c.Program()
			if err != nil {
				t.Fatal(err)
			}
			s, _ := Lookup(c.Scenario)
			fails, races := runRandom(t, prog, 300)
			if races != 0 {
				t.Errorf("%d data races; the benchmarks use atomics or locks", races)
			}
			for kind, n := range fails {
				if kind != s.Expect.Fails {
					t.Errorf("%d runs failed with %v, want only %v", n, kind, s.Expect)
				}
			}
			if s.Expect.Fails != 0 && fails[s.Expect.Fails] == 0 {
				t.Errorf("no random run failed with %v in 300", s.Expect.Fails)
			}
		})
	}
}

// TestClassicRegistered checks every benchmark is in the registry with a
// Doc that states its count and a default that resolves.
func TestClassicRegistered(t *testing.T) {
	for _, name := range []string{"inc", "lockinc", "lastzero", "readers", "indexer", "filesystem",
		"dining-philosophers", "dining-philosophers-fixed"} {
		s, ok := Lookup(name)
		if !ok {
			t.Errorf("%s is not registered", name)
			continue
		}
		if s.Group != "benchmark" || s.Doc == "" || s.Build == nil {
			t.Errorf("%s: group %q, doc %d bytes, build set %v", name, s.Group, len(s.Doc), s.Build != nil)
		}
		if _, _, err := BuildNamed(name, nil); err != nil {
			t.Errorf("%s with its defaults: %v", name, err)
		}
		if _, ok := OptimalCount(name, Params{"n": 3}); ok && !strings.Contains(s.Doc, "trace") {
			t.Errorf("%s: the Doc does not give its trace count", name)
		}
	}
}

func TestOptimalCountClosedForms(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		want int
	}{
		{"inc", 2, 4}, {"inc", 3, 36}, {"inc", 4, 576}, {"inc", 5, 14400},
		{"lockinc", 4, 24},
		{"lastzero", 1, 2}, {"lastzero", 3, 12}, {"lastzero", 5, 64}, {"lastzero", 10, 3328},
		{"readers", 6, 64},
		{"indexer", 11, 1}, {"indexer", 12, 8}, {"indexer", 13, 64},
		{"filesystem", 13, 1}, {"filesystem", 14, 2}, {"filesystem", 16, 8},
	} {
		if got, ok := OptimalCount(tc.name, Params{"n": tc.n}); !ok || got != tc.want {
			t.Errorf("OptimalCount(%s, n=%d) = %d, %v; want %d", tc.name, tc.n, got, ok, tc.want)
		}
	}
}
