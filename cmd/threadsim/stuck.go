package main

import (
	"os"
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
