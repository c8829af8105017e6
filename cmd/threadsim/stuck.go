package main

import (
	"os"
	"strings"
	"time"
)

// stuckAfterEnv names the environment variable that sets how long one
// step may take in real time before run, explore or merge reports the
// model stuck (sched.Options.StuckAfter, by default sched's 10 s): a Go
// duration such as 30s, for a Python program that computes for longer
// than that between two operations the simulator sees.
const stuckAfterEnv = "THREADSIM_STUCK_AFTER"

// stuckAfter reads it: 0 (sched's default) when it is not set.
func stuckAfter() (time.Duration, error) {
	v := os.Getenv(stuckAfterEnv)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, usageErrorf("%s=%q: want a positive duration, such as 30s", stuckAfterEnv, v)
	}
	return d, nil
}

// jsonStuck is what run and explore print with --json when the model got
// stuck (sched's watchdog), besides the text on stderr: the process then
// exits with status 3.
type jsonStuck struct {
	Scenario string `json:"scenario"`
	Verdict  string `json:"verdict"` // "stuck"
	// Error is the report's first line: what is stuck, where, and why it
	// may be; Details its further lines (a Python thread's stack).
	Error   string   `json:"error"`
	Details []string `json:"details,omitempty"`
	// Token replays the schedule up to where the model got stuck.
	Token string `json:"token"`
	// FoundBefore are the failures found before, as replay commands.
	FoundBefore []string `json:"found_before,omitempty"`
}

func stuckJSON(m model, report, token string, before *foundSoFar) jsonStuck {
	first, details, _ := strings.Cut(strings.TrimSuffix(report, "\n"), "\n")
	j := jsonStuck{Scenario: m.scenario.Name, Verdict: "stuck", Error: first, Token: token, FoundBefore: before.list()}
	if details != "" {
		j.Details = strings.Split(details, "\n")
	}
	return j
}
