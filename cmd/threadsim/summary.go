package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// maxOutcomeLines caps the outcomes listed in the summary table.
const maxOutcomeLines = 12

// writeExploreText prints the summary table, then each failure: its kind
// and message, the minimal trace as swimlanes, the preemptions it needs
// and its replay token.
func writeExploreText(w io.Writer, m model, rep *explore.Report, interrupted, all bool) error {
	fmt.Fprintf(w, "explore %s %s: %s\n", m.scenario.Name, m.paramsText(), searchText(rep))
	if interrupted {
		fmt.Fprintln(w, "interrupted: the report covers the executions run so far")
	}
	if err := writeSummary(w, rep); err != nil {
		return err
	}
	if why := boundedWhy(rep, interrupted); why != "" {
		fmt.Fprintln(w, why)
	}
	if pt := partitionText(rep); pt != "" {
		fmt.Fprintln(w, pt)
	}
	if rules := stateRulesNote(rep); rules != "" {
		fmt.Fprintln(w, rules)
	}
	shown := map[string]int{} // token → failure number whose trace was shown
	for i, f := range rep.Failures {
		fmt.Fprintf(w, "\nFAILURE %d of %d: %s\n", i+1, len(rep.Failures), f.Kind)
		if j, ok := shown[f.Token]; ok {
			fmt.Fprintln(w, indent(f.Message, "  "))
			fmt.Fprintf(w, "the same execution as failure %d\n", j)
			writeReplayLines(w, f)
			continue
		}
		shown[f.Token] = i + 1
		if err := writeFailure(w, m, f, all); err != nil {
			return err
		}
	}
	writeUndecided(w, rep)
	return nil
}

// writeUndecided prints the execution a stateless search stopped at the
// step limit, which is no failure: what that means, and the token that
// replays its schedule (not its trace: it is as long as the limit).
func writeUndecided(w io.Writer, rep *explore.Report) {
	u := rep.Undecided
	if u == nil {
		return
	}
	fmt.Fprintf(w, "\nUNDECIDED: an execution did not end within %d steps\n%s\n", u.Steps, undecidedNoteFor(rep.Strategy))
	fmt.Fprintf(w, "its schedule: threadsim replay %s\n", u.Token)
}

// undecidedNote follows a stateless search's execution that did not end
// within the step limit, which it cannot tell from an unfair schedule.
const undecidedNote = "no failure of the program: a stateless search stops an execution that has not ended at the\n" +
	"step limit (--max-steps), and that execution may follow an unfair schedule, one that never runs a\n" +
	"thread that could run. --strategy stateful decides whether a fair schedule can run forever (a livelock);\n" +
	"a program whose executions are only long needs a higher --max-steps."

// statefulUndecidedNote is undecidedNote for stateful and BFS searches,
// whose table ends every cycle.
const statefulUndecidedNote = "no failure of the program: the search met an execution that had not ended at the step limit\n" +
	"(--max-steps) and whose states had not repeated (a repeat closes a cycle, which it decides): the\n" +
	"program's executions are longer than the limit (raise --max-steps), or its state space has no\n" +
	"bound (a counter that grows for ever)."

// undecidedNoteFor is the note on an undecided execution of strategy.
func undecidedNoteFor(strategy string) string {
	if strategy == explore.Stateful || strategy == explore.BFS {
		return statefulUndecidedNote
	}
	return undecidedNote
}

// searchText describes the search: "dfs, no preemption bound".
func searchText(rep *explore.Report) string {
	switch rep.Strategy {
	case explore.DFS, explore.ODPOR, explore.Naive:
		if rep.SourceDPOR {
			return rep.Strategy + " run as source-DPOR (" + sourceDPORWhy(rep) + "), no preemption bound"
		}
		if rep.Bound == explore.Unbounded {
			return rep.Strategy + ", no preemption bound"
		}
		return fmt.Sprintf("%s, at most %d preemptions", rep.Strategy, rep.Bound)
	case explore.Delay:
		if rep.Bound == explore.Unbounded {
			return "delay, round robin, no delay bound"
		}
		return fmt.Sprintf("delay, round robin, delay bound %d", rep.Bound)
	case explore.PCT:
		return fmt.Sprintf("pct, depth %d over %d choice points, seed %d", rep.Depth, rep.K, rep.Seed)
	case explore.Stateful, explore.BFS:
		return rep.Strategy + stateSearchText(rep)
	}
	return fmt.Sprintf("%s, seed %d", rep.Strategy, rep.Seed)
}

// stateSearchText says how a stateful search compared and reduced states.
func stateSearchText(rep *explore.Report) string {
	s := ", 64-bit state fingerprints"
	if rep.Exact {
		s = ", whole states compared"
	}
	if rep.Ample {
		s += ", ample sets"
	}
	if rep.TimeInState {
		s += ", the time in the state (the model reads the clock)"
	}
	if rep.Ample && rep.ExitsSeen {
		s += ", exits not taken alone (the model observes them)"
	}
	return s
}

// writeSummary prints the one-row summary table.
func writeSummary(w io.Writer, rep *explore.Report) error {
	rate := strconv.FormatFloat(elapsedRate(rep.Executions, rep.Elapsed), 'f', 0, 64)
	row := []string{rep.Strategy, strconv.Itoa(rep.Executions), rate, verdictText(rep), outcomesText(rep.Outcomes)}
	if err := writeTable(w, []string{"strategy", "executions", "executions/s", "verdict", "outcomes"}, [][]string{row}); err != nil {
		return err
	}
	if rep.Strategy != explore.Stateful && rep.Strategy != explore.BFS {
		return nil
	}
	return writeStateTable(w, rep)
}

// writeStateTable prints what a stateful search stored: states, states
// met, memory, speed, depth and the chance of a fingerprint collision.
func writeStateTable(w io.Writer, rep *explore.Report) error {
	collision := "none (exact)"
	if !rep.Exact {
		collision = fmt.Sprintf("%.1e (optimistic), %.1e (from the fingerprints)", rep.Collision, rep.CollisionActual)
	}
	row := []string{strconv.Itoa(rep.States), strconv.FormatInt(rep.Generated, 10),
		strconv.FormatFloat(rep.StateBytes, 'f', 0, 64),
		strconv.FormatFloat(elapsedRate(rep.States, rep.Elapsed), 'f', 0, 64),
		strconv.Itoa(rep.MaxDepth), collision}
	return writeTable(w, []string{"states", "states met", "bytes/state", "states/s", "max depth", "collision probability"},
		[][]string{row})
}

// boundedWhy says why a search that found nothing is not complete.
func boundedWhy(rep *explore.Report, interrupted bool) string {
	if rep.Verdict != explore.Bounded {
		return ""
	}
	switch {
	case interrupted:
		return fmt.Sprintf("bounded: interrupted (Ctrl-C) after %d executions", rep.Executions)
	case rep.Strategy == explore.Random || rep.Strategy == explore.PCT:
		return "bounded: " + rep.Strategy + " search samples schedules; it cannot show that none fails"
	case rep.Budget && rep.Strategy == explore.Delay:
		return fmt.Sprintf("bounded: the --runs or --time budget stopped the search after %d executions, at delay bound %d",
			rep.Executions, rep.Bound)
	case rep.Budget:
		return fmt.Sprintf("bounded: the --runs, --time or --max-states budget stopped the search after %d executions", rep.Executions)
	case rep.Cut > 0 && rep.Strategy == explore.Delay:
		return fmt.Sprintf("bounded: the delay bound %d cut %d branches", rep.Bound, rep.Cut)
	case rep.Cut > 0:
		return fmt.Sprintf("bounded: the preemption bound %d cut %d branches", rep.Bound, rep.Cut)
	}
	return "bounded: the search was cut short"
}

// verdictText adds the failure kinds to a failed verdict.
func verdictText(rep *explore.Report) string {
	if len(rep.Failures) == 0 {
		return rep.Verdict
	}
	kinds := make([]string, len(rep.Failures))
	for i, f := range rep.Failures {
		kinds[i] = f.Kind.String()
	}
	return rep.Verdict + ": " + strings.Join(kinds, ", ")
}

// outcomesText lists "outcome: count", one per line.
func outcomesText(oc []explore.OutcomeCount) string {
	if len(oc) == 0 {
		return "-"
	}
	var lines []string
	for i, o := range oc {
		if i == maxOutcomeLines {
			lines = append(lines, fmt.Sprintf("... %d more", len(oc)-i))
			break
		}
		lines = append(lines, fmt.Sprintf("%s: %d", outcomeName(o.Outcome), o.Count))
	}
	return strings.Join(lines, "\n")
}

func outcomeName(o string) string {
	if o == "" {
		return "(none)"
	}
	return o
}

// writeFailure prints one failure with its minimal trace, replayed with
// details.
func writeFailure(w io.Writer, m model, f explore.FailureReport, all bool) error {
	fmt.Fprintln(w, indent(f.Message, "  "))
	if f.Count > 1 {
		fmt.Fprintf(w, "  executions failing this way: %d\n", f.Count)
	}
	res, err := explore.Replay(m.exploreModel(), f.Schedule, sched.Options{Detail: true})
	switch {
	case f.NotDeterministic != "":
		fmt.Fprintf(w, "  %s\n  (the token below does not replay this failure)\n", f.NotDeterministic)
	case err != nil:
		fmt.Fprintf(w, "  (the schedule does not replay: %v)\n", err)
	default:
		fmt.Fprintf(w, "minimal trace (%d steps):\n", len(res.Trace))
		if err := writeSwimlanes(w, res, all); err != nil {
			return err
		}
		writeFailureDetail(w, res, f.Kind)
	}
	writeReplayLines(w, f)
	return nil
}

func writeReplayLines(w io.Writer, f explore.FailureReport) {
	fmt.Fprintf(w, "preemptions needed: %d", f.Preemptions)
	if f.Minimized {
		fmt.Fprintf(w, " (minimised from execution %d, which had %d preemptions)", f.Run+1, f.FirstPreemptions)
	}
	if f.Unproved {
		fmt.Fprint(w, "; not proved minimal: the minimiser's caps ended first")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "replay: threadsim replay %s\n", f.Token)
}

// writeFailureDetail prints what the replayed execution says about the
// failure: every thread's state, or both accesses of the race.
func writeFailureDetail(w io.Writer, res *sched.Result, kind sched.Kind) {
	if kind == sched.DataRace {
		for _, msg := range raceMessages(res) {
			fmt.Fprintln(w, msg)
		}
		return
	}
	if f := res.Failure; f != nil && (f.Kind == sched.Deadlock || f.Kind == sched.StepLimit || f.Kind == sched.Livelock) {
		for _, ts := range f.Threads {
			fmt.Fprintf(w, "  %s\n", ts)
		}
	}
	if f := res.Failure; f != nil && f.Stack != "" && (f.Kind == sched.Panic || f.Kind == sched.UncaughtException || f.Kind == sched.Misuse) {
		fmt.Fprintln(w, f.Stack) // the model's frames where it panicked or raised
	}
	if f := res.Failure; f != nil && f.RanOn {
		fmt.Fprintf(w, "  the exception ended %s only: the execution went on to the program's end (outcome %q)\n",
			f.ThreadName, res.Outcome)
	}
}

// stateRulesNote says, for a stateful or breadth-first search, that its
// verdict rests on the model keeping its shared state in primitives, and
// what the search's check of that found.
func stateRulesNote(rep *explore.Report) string {
	switch {
	case rep.Strategy != explore.Stateful && rep.Strategy != explore.BFS:
		return ""
	case rep.RulesBroken != "":
		return "WARNING: " + rep.RulesBroken
	case rep.RulesChecked > 0:
		return fmt.Sprintf("This verdict rests on the model keeping its shared state in primitives (sched/state.go's rules): "+
			"%d pairs of paths to one state, run on to their ends, agreed.", rep.RulesChecked)
	}
	return "This verdict rests on the model keeping its shared state in primitives (sched/state.go's rules)."
}

// sourceDPORWhy says why an odpor search ran as source-DPOR.
func sourceDPORWhy(rep *explore.Report) string {
	if rep.SourceDPORWhy == "" {
		return "threads create threads or objects concurrently, so ids depend on the order"
	}
	return strings.ReplaceAll(rep.SourceDPORWhy, "concurrently", "concurrently, so ids depend on the order")
}
