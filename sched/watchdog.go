package sched

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// watchdog notices a model that escaped the simulator: a thread that
// blocks on a real channel, mutex or I/O, or loops without ever reaching a
// step, leaves the scheduler waiting forever. A goroutine checks that the
// step count moves while an execution runs; when it has not moved for
// Options.StuckAfter it reports the thread that is running. The time the
// Chooser takes is the search's, not the model's, and is not counted (a
// stateful search's visited table takes seconds to grow past tens of
// millions of states).
type watchdog struct {
	s     *Scheduler
	steps atomic.Int64 // steps taken by every execution so far
	total int64        // the same, owned by the scheduler's goroutine
	// The current execution's decisions, published for a stuck report:
	// the array, then the count, so that the first count elements of the
	// array loaded after the count are written.
	decisions  atomic.Pointer[int]
	ndecisions atomic.Int64
	running    atomic.Bool
	// describe is the current execution's DescribeStuck function, if any.
	describe atomic.Pointer[func(time.Duration) string]
	once     sync.Once
	done     chan struct{}
	disabled bool
}

func (w *watchdog) init(s *Scheduler) {
	w.s = s
	w.disabled = s.opts.StuckAfter < 0
	w.done = make(chan struct{})
}

// begin marks an execution as running, starting the goroutine on first use.
func (w *watchdog) begin() {
	if w.disabled {
		return
	}
	w.once.Do(func() { go w.watch(w.s.opts.StuckAfter, w.s.opts.OnStuck) })
	w.resume() // paused still if the last execution's Chooser panicked (ask)
	w.ndecisions.Store(0)
	w.describe.Store(nil)
	w.running.Store(true)
}

// DescribeStuck lets the model describe itself if the current execution
// gets stuck: when no step has been made for the watchdog's limit, fn
// (given the limit) returns the report, in place of the generic one: its
// first line says what is stuck, in one sentence starting "threadsim: ",
// and further lines, if any, give details (a stack). fn runs on the
// watchdog's goroutine while the execution is stuck, so it may read only
// what it synchronises itself; "" keeps the generic report. The next
// execution starts without it.
func (s *Scheduler) DescribeStuck(fn func(limit time.Duration) string) {
	if !s.watchdog.disabled {
		s.watchdog.describe.Store(&fn)
	}
}

func (w *watchdog) end() { w.running.Store(false) }

// progress counts a step. The count never goes back, so that executions
// of equal length cannot look like one that stopped.
func (w *watchdog) progress() {
	w.total++
	w.steps.Store(w.total)
}

// pause stops the clock of the current step while the Chooser decides;
// resume starts it again. The count is -1 meanwhile, which no step has.
func (w *watchdog) pause() {
	if !w.disabled {
		w.steps.Store(-1)
	}
}

func (w *watchdog) resume() {
	if !w.disabled {
		w.steps.Store(w.total)
	}
}

// publish makes the execution's decisions so far readable by the watchdog.
func (w *watchdog) publish(d []int) {
	if w.disabled || len(d) == 0 {
		return
	}
	if p := &d[0]; w.decisions.Load() != p {
		w.decisions.Store(p)
	}
	w.ndecisions.Store(int64(len(d)))
}

// published returns a copy of the decisions published so far.
func (w *watchdog) published() []int {
	n := w.ndecisions.Load()
	if n == 0 {
		return nil
	}
	return append([]int(nil), unsafe.Slice(w.decisions.Load(), n)...)
}

func (w *watchdog) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
}

func (w *watchdog) watch(limit time.Duration, onStuck func(string, []int)) {
	tick := time.NewTicker(limit / 4)
	defer tick.Stop()
	interrupt := w.s.opts.Interrupt
	last, since := int64(-1), time.Now()
	for {
		select {
		case <-w.done:
			return
		case <-interrupt:
			// The user wants out: a step that does not end soon will not.
			interrupt, limit = nil, min(limit, InterruptGrace)
			tick.Reset(limit / 4)
		case <-tick.C:
		}
		steps := w.steps.Load()
		if !w.running.Load() || steps < 0 || steps != last {
			last, since = steps, time.Now()
			continue
		}
		if time.Since(since) >= limit {
			w.report(onStuck, w.stuckReport(limit))
			return
		}
	}
}

// stuckReport is the report of an execution that made no step for limit:
// the model's own (DescribeStuck), else the generic one.
func (w *watchdog) stuckReport(limit time.Duration) string {
	if fn := w.describe.Load(); fn != nil {
		if report := (*fn)(limit); report != "" {
			return report
		}
	}
	return fmt.Sprintf("threadsim: the model made no step for %v: "+
		"a thread blocks outside the simulator (a real channel, mutex, sleep or I/O) "+
		"or loops without an operation", limit)
}

// report hands a model that left the simulator to onStuck with the
// decisions so far, or prints both and exits with status 3: the goroutine
// that escaped cannot be unwound.
func (w *watchdog) report(onStuck func(string, []int), report string) {
	if onStuck == nil {
		first, details, _ := strings.Cut(report, "\n")
		fmt.Fprintf(os.Stderr, "%s (decisions so far: %v)\n", first, w.published())
		if details != "" {
			fmt.Fprintln(os.Stderr, strings.TrimSuffix(details, "\n"))
		}
		os.Exit(3)
	}
	onStuck(report, w.published())
}
