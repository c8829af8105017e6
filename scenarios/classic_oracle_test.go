package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// naiveChooser enumerates every interleaving, depth first: it replays
// prefix, then takes decision 0, and records the width of every real
// choice so that next can backtrack.
type naiveChooser struct {
	prefix []int
	widths []int
	pos    int
}

func (c *naiveChooser) Choose(ch *sched.Choice) int {
	if ch.N == 1 {
		return 0
	}
	d := 0
	if c.pos < len(c.prefix) {
		d = c.prefix[c.pos]
	} else {
		c.prefix = append(c.prefix, 0)
	}
	c.widths = append(c.widths[:c.pos], ch.N)
	c.pos++
	return d
}

// next moves to the next interleaving and reports whether there is one.
func (c *naiveChooser) next() bool {
	c.prefix = c.prefix[:c.pos]
	for i := len(c.prefix) - 1; i >= 0; i-- {
		if c.prefix[i]+1 < c.widths[i] {
			c.prefix[i]++
			c.prefix = c.prefix[:i+1]
			c.pos = 0
			return true
		}
	}
	return false
}

// traceKey is a canonical name of r's Mazurkiewicz trace, with two steps
// dependent when they touch the same object and one writes: every write
// of each object in order, and for every read how many writes of its
// object preceded it.
func traceKey(r *sched.Result) string {
	type access struct {
		event string
		after int // writes of the object before a read; -1 for a write
	}
	perObj := map[sched.ObjID][]access{}
	writes := map[sched.ObjID]int{}
	index := map[sched.ThreadID]int{}
	for _, e := range r.Trace {
		ev := fmt.Sprintf("%d.%d:%s", e.Thread, index[e.Thread], e.Op)
		index[e.Thread]++
		if e.Obj == sched.NoObject {
			continue
		}
		a := access{ev, -1}
		if e.Access == sched.Read {
			a.after = writes[e.Obj]
		} else {
			writes[e.Obj]++
		}
		perObj[e.Obj] = append(perObj[e.Obj], a)
	}
	var b strings.Builder
	for _, obj := range slices.Sorted(func(yield func(sched.ObjID) bool) {
		for o := range perObj {
			if !yield(o) {
				return
			}
		}
	}) {
		acc := perObj[obj]
		slices.SortStableFunc(acc, func(x, y access) int {
			// Reads between the same two writes commute: sort them.
			kx, ky := x.after, y.after
			if kx != ky || kx == -1 {
				return 0
			}
			return strings.Compare(x.event, y.event)
		})
		fmt.Fprintf(&b, "%d%v;", obj, acc)
	}
	return b.String()
}

// bruteForce runs every interleaving of prog and returns how many there
// are, how many distinct traces they fall into, and how many traces end
// with a failure.
func bruteForce(t *testing.T, prog sched.Program) (interleavings, traces, failing int) {
	t.Helper()
	s := sched.New(sched.Options{NoRaces: true})
	defer s.Close()
	seen := map[string]bool{}
	c := &naiveChooser{}
	for {
		r := s.Run(prog, c)
		interleavings++
		if k := traceKey(r); !seen[k] {
			seen[k] = true
			if r.Failure != nil {
				failing++
			}
		}
		if !c.next() {
			break
		}
		if interleavings > 2_000_000 {
			t.Fatal("too many interleavings for brute force")
		}
	}
	return interleavings, len(seen), failing
}

// TestClassicTracesByBruteForce counts the traces of the small benchmarks
// by enumerating every interleaving and grouping them by trace, an oracle
// independent of the engine: the models have the published counts.
func TestClassicTracesByBruteForce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		failing int // traces ending in a failure
	}{
		{"inc", 2, 0},
		{"lockinc", 2, 0},
		{"lastzero", 2, 0},
		{"readers", 2, 0},
		{"dining-philosophers", 2, 1},
		{"dining-philosophers-fixed", 2, 0},
	} {
		prog, _, err := BuildNamed(tc.name, Params{"n": tc.n})
		if err != nil {
			t.Fatal(err)
		}
		inter, traces, failing := bruteForce(t, prog)
		t.Logf("%s n=%d: %d interleavings, %d traces, %d failing", tc.name, tc.n, inter, traces, failing)
		want, _ := OptimalCount(tc.name, Params{"n": tc.n})
		if traces != want || failing != tc.failing {
			t.Errorf("%s n=%d: %d traces, %d failing; want %d, %d", tc.name, tc.n, traces, failing, want, tc.failing)
		}
	}
}
