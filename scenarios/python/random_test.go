package python

import (
	"slices"
	"testing"

	"github.com/threadsim/threadsim/explore"
)

// TestRandomChoicesEnumerated: with RandomChoices, draws of randint and
// choice over few values are choices DFS enumerates (3 x 2 outcomes);
// without, and for a draw over more values, they are the seeded draws
// (one execution).
func TestRandomChoicesEnumerated(t *testing.T) {
	p := source(t, "import random\nprint(random.randint(1, 3), random.choice('ab'), random.randrange(0, 100, 10) >= 0)\n")
	rep := search(t, p, explore.Config{NoMinimize: true})
	if rep.Verdict != explore.Complete || rep.Executions != 1 {
		t.Fatalf("seeded draws: %s after %d executions, want complete after 1", rep.Verdict, rep.Executions)
	}
	p.RandomChoices = 3
	rep = search(t, p, explore.Config{NoMinimize: true})
	got := outcomes(rep)
	slices.Sort(got)
	want := []string{"1 a True", "1 b True", "2 a True", "2 b True", "3 a True", "3 b True"}
	if rep.Verdict != explore.Complete || rep.Executions != 6 || !slices.Equal(got, want) {
		t.Fatalf("enumerated draws: %s after %d executions, outcomes %q, want complete after 6 with %q",
			rep.Verdict, rep.Executions, got, want)
	}
}
