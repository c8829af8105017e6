package sched

// PoolStats returns how many coroutines the scheduler has created and how
// many are idle in its pool: equal when no thread body is still running.
func PoolStats(s *Scheduler) (created, idle int) { return s.pool.created, len(s.pool.idle) }

// Resumes returns how many times the scheduler has resumed a thread's
// coroutine: each resume is two coroutine switches.
func Resumes(s *Scheduler) int { return s.pool.resumes }

// WatchdogSteps returns the step count the watchdog samples.
func WatchdogSteps(s *Scheduler) int64 { return s.watchdog.steps.Load() }

// The sched tests check the bit sets of gates.go at every scheduling point.
func init() { checkGates = true }

// SetCheckGates sets checkGates and returns the previous setting: the
// benchmarks measure the scheduler without the check.
func SetCheckGates(on bool) (was bool) { was, checkGates = checkGates, on; return was }

// SetEagerClocks makes the schedulers apply every clock operation at its
// step (clocklog.go), and returns the previous setting.
func SetEagerClocks(on bool) (was bool) { was, eagerClocks = eagerClocks, on; return was }

// PendingClockOps returns how many clock operations the scheduler has
// logged and not applied.
func PendingClockOps(s *Scheduler) int { return len(s.clockOps) }
