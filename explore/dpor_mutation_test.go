package explore

import (
	"testing"
)

// TestMutationsAreCaught: each re-introduced bug makes a micro-program
// lose traces or find redundant ones (DPOR-NOTES §8.4): the tests above
// can fail.
func TestMutationsAreCaught(t *testing.T) {
	cases := []struct {
		name string
		mut  *bool
	}{
		{"sleep entries kept", &mutKeepSleep},
		{"no look past the enabler", &mutNoRuleA},
		{"no disabling races", &mutNoRuleB},
		{"no pending races", &mutNoRuleC},
		{"racing thread backtracked", &mutRacingThread},
		{"read/read dependent", &mutReadRead},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			*c.mut = true
			defer func() { *c.mut = false }()
			var wrong []string
			for _, mc := range microCases() {
				cfg := dpor()
				cfg.NoRaces = true
				rep := explore(t, mc.m, cfg)
				if rep.Complete != mc.traces {
					wrong = append(wrong, mc.name)
				}
			}
			if len(wrong) == 0 {
				t.Fatal("no micro-program noticed the mutation")
			}
			t.Logf("caught by: %v", wrong)
		})
	}
}

// TestSleepAfterCutIsCaught: keeping a cut sibling in the sleep sets
// loses in-bound traces (DPOR-NOTES §4.3).
func TestSleepAfterCutIsCaught(t *testing.T) {
	mutSleepAfterCut = true
	defer func() { mutSleepAfterCut = false }()
	m := lostUpdate(3, false)
	cfg := dpor()
	cfg.Preemptions, cfg.NoRaces = 1, true
	got := explore(t, m, cfg)
	nv := naive()
	nv.Preemptions, nv.NoRaces = 1, true
	want := explore(t, m, nv)
	if outcomeSet(got) == outcomeSet(want) {
		t.Logf("lost update N=3 bound 1: same outcomes; comparing trace counts")
	}
	mutSleepAfterCut = false
	good := explore(t, m, cfg)
	if good.Complete == got.Complete && outcomeSet(got) == outcomeSet(want) {
		t.Fatalf("mutation not noticed: %d complete executions either way", got.Complete)
	}
	t.Logf("bound 1: %d complete executions with the mutation, %d without; naive %d", got.Complete, good.Complete, want.Complete)
}
