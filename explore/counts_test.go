package explore

import (
	"context"
	"testing"
)

func explore(t *testing.T, m Model, cfg Config) *Report {
	t.Helper()
	rep, err := Explore(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func dpor() Config {
	return Config{Strategy: DFS, Preemptions: Unbounded, NoMinimize: true, KeepGoing: true}
}
func naive() Config {
	return Config{Strategy: Naive, Preemptions: Unbounded, NoMinimize: true, KeepGoing: true}
}

func TestKnownCounts(t *testing.T) {
	cases := []struct {
		m    Model
		want int
	}{
		{lostUpdate(2, false), 4},
		{lostUpdate(3, false), 36},
		{lostUpdate(4, false), 576},
		{lockInc(2), 2},
		{lockInc(3), 6},
		{lockInc(4), 24},
		{lastZero(1), 2},
		{lastZero(2), 5},
		{lastZero(3), 12},
		{lastZero(4), 28},
		{lastZero(5), 64},
		{readers(2), 4},
		{readers(3), 8},
		{readers(6), 64},
	}
	for _, c := range cases {
		rep := explore(t, c.m, dpor())
		t.Logf("%s %s: complete %d (want %d), sleep-blocked %d, verdict %s", c.m.Name, c.m.Params, rep.Complete, c.want, rep.SleepBlocked, rep.Verdict)
		if rep.Complete != c.want {
			t.Errorf("%s %s: %d complete executions, want %d", c.m.Name, c.m.Params, rep.Complete, c.want)
		}
	}
}

// outcomeSet renders the distinct outcomes and failure kinds of a report.
func outcomeSet(r *Report) string {
	s := ""
	for _, o := range r.Outcomes {
		s += "[" + o.Outcome + "]"
	}
	for _, f := range r.Failures {
		s += " !" + f.Kind.String()
	}
	return s
}
