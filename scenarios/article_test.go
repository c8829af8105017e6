package scenarios_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/sched"
)

// articleScenarios returns the scenarios of the article, with the names
// the command line promises.
func articleScenarios(t *testing.T) []scenarios.Scenario {
	t.Helper()
	var out []scenarios.Scenario
	for _, s := range scenarios.All() {
		if s.Group == "article" {
			out = append(out, s)
		}
	}
	return out
}

func articleModel(t *testing.T, s scenarios.Scenario) explore.Model {
	t.Helper()
	p, err := s.Resolve(nil)
	if err != nil {
		t.Fatalf("%s: defaults do not resolve: %v", s.Name, err)
	}
	return explore.Model{Name: s.Name, Params: p.String(), Program: s.Build(p)}
}

func kindsOf(rep *explore.Report) []sched.Kind {
	var ks []sched.Kind
	for _, f := range rep.Failures {
		ks = append(ks, f.Kind)
	}
	return ks
}

func expectedKinds(e scenarios.Expect) []sched.Kind {
	if e.Fails == 0 {
		return nil
	}
	return append([]sched.Kind{e.Fails}, e.Also...)
}

// TestArticleNames pins the scenario names the command line promises.
func TestArticleNames(t *testing.T) {
	want := []string{"barrier-init", "barrier-init-bug", "daemon", "executor", "join", "locked-update",
		"locked-update-threads", "lost-update", "lost-update-threads", "multiple-threads", "pipeline-lock",
		"pipeline-lock-bug", "pipeline-lock-threads", "pipeline-queue", "pipeline-queue-exit-bug", "pipeline-queue-fixed",
		"semaphore-pool", "semaphore-pool-bounded-bug", "semaphore-pool-bug", "timer-prompt", "timer-prompt-race"}
	var got []string
	for _, s := range articleScenarios(t) {
		got = append(got, s.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("article scenarios:\n got %v\nwant %v", got, want)
	}
}

// TestArticleDocs checks that every Doc states its property, its verdict
// and its parameters.
func TestArticleDocs(t *testing.T) {
	for _, s := range articleScenarios(t) {
		if s.Section == "" || len(s.Primitives) == 0 || s.Build == nil {
			t.Errorf("%s: section %q, primitives %v, build set %v", s.Name, s.Section, s.Primitives, s.Build != nil)
		}
		for _, word := range []string{"Property", "Exhaustive exploration"} {
			if !strings.Contains(s.Doc, word) {
				t.Errorf("%s: the Doc does not say %q", s.Name, word)
			}
		}
		verdict := "passes"
		if s.Expect.Fails != 0 {
			verdict = "fail"
		}
		if !strings.Contains(strings.ToLower(s.Doc), verdict) {
			t.Errorf("%s: the Doc does not give the verdict (%q)", s.Name, verdict)
		}
		for _, p := range s.Params {
			if !strings.Contains(s.Doc, p.Name+" (default") && !strings.Contains(s.Doc, "default "+itoa(p.Default)) {
				t.Errorf("%s: the Doc does not give parameter %s's default %d", s.Name, p.Name, p.Default)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestArticleExhaustive checks every scenario's expected verdict with
// exhaustive DFS on its defaults: a passing scenario's search completes
// with no failure; a failing one fails with only the kinds it expects.
func TestArticleExhaustive(t *testing.T) {
	for _, s := range articleScenarios(t) {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			rep, err := explore.Explore(context.Background(), articleModel(t, s),
				explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoMinimize: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s after %d executions, kinds %v", s.Name, rep.Verdict, rep.Executions, kindsOf(rep))
			want := expectedKinds(s.Expect)
			if want == nil {
				if rep.Verdict != explore.Complete {
					t.Fatalf("verdict %s, want complete; failures: %v", rep.Verdict, rep.Failures)
				}
				checkOutcomes(t, s.Name, rep.Outcomes)
				return
			}
			if rep.Verdict != explore.Failed {
				t.Fatalf("verdict %s, want failed with %v", rep.Verdict, s.Expect)
			}
			for _, k := range kindsOf(rep) {
				if !slices.Contains(want, k) {
					t.Errorf("found %v, which the scenario does not expect (%v)", k, s.Expect)
				}
			}
		})
	}
}

// passingOutcomes are the outcomes exhaustive exploration reaches in the
// passing scenarios: every finishing order, both sides of the timer race.
var passingOutcomes = map[string][]string{
	"join":                  {"finishing before all done"},
	"multiple-threads":      {"finished 0,1,2", "finished 0,2,1", "finished 1,0,2", "finished 1,2,0", "finished 2,0,1", "finished 2,1,0"},
	"executor":              {"finished 0,1", "finished 1,0"},
	"locked-update":         {"value=2"},
	"locked-update-threads": {"value=2"},
	"pipeline-lock":         {"stored [43 45 86]"},
	"pipeline-lock-threads": {"stored [43 45 86]"},
	"pipeline-queue-fixed":  {"stored 0 of 0", "stored 1 of 1"},
	"semaphore-pool":        {"at most 1 in use", "at most 2 in use"},
	"timer-prompt":          {"no prompt", "prompted before the key press"},
	"barrier-init":          {"all initialised before work"},
}

func checkOutcomes(t *testing.T, name string, oc []explore.OutcomeCount) {
	t.Helper()
	var got []string
	for _, o := range oc {
		got = append(got, o.Outcome)
	}
	if want, ok := passingOutcomes[name]; !ok {
		t.Errorf("no outcomes listed for %s; exploration reached %q", name, got)
	} else if !slices.Equal(got, want) {
		t.Errorf("outcomes %q, want %q", got, want)
	}
}

// TestArticleFailureKinds checks that exploration finds every failure kind
// a failing scenario expects, and no other: exhaustively where that is
// cheap (1,000 executions), else in those and 600 seeded PCT runs (a
// kind found by a partial search is one the exhaustive search finds).
func TestArticleFailureKinds(t *testing.T) {
	for _, s := range articleScenarios(t) {
		want := expectedKinds(s.Expect)
		if want == nil {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			got, complete := exploreKinds(t, s, explore.Config{Strategy: explore.DFS,
				Preemptions: explore.Unbounded, Runs: 1000})
			if !complete {
				more, _ := exploreKinds(t, s, explore.Config{Strategy: explore.PCT, Seed: 1, Runs: 600})
				for _, k := range more {
					if !slices.Contains(got, k) {
						got = append(got, k)
					}
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("kinds found %v, want %v", got, want)
			}
		})
	}
}

// exploreKinds explores s's defaults, going on after failures, and returns
// the failure kinds found and whether the search was exhaustive.
func exploreKinds(t *testing.T, s scenarios.Scenario, cfg explore.Config) ([]sched.Kind, bool) {
	t.Helper()
	cfg.KeepGoing, cfg.NoMinimize = true, true
	rep, err := explore.Explore(context.Background(), articleModel(t, s), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s %s: %d executions (budget hit: %v), kinds %v", s.Name, cfg.Strategy, rep.Executions, rep.Budget, kindsOf(rep))
	return kindsOf(rep), !rep.Budget && cfg.Strategy == explore.DFS
}

func containsAll(got, want []sched.Kind) bool {
	for _, k := range want {
		if !slices.Contains(got, k) {
			return false
		}
	}
	return true
}

// TestExpectedKindIsReportedFirst: the kind `threadsim list` gives as a
// scenario's failure is the one `threadsim explore SCENARIO` reports, which
// stops at the first failing execution (dfs, no bound).
func TestExpectedKindIsReportedFirst(t *testing.T) {
	for _, s := range scenarios.All() {
		if s.Expect.Fails == 0 || s.Expect.Stateful {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			rep, err := explore.Explore(context.Background(), articleModel(t, s),
				explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoMinimize: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := kindsOf(rep); len(got) == 0 || got[0] != s.Expect.Fails {
				t.Errorf("explore reports %v first; list says %s", got, s.Expect)
			}
		})
	}
}
