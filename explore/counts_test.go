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

// TestKnownCounts: source-DPOR runs exactly one complete execution per
// Mazurkiewicz trace on the benchmarks of DPOR-NOTES §8.2, and the
// sleep-set-blocked counts of the reference implementation on lastzero
// (ssb -1: not pinned by the notes; the measured value is logged).
func TestKnownCounts(t *testing.T) {
	cases := []struct {
		m         Model
		want, ssb int
	}{
		{lostUpdate(2, false), 4, 0},
		{lostUpdate(3, false), 36, 0},
		{lostUpdate(4, false), 576, 0},
		{lostUpdate(5, false), 14400, 0},
		{lockInc(2), 2, 0},
		{lockInc(3), 6, 0},
		{lockInc(4), 24, 0},
		{lockInc(5), 120, 0},
		{lastZero(1), 2, -1},
		{lastZero(2), 5, -1},
		{lastZero(3), 12, 1},
		{lastZero(4), 28, 7},
		{lastZero(5), 64, 33},
		{lastZero(6), 144, 131},
		{lastZero(7), 320, 473},
		{readers(2), 4, 0},
		{readers(3), 8, 0},
		{readers(6), 64, 0},
		// Lock-only programs: source-DPOR is optimal (DPOR-NOTES §3.3).
		{philosophers(3, false), 7, 0},
		{philosophers(3, true), 6, 0},
		{philosophers(4, false), 15, 0},
		{philosophers(4, true), 14, 0},
		{nestedLocks(2), 2, 0},
		{nestedLocks(3), 2, 0},
		{nestedLocks(5), 2, 0},
	}
	for _, c := range cases {
		if testing.Short() && c.want > 1000 {
			continue
		}
		cfg := dpor()
		cfg.NoRaces = true
		rep := explore(t, c.m, cfg)
		t.Logf("%s %s: complete %d (want %d), sleep-blocked %d", c.m.Name, c.m.Params, rep.Complete, c.want, rep.SleepBlocked)
		if rep.Complete != c.want || (c.ssb >= 0 && rep.SleepBlocked != c.ssb) || rep.Verdict == Bounded {
			t.Errorf("%s %s: %d complete + %d sleep-blocked executions (%s), want %d + %d", c.m.Name, c.m.Params,
				rep.Complete, rep.SleepBlocked, rep.Verdict, c.want, c.ssb)
		}
	}
}

// TestNaiveCounts measures plain DFS, the baseline of the reduction. The
// literature's (2N)!/2^N counts the workers' read/write interleavings
// only; here main's starts and joins and every thread's exit are steps
// too, so the counts are larger: pinned as measured.
func TestNaiveCounts(t *testing.T) {
	for _, c := range []struct{ n, want int }{{2, 69}, {3, 25424}} {
		rep := explore(t, lostUpdate(c.n, false), naive())
		t.Logf("naive lost update N=%d: %d executions ((2N)!/2^N = %d)", c.n, rep.Executions, fact(2*c.n)>>c.n)
		if c.want > 0 && rep.Executions != c.want {
			t.Errorf("N=%d: %d executions, want %d", c.n, rep.Executions, c.want)
		}
	}
}

func fact(n int) int {
	if n <= 1 {
		return 1
	}
	return n * fact(n-1)
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
