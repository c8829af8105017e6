package python

import (
	"slices"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// The article's programs, unmodified, reach the verdicts of their Go twins
// in scenarios/ (README "Python programs" compares the executions).

func TestArticleLostUpdateFoundInFirstExecution(t *testing.T) {
	rep := search(t, article(t, "racecond.py", "ending_value_is_updates"), explore.Config{Runs: 1, KeepGoing: true})
	a := failure(rep, sched.Assertion)
	if a == nil || failure(rep, sched.DataRace) == nil {
		t.Fatalf("want an assertion and a data race in the first execution, got %+v", rep.Failures)
	}
	if a.Preemptions != 0 {
		t.Errorf("the lost update needs %d preemptions, want 0", a.Preemptions)
	}
}

func TestArticleLostUpdateOutcomesWithoutCheck(t *testing.T) {
	rep := search(t, article(t, "racecond.py", ""), explore.Config{Strategy: explore.Random, Seed: 1, Runs: 40,
		KeepGoing: true, NoMinimize: true})
	got := outcomes(rep)
	for _, want := range []string{"Testing update. Ending value is 1.", "Testing update. Ending value is 2."} {
		if !slices.Contains(got, want) {
			t.Errorf("outcomes %q lack %q", got, want)
		}
	}
}

func TestArticlePipelineLockBugLosesAMessage(t *testing.T) {
	rep := search(t, article(t, "prodcom_lock_bug.py", "every_message_stored"), explore.Config{Runs: 300, NoRaces: true})
	a := failure(rep, sched.Assertion)
	if a == nil {
		t.Fatalf("want the lost message (an assertion), got verdict %s %+v", rep.Verdict, rep.Failures)
	}
	if a.Preemptions != 1 {
		t.Errorf("the lost message needs %d preemptions, want 1", a.Preemptions)
	}
}

func TestArticleDaemonFinishesAfterAllDone(t *testing.T) {
	rep := search(t, article(t, "daemon_thread.py", "finishing_not_after_all_done"), explore.Config{})
	if failure(rep, sched.Assertion) == nil {
		t.Fatalf("want 'finishing' after 'all done' (an assertion), got %s %+v", rep.Verdict, rep.Failures)
	}
}

func TestArticleJoinComplete(t *testing.T) {
	rep := search(t, article(t, "join_thread.py", "finishing_before_all_done"), explore.Config{})
	if rep.Verdict != explore.Complete {
		t.Fatalf("verdict %s, want complete: %+v", rep.Verdict, rep.Failures)
	}
}

func TestArticleQueuePipelineHangs(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("40 CPython executions of 300 steps: not under -race or -short")
	}
	rep := search(t, article(t, "prodcom_queue.py", ""), explore.Config{Strategy: explore.PCT, Seed: 7, Runs: 40,
		MaxSteps: 300, KeepGoing: true, NoRaces: true, NoMinimize: true})
	if failure(rep, sched.Deadlock) == nil {
		t.Fatalf("want the hang (a deadlock), got %s %+v", rep.Verdict, rep.Failures)
	}
}

// The long ones: complete searches of hundreds to thousands of CPython
// executions.

func TestArticleCompleteSearches(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("hundreds of CPython executions: not under -race or -short")
	}
	for _, c := range []struct{ file, check string }{
		{"prodcom_lock.py", "every_message_stored"},
		{"multiple_threads.py", ""},
		{"timer_prompt.py", "prompt_not_after_key"},
	} {
		t.Run(c.file, func(t *testing.T) {
			rep := search(t, article(t, c.file, c.check), explore.Config{})
			if rep.Verdict != explore.Complete {
				t.Fatalf("verdict %s after %d executions, want complete: %+v", rep.Verdict, rep.Executions, rep.Failures)
			}
		})
	}
}
