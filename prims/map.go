package prims

import (
	"time"

	"github.com/threadsim/threadsim/sched"
)

// MapResults is the generator Executor.map returns: the results in input
// order, each waiting for its own future.
type MapResults[R any] struct {
	fs    []*Future[R]
	err   error // the submit error map() itself raised
	timed bool
	end   time.Duration
	done  bool
}

// Map is Executor.map(fn, items): it submits every call at once, before
// any iteration, so the calls run even if the results are never read.
// If a submit fails (the executor is shut down) Next returns that error
// first, as map() itself raises it.
func Map[A, R any](t *sched.Thread, ex *Executor, fn func(*sched.Thread, A) (R, error), items []A) *MapResults[R] {
	m := &MapResults[R]{}
	submitAll(t, m, ex, fn, items)
	return m
}

// MapTimeout is map(fn, items, timeout=d): one deadline, d after the call
// to MapTimeout; a Next past it returns ErrTimeout and cancels the rest.
func MapTimeout[A, R any](t *sched.Thread, ex *Executor, fn func(*sched.Thread, A) (R, error), items []A, d time.Duration) *MapResults[R] {
	m := &MapResults[R]{timed: true, end: t.Now() + d}
	submitAll(t, m, ex, fn, items)
	return m
}

// submitAll submits fn(item) for every item, stopping at the first error.
func submitAll[A, R any](t *sched.Thread, m *MapResults[R], ex *Executor, fn func(*sched.Thread, A) (R, error), items []A) {
	for _, a := range items {
		f, err := Submit(t, ex, func(t *sched.Thread) (R, error) { return fn(t, a) })
		if err != nil {
			m.err = err
			return
		}
		m.fs = append(m.fs, f)
	}
}

// Next returns the next result in input order and true, or false when
// there are no more. When a call failed (or the deadline passed) it
// returns that error, cancels every future not yet returned, and ends.
// Each future is cancelled after its result is read, as CPython's
// _result_or_cancel does (a no-op on a finished future).
func (m *MapResults[R]) Next(t *sched.Thread) (R, error, bool) {
	var zero R
	if m.err != nil {
		err := m.err
		m.err, m.done = nil, true
		return zero, err, true
	}
	if m.done || len(m.fs) == 0 {
		m.done = true
		return zero, nil, false
	}
	f := m.fs[0]
	m.fs = m.fs[1:]
	var v R
	var err error
	if m.timed {
		v, err = f.ResultTimeout(t, m.end-t.Now())
	} else {
		v, err = f.Result(t)
	}
	f.Cancel(t)
	if err != nil {
		m.Close(t)
	}
	return v, err, true
}

// Close ends the iteration early, cancelling every future not yet
// returned, as closing the generator does.
func (m *MapResults[R]) Close(t *sched.Thread) {
	for _, f := range m.fs {
		f.Cancel(t)
	}
	m.fs, m.done = nil, true
}
