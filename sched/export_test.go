package sched

// PoolStats returns how many coroutines the scheduler has created and how
// many are idle in its pool: equal when no thread body is still running.
func PoolStats(s *Scheduler) (created, idle int) { return s.pool.created, len(s.pool.idle) }

// WatchdogSteps returns the step count the watchdog samples.
func WatchdogSteps(s *Scheduler) int64 { return s.watchdog.steps.Load() }

// The sched tests check the bit sets of gates.go at every scheduling point.
func init() { checkGates = true }

// SetEagerClocks makes the schedulers apply every clock operation at its
// step (clocklog.go), and returns the previous setting.
func SetEagerClocks(on bool) (was bool) { was, eagerClocks = eagerClocks, on; return was }

// PendingClockOps returns how many clock operations the scheduler has
// logged and not applied.
func PendingClockOps(s *Scheduler) int { return len(s.clockOps) }
