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
// Blocked intervals are derived from the trace alone: a thread declares its
// next operation right after its previous step (or when it is started), so
// the rows between two of its steps are time it spent pending. When the
// pending operation is a blocking one (acquire, join, wait, get, sleep, ...)
// and another thread changed the object in between (or the clock fired the
// thread's deadline), the pending time up to that wake-up is drawn as
// blocked; the rest is drawn as runnable but not chosen. For lock-like
// objects (acquire/release) the holder is tracked from the trace, so a
// thread that found the lock free is not drawn as blocked.
package visual
