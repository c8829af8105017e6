package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
	"github.com/threadsim/threadsim/scenarios/python"
)

func init() {
	registerCommand(command{name: "merge", order: 4, run: runMerge,
		usage: "merge PART.json ... [--json] [--all-steps] [--python PATH]"})
}

// partFormat is the version of the part documents explore --shard --json
// prints and merge reads.
const partFormat = 1

// jsonPart is one shard's share of a search: what explore --shard i/n
// --json prints. Search holds every setting the report depends on, so
// that merge can check the parts belong together and make the report.
type jsonPart struct {
	Format   int            `json:"threadsim_part"`
	Scenario string         `json:"scenario"`
	Params   map[string]int `json:"params"`
	Search   partSearch     `json:"search"`
	// Threadsim is the build that explored the part (buildID).
	Threadsim string `json:"threadsim"`
	// Python is the CPython version that ran a Python program's part.
	Python    string `json:"python,omitempty"`
	ElapsedMS int64  `json:"elapsed_ms"`
	Workers   int    `json:"workers"`
	// Report is this shard's share alone, for reading; merge uses Part.
	Report jsonReport   `json:"report"`
	Part   explore.Part `json:"part"`
}

// partSearch is the configuration a part was explored with.
type partSearch struct {
	Strategy    string `json:"strategy"`
	Seed        uint64 `json:"seed,omitempty"`
	Runs        int    `json:"runs,omitempty"`
	Preemptions int    `json:"preemptions"`
	Iterative   bool   `json:"iterative,omitempty"`
	Delays      int    `json:"delays"`
	KeepGoing   bool   `json:"keep_going,omitempty"`
	MaxSteps    int    `json:"max_steps,omitempty"`
	Depth       int    `json:"depth,omitempty"`
	NoRaces     bool   `json:"no_races,omitempty"`
	Split       int    `json:"split"`
}

func searchOf(c explore.Config) partSearch {
	return partSearch{Strategy: c.Strategy, Seed: c.Seed, Runs: c.Runs, Preemptions: c.Preemptions, Iterative: c.Iterative, Delays: c.Delays,
		KeepGoing: c.KeepGoing, MaxSteps: c.MaxSteps, Depth: c.Depth, NoRaces: c.NoRaces, Split: c.Split}
}

func (s partSearch) config() explore.Config {
	return explore.Config{Strategy: s.Strategy, Seed: s.Seed, Runs: s.Runs, Preemptions: s.Preemptions, Iterative: s.Iterative, Delays: s.Delays,
		KeepGoing: s.KeepGoing, MaxSteps: s.MaxSteps, Depth: s.Depth, NoRaces: s.NoRaces, Split: s.Split}
}

// writePart prints a shard's part as JSON.
func (e *env) writePart(m model, rep *explore.Report, f exploreFlags, interrupted bool) error {
	if rep.Part == nil {
		return errors.New("the search returned no part")
	}
	part := jsonPart{Format: partFormat, Threadsim: buildID(), Scenario: m.scenario.Name, Params: m.params,
		Search: searchOf(f.cfg), ElapsedMS: rep.Elapsed.Milliseconds(), Part: *rep.Part,
		Report: exploreReport(m, rep, interrupted), Workers: rep.Workers}
	if m.program != nil {
		part.Python = m.program.Python.Version
	}
	return writeJSON(e.out, part)
}

// runMerge reads the parts of a sharded search and prints the report of
// the whole search, as explore prints it.
func runMerge(e *env, args []string) int {
	f := exploreFlags{}
	fs := newFlagSet("merge")
	fs.BoolVar(&f.json, "json", false, "print one JSON document instead of tables")
	fs.BoolVar(&f.all, "all-steps", false, "show the steps inside primitives in traces")
	definePythonFlag(fs)
	files, err := parseArgs(e, fs, commands["merge"].usage, args)
	if err != nil {
		return e.helpOrFail(err)
	}
	if len(files) == 0 {
		return e.fail(usageErrorf("missing part files (the --json output of explore --shard i/n)"))
	}
	m, search, parts, err := readParts(files)
	if err != nil {
		return e.fail(err)
	}
	defer m.close()
	cfg := search.config()
	cfg.OnStuck, cfg.StuckAfter = m.onStuck(e, cfg.Strategy, nil), e.stuckAfter
	rep, err := explore.Merge(e.ctx, m.exploreModel(), cfg, parts)
	if err != nil {
		return e.fail(usageErrorf("%v", err)) // the parts do not make one search
	}
	f.cfg = cfg
	if werr := e.writeExploration(m, rep, f, false); werr != nil {
		return e.fail(werr)
	}
	return exploreStatus(rep)
}

// readParts reads part files, checks they come from one search, and
// loads its model: a scenario, or a Python program whose source and
// CPython version must be those the shards ran.
func readParts(files []string) (model, partSearch, []explore.Part, error) {
	var first jsonPart
	var parts []explore.Part
	build := buildID()
	for i, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return model{}, first.Search, nil, usageErrorf("%v", err)
		}
		var p jsonPart
		if err := json.Unmarshal(data, &p); err != nil || p.Format != partFormat {
			return model{}, first.Search, nil, usageErrorf("%s is not a part of a sharded search (explore --shard i/n --json)", name)
		}
		if p.Threadsim != build {
			return model{}, first.Search, nil, usageErrorf("%s was explored by threadsim %s, this merge is %s: "+
				"run every shard and the merge with one build (their partitions need not agree)", name, p.Threadsim, build)
		}
		if i == 0 {
			first = p
		} else if p.Scenario != first.Scenario || scenarios.Params(p.Params).String() != scenarios.Params(first.Params).String() ||
			p.Search != first.Search || p.Python != first.Python {
			return model{}, first.Search, nil, usageErrorf("%s is a part of another search than %s (scenario, parameters, flags or CPython differ)", name, files[0])
		}
		parts = append(parts, p.Part)
	}
	m, err := partModel(first)
	if err != nil {
		return model{}, first.Search, nil, fmt.Errorf("%s: %w", files[0], err)
	}
	return m, first.Search, parts, nil
}

// partModel loads the model a part was explored on.
func partModel(p jsonPart) (model, error) {
	if !python.IsProgram(p.Scenario) {
		given := paramFlag{}
		for k, v := range p.Params {
			given[k] = fmt.Sprint(v)
		}
		return modelFromArgs([]string{p.Scenario}, given)
	}
	m, err := programFromSchedule(p.Scenario, scenarios.Params(p.Params).String(), "the parts were")
	if err != nil {
		return model{}, err
	}
	if v := m.program.Python.Version; v != p.Python {
		m.close()
		return model{}, usageErrorf("the shards ran CPython %s, this merge %s: give --python the shards' interpreter", p.Python, v)
	}
	return m, nil
}
