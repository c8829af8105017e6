// Package visual renders one execution of a model, a *sched.Result, so that
// a person can see a failing interleaving.
//
// [WriteHTML] writes one self-contained HTML page (inline CSS and a little
// vanilla JavaScript, no network): a swimlane per virtual thread plus the
// clock, steps downward on the virtual-time axis, blocked intervals drawn as
// bars that name what the thread waits for, preemptions, log lines beside
// the step that printed them, data races highlighted and joined, and a
// panel saying what each thread waits for when the execution failed.
// Hovering or clicking a step fills a details panel.
//
// [WriteMermaid] writes the same trace as a Mermaid sequenceDiagram, for
// pasting into a pull request.
//
// Blocked intervals are what the scheduler recorded (sched.Result.Blocks,
// with Options.Detail): at every scheduling point it notes which live
// threads cannot run, so a thread is drawn blocked exactly while its
// pending operation could not complete, and the wait ends at the step that
// enabled it (another thread's step, or the clock firing its deadline). The
// rest of the time between two of a thread's steps it was runnable but not
// chosen. For lock-like objects the wait names who took the lock last.
package visual
