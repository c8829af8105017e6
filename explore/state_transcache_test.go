package explore

import (
	"context"
	"testing"

	"pgregory.net/rapid"
)

// TestTransitionCachePredictsTheState: on generated programs, every
// prediction (a state a cached step leads to, and the frame of a state
// derived without running: its fingerprint, options and their records) is
// what an execution finds (verifyPredictions runs them all). A prediction
// that keeps the other threads' enabledness from the state before, and a
// cache of steps that start threads keyed without what the new thread's
// id and name depend on, are caught.
func TestTransitionCachePredictsTheState(t *testing.T) {
	fewerChecks(t)
	defer func() { verifyPredictions = false }()
	verified := func(m Model, configs ...Config) error {
		verifyPredictions = true
		for _, cfg := range append(configs, stateful()) {
			if _, err := Explore(context.Background(), m, cfg); err != nil {
				return err
			}
		}
		return nil
	}
	// The fixed programs are also searched without ample sets, which
	// reduce starts (state_ample.go): the first one's start is then predicted.
	full := stateful()
	full.FullExpansion = true
	rapid.Check(t, func(rt *rapid.T) {
		if err := verified(genModel(genProgram(rt))); err != nil {
			rt.Fatal(err)
		}
	})
	// Two programs rapid found that, between them, catch every mutation
	// every time (ten generated programs, under -race, need not): a
	// thread reads the clock, then starts a child (the search keeps the
	// time in its states' program component, on which the start depends);
	// an Event set and cleared beside a sleep.
	fixed := []Model{
		genModel(3, 1, [][]genOp{{{"wait", 0, 0}, {"read", 2, 0}}, {{"now", 0, 0}, {"spawn", 1, 12}},
			{{"acq", 0, 0}, {"rel", 0, 0}}}, -1),
		genModel(3, 0, [][]genOp{{{"clear", 0, 0}}, {{"yield", 0, 0}, {"sleep", 1, 0}}, {{"set", 0, 0}, {"yield", 0, 0}}}, -1),
	}
	// mutCacheAnyStep (the cache also learns steps that change a third
	// component) is no longer in the list: the only such steps it can
	// learn are starts, which ample sets now reduce (state_ample.go), and none
	// of 300 generated programs, nor the fixed ones, with or without ample
	// sets, caught it any more.
	mutations := map[string]*bool{"mutPredictStale": &mutPredictStale, "mutGrowthKey": &mutGrowthKey}
	for name, mut := range mutations {
		*mut = true
		caught := false
		for _, m := range fixed {
			caught = caught || verified(m, full) != nil
		}
		rapid.Check(t, func(rt *rapid.T) {
			caught = caught || verified(genModel(genProgram(rt))) != nil
		})
		*mut = false
		if !caught {
			t.Errorf("nothing noticed %s", name)
		}
	}
}

// TestTransitionCacheSparesExecutions: on the lost update, the search with
// the cache and prediction (fingerprints) stores and meets exactly the
// states of the search without them (whole states), running the model
// for fewer than a tenth of the executions. The exits are not taken alone
// here (as for a model that observes them): taken alone, they leave the
// search a quarter of the states (2,204 of 8,294), with fewer transitions
// to repeat, and the cache spares 320 executions of 447.
func TestTransitionCacheSparesExecutions(t *testing.T) {
	cfg := stateful()
	cfg.NoRaces, cfg.exitsSeen = true, true
	with := explore(t, lostUpdate(4, false), cfg)
	cfg.ExactStates = true
	without := explore(t, lostUpdate(4, false), cfg)
	if with.States != without.States || with.Generated != without.Generated || outcomeSet(with) != outcomeSet(without) {
		t.Fatalf("with the cache: %d states, %d met, %s; without: %d, %d, %s",
			with.States, with.Generated, outcomeSet(with), without.States, without.Generated, outcomeSet(without))
	}
	if 10*with.Executions >= without.Executions {
		t.Errorf("the cache spared too little: %d executions with it, %d without", with.Executions, without.Executions)
	}
	t.Logf("%d executions with the cache, %d without", with.Executions, without.Executions)
}

// TestTransitionCacheTellsThreadsApart: thread ids follow the interleaving
// (here, whether T0's child or T1 is started first), so one id names
// threads running different code in different executions: T1 exits after
// one read, T2 reads again. Rapid found the cache predicting T2's future
// for T1 when a new thread's history began empty; it begins with its
// parent's.
func TestTransitionCacheTellsThreadsApart(t *testing.T) {
	defer func() { verifyPredictions = false }()
	verifyPredictions = true
	threads := [][]genOp{{{"spawn", 0, 1}}, {{"read", 0, 0}}, {{"read", 0, 0}, {"read", 0, 0}}}
	if _, err := Explore(context.Background(), genModel(2, 0, threads, -1), stateful()); err != nil {
		t.Fatal(err)
	}
}
