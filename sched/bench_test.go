package sched_test

import (
	"iter"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// alternating is a chooser that switches thread at every real choice, so
// that every step of BenchmarkStep is a context switch.
type alternating struct{}

func (alternating) Choose(c *sched.Choice) int {
	if c.N > 1 {
		return 1
	}
	return 0
}

// BenchmarkStep measures one scheduler step: two threads alternating lock
// and shared-variable operations, switching at every step. Compare with
// BenchmarkCoroutineRoundTrip, the bare cost of one coroutine switch.
func BenchmarkStep(b *testing.B) { benchmarkSteps(b, alternating{}) }

// BenchmarkStepKeep is BenchmarkStep under FirstChooser, which keeps the
// current thread while it is enabled (as a depth-first search's default
// branch does): the thread makes those decisions on its own coroutine
// (continue.go), without a switch to the scheduler and back.
func BenchmarkStepKeep(b *testing.B) { benchmarkSteps(b, sched.FirstChooser{}) }

// benchmarkSteps runs two threads that each take a lock, read and write a
// shared variable and release the lock, opsPerThread operations each,
// under chooser ch, and reports the time and allocations of one step.
func benchmarkSteps(b *testing.B, ch sched.Chooser) {
	defer sched.SetCheckGates(sched.SetCheckGates(false))
	const opsPerThread = 1000
	s := sched.New(sched.Options{MaxSteps: 1 << 30})
	defer s.Close()
	prog := func(main *sched.Thread) {
		l := prims.NewLock(main, "l")
		x := prims.NewVar(main, "x", 0)
		body := func(t *sched.Thread) {
			for i := 0; i < opsPerThread/4; i++ {
				l.Acquire(t)
				x.Store(t, x.Load(t)+1)
				l.Release(t)
			}
		}
		a, c := main.Go("a", body), main.Go("b", body)
		main.Join(a)
		main.Join(c)
	}
	s.Run(prog, ch) // warm the pools
	b.ReportAllocs()
	b.ResetTimer()
	steps := 0
	for b.Loop() {
		steps += len(s.Run(prog, ch).Trace)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() { s.Run(prog, ch) }))/float64(2*opsPerThread), "allocs/step")
}

// BenchmarkCoroutineRoundTrip measures one bare iter.Pull round trip: the
// floor for a scheduler step.
func BenchmarkCoroutineRoundTrip(b *testing.B) {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	})
	defer stop()
	b.ReportAllocs()
	for b.Loop() {
		next()
	}
}

// BenchmarkExecution measures one whole execution of the two-thread lost
// update (each thread reads, then writes, the shared variable), the unit of
// exploration: executions per second is 1e9 / (ns/op). resumes/op counts
// the coroutine resumes (two switches each) of one execution.
func BenchmarkExecution(b *testing.B) {
	defer sched.SetCheckGates(sched.SetCheckGates(false))
	s := sched.New(sched.Options{})
	defer s.Close()
	prog := func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		body := func(t *sched.Thread) { x.Store(t, x.Load(t)+1) }
		a, c := main.Go("", body), main.Go("", body)
		main.Join(a)
		main.Join(c)
	}
	rc := sched.NewRandomChooser(1)
	b.ReportAllocs()
	before := sched.Resumes(s)
	for b.Loop() {
		s.Run(prog, rc)
	}
	b.ReportMetric(float64(sched.Resumes(s)-before)/float64(b.N), "resumes/op")
}
