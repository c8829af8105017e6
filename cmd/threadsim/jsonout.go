package main

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// jsonReport is the one JSON document that run, explore and replay print
// with --json.
type jsonReport struct {
	Scenario string         `json:"scenario"`
	Params   map[string]int `json:"params"`
	Strategy string         `json:"strategy"`
	Seed     uint64         `json:"seed,omitempty"`
	// PCTDepth and PCTK are PCT's bug depth d and the number k of choice
	// points its change points were drawn over in the last runs.
	PCTDepth   int `json:"pct_depth,omitempty"`
	PCTK       int `json:"pct_k,omitempty"`
	Executions int `json:"executions"`
	// Verdict is "complete" (every execution explored, none failed),
	// "bounded" (a bound cut the search, none failed), "undecided" (none
	// failed, but an execution did not end within the step limit: see
	// Undecided) or "failed".
	Verdict string `json:"verdict"`
	// SourceDPOR: an odpor search ran as source-DPOR, because the model
	// creates threads or objects from two threads at once or uses the
	// virtual clock; SourceDPORWhy says which (explore.Report.SourceDPOR).
	SourceDPOR    bool   `json:"source_dpor,omitempty"`
	SourceDPORWhy string `json:"source_dpor_why,omitempty"`
	// Delays is the delay strategy's last delay bound (-1: none).
	Delays   *int          `json:"delays,omitempty"`
	Failures []jsonFailure `json:"failures"`
	// Undecided is the execution a stateless search stopped at the step
	// limit: no failure (explore.Report.Undecided), Note says why.
	Undecided *jsonFailure   `json:"undecided,omitempty"`
	Outcomes  map[string]int `json:"outcomes"`
	ElapsedMS int64          `json:"elapsed_ms"`
	// Interrupted is set when Ctrl-C stopped the exploration.
	Interrupted bool `json:"interrupted,omitempty"`
	// States describes a stateful or bfs search's state table.
	States *jsonStates `json:"states,omitempty"`
	// Partition describes a partitioned search's prefixes.
	Partition *jsonPartition `json:"partition,omitempty"`
	// Logs and Trace are those of the single execution of run and replay.
	Logs  []jsonLog   `json:"logs,omitempty"`
	Trace []jsonEvent `json:"trace,omitempty"`
}

// jsonStates is what a stateful search stored.
type jsonStates struct {
	// RulesChecked and RulesBroken are explore.Report's.
	RulesChecked  int     `json:"rules_checked"`
	RulesBroken   string  `json:"rules_broken,omitempty"`
	Stored        int     `json:"stored"`
	Met           int64   `json:"met"`
	BytesPerState float64 `json:"bytes_per_state"`
	MaxDepth      int     `json:"max_depth"`
	Exact         bool    `json:"exact"`
	Ample         bool    `json:"ample_sets"`
	TimeInState   bool    `json:"time_in_state"`
	// ExitsSeen: the model watched a started thread otherwise than by joining
	// (or ran a daemon), so the search did not take exits alone.
	ExitsSeen       bool    `json:"exits_seen"`
	Collision       float64 `json:"collision_optimistic"`
	CollisionActual float64 `json:"collision_actual"`
}

// jsonPartition is how a depth-first search was partitioned: the depth
// of its prefixes in choice points, their number in its last level, and
// those a budget, Ctrl-C or a missing shard left unfinished.
type jsonPartition struct {
	Split      int   `json:"split"`
	Prefixes   int   `json:"prefixes"`
	Probed     int   `json:"probed"`
	Blocked    int   `json:"sleep_blocked"`
	Unfinished []int `json:"unfinished,omitempty"`
}

type jsonFailure struct {
	Kind        string `json:"kind"`
	Message     string `json:"message"`
	Token       string `json:"token,omitempty"`
	Preemptions int    `json:"preemptions"`
	Steps       int    `json:"steps"`
	Count       int    `json:"count,omitempty"`
	// Unproved: the minimiser's caps ended before it proved the schedule
	// minimal.
	Unproved bool     `json:"unproved,omitempty"`
	Threads  []string `json:"threads,omitempty"`
	// NotDeterministic says the token does not replay the failure.
	NotDeterministic string `json:"not_deterministic,omitempty"`
	// Note qualifies an undecided execution: it may follow an unfair
	// schedule (undecidedNote).
	Note string `json:"note,omitempty"`
	// RanOn says that the execution went on after the failure (an
	// uncaught exception ends only its thread).
	RanOn bool `json:"ran_on,omitempty"`
}

type jsonLog struct {
	Time   string `json:"time"`
	Thread string `json:"thread"`
	Text   string `json:"text"`
}

type jsonEvent struct {
	Step       int    `json:"step"`
	Time       string `json:"time"`
	Thread     string `json:"thread"`
	Op         string `json:"op"`
	Object     string `json:"object,omitempty"`
	Result     string `json:"result,omitempty"`
	Preemption bool   `json:"preemption,omitempty"`
}

// writeJSON writes v indented, with a final newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// report is one execution as a JSON document.
func (x execution) report(trace bool) jsonReport {
	r := x.result
	verdict := "bounded"
	switch executionStatus(r) {
	case exitFailure:
		verdict = "failed"
	case exitUndecided:
		verdict = explore.Undecided
	}
	rep := jsonReport{
		Scenario: x.model.scenario.Name, Params: x.model.params, Strategy: x.strategy, Seed: x.seed,
		Executions: 1, Verdict: verdict, Failures: executionFailures(r, x.token),
		Outcomes: map[string]int{}, ElapsedMS: x.elapsed.Milliseconds(), Logs: jsonLogs(r),
	}
	if r.Outcome != "" {
		rep.Outcomes[r.Outcome] = 1
	}
	if notEnded(r) { // no failure: undecided
		rep.Undecided, rep.Failures = &rep.Failures[0], rep.Failures[1:]
		rep.Undecided.Note = strings.ReplaceAll(undecidedNote, "\n", " ")
	}
	if trace {
		rep.Trace = jsonTrace(r)
	}
	return rep
}

// executionFailures lists the failure and the races of one execution.
func executionFailures(r *sched.Result, token string) []jsonFailure {
	out := []jsonFailure{}
	steps := len(r.Trace)
	if f := r.Failure; f != nil {
		jf := jsonFailure{Kind: f.Kind.String(), Message: f.Error(), Token: token,
			Preemptions: r.Preemptions, Steps: steps, RanOn: f.RanOn}
		for _, ts := range f.Threads {
			jf.Threads = append(jf.Threads, ts.String())
		}
		out = append(out, jf)
	}
	for _, msg := range raceMessages(r) {
		out = append(out, jsonFailure{Kind: sched.DataRace.String(), Message: msg, Token: token,
			Preemptions: r.Preemptions, Steps: steps})
	}
	return out
}

func jsonLogs(r *sched.Result) []jsonLog {
	out := make([]jsonLog, len(r.Logs))
	for i, l := range r.Logs {
		out[i] = jsonLog{Time: sched.FormatTime(l.Time), Thread: r.ThreadName(l.Thread), Text: l.Text}
	}
	return out
}

func jsonTrace(r *sched.Result) []jsonEvent {
	out := make([]jsonEvent, len(r.Trace))
	for i, ev := range r.Trace {
		out[i] = jsonEvent{Step: ev.Step, Time: sched.FormatTime(ev.Time), Thread: r.ThreadName(ev.Thread),
			Op: ev.Op, Object: r.ObjectName(ev.Obj), Result: ev.Detail, Preemption: ev.Preemption}
	}
	return out
}

// exploreReport is an exploration as a JSON document.
func exploreReport(m model, rep *explore.Report, interrupted bool) jsonReport {
	out := jsonReport{
		Scenario: m.scenario.Name, Params: m.params, Strategy: rep.Strategy, Seed: rep.Seed,
		Executions: rep.Executions, Verdict: rep.Verdict, Failures: []jsonFailure{},
		Outcomes: map[string]int{}, ElapsedMS: rep.Elapsed.Milliseconds(), Interrupted: interrupted,
		SourceDPOR: rep.SourceDPOR, SourceDPORWhy: rep.SourceDPORWhy,
	}
	for _, o := range rep.Outcomes {
		out.Outcomes[o.Outcome] = o.Count
	}
	if rep.Strategy == explore.PCT {
		out.PCTDepth, out.PCTK = rep.Depth, rep.K
	}
	if rep.Strategy == explore.Delay {
		out.Delays = &rep.Bound
	}
	if rep.Strategy == explore.Stateful || rep.Strategy == explore.BFS {
		out.States = &jsonStates{Stored: rep.States, Met: rep.Generated, BytesPerState: rep.StateBytes,
			MaxDepth: rep.MaxDepth, Exact: rep.Exact, Ample: rep.Ample, TimeInState: rep.TimeInState, ExitsSeen: rep.ExitsSeen,
			Collision: rep.Collision, CollisionActual: rep.CollisionActual,
			RulesChecked: rep.RulesChecked, RulesBroken: rep.RulesBroken}
	}
	if rep.Split > 0 {
		out.Partition = &jsonPartition{Split: rep.Split, Prefixes: rep.Prefixes, Probed: rep.Probed, Blocked: rep.SleepBlocked, Unfinished: rep.Unfinished}
	}
	for _, f := range rep.Failures {
		out.Failures = append(out.Failures, jsonFailure{Kind: f.Kind.String(), Message: f.Message, Token: f.Token,
			Preemptions: f.Preemptions, Steps: f.Steps, Count: f.Count, NotDeterministic: f.NotDeterministic,
			Unproved: f.Unproved})
	}
	if u := rep.Undecided; u != nil {
		out.Undecided = &jsonFailure{Kind: u.Kind.String(), Message: u.Message, Token: u.Token,
			Preemptions: u.Preemptions, Steps: u.Steps, Note: strings.ReplaceAll(undecidedNoteFor(rep.Strategy), "\n", " ")}
	}
	return out
}
