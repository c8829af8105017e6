package main

import (
	"strings"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios/python"
)

// exploreModel returns m as explore names it: the scenario's name, its
// canonical parameters and its program.
func (m model) exploreModel() explore.Model {
	return explore.Model{Name: m.scenario.Name, Params: m.params.String(), Program: m.scenario.Build(m.params)}
}

// token returns the replay token of an execution of m under strategy
// with the given decisions, without its shape (ScheduleOf records it when
// the execution's result is at hand).
func (m model) token(strategy string, decisions []int) string {
	s := explore.Schedule{Version: explore.TokenVersion, Model: m.scenario.Name, Params: m.params.String(),
		Strategy: strategy, Decisions: decisions}
	return s.Token()
}

// modelFromSchedule resolves the scenario and parameters a token names.
func modelFromSchedule(s explore.Schedule) (model, error) {
	if python.IsProgram(s.Model) {
		return programFromSchedule(s.Model, s.Params, "the token was")
	}
	sc, err := lookupScenario(s.Model)
	if err != nil {
		return model{}, usageErrorf("the token is for scenario %q, which this threadsim does not have", s.Model)
	}
	given := paramFlag{}
	if s.Params != "" {
		for _, kv := range strings.Split(s.Params, ",") {
			if err := given.Set(kv); err != nil {
				return model{}, usageErrorf("the token's parameters %q are malformed", s.Params)
			}
		}
	}
	p, err := resolveParams(sc, given)
	if err != nil {
		return model{}, usageErrorf("the token's parameters do not fit scenario %s: %v", sc.Name, err)
	}
	if p.String() != s.Params {
		return model{}, usageErrorf("the token's parameters %q are not those of scenario %s (%q)", s.Params, sc.Name, p.String())
	}
	return model{scenario: sc, params: p}, nil
}
