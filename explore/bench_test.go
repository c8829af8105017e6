package explore

import (
	"context"
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// benchExplore explores m b.N times and reports executions and steps per
// second of the whole exploration.
func benchExplore(b *testing.B, m Model, cfg Config) {
	b.ReportAllocs()
	var execs, steps int64
	for b.Loop() {
		rep, err := Explore(context.Background(), m, cfg)
		if err != nil {
			b.Fatal(err)
		}
		execs += int64(rep.Executions)
		steps += rep.Steps
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(execs)/sec, "execs/s")
	b.ReportMetric(float64(steps)/sec, "steps/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkDPORLostUpdate: source-DPOR over the lost update, every trace
// ((N!)^2 complete executions).
func BenchmarkDPORLostUpdate(b *testing.B) {
	for _, n := range []int{4, 5} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			cfg := dpor()
			cfg.NoRaces = true
			benchExplore(b, lostUpdate(n, false), cfg)
		})
	}
}

// BenchmarkODPOR: optimal DPOR (wakeup trees) beside source-DPOR on the
// lost update (one execution per trace for both) and on lastzero(7),
// where source-DPOR also runs 473 sleep-set-blocked executions.
func BenchmarkODPOR(b *testing.B) {
	for _, c := range []struct {
		name string
		m    Model
	}{{"LostUpdate/N=4", lostUpdate(4, false)}, {"LostUpdate/N=5", lostUpdate(5, false)}, {"LastZero/N=7", lastZero(7)}} {
		for _, strategy := range []string{DFS, ODPOR} {
			b.Run(c.name+"/"+strategy, func(b *testing.B) {
				cfg := dpor()
				cfg.Strategy, cfg.NoRaces = strategy, true
				benchExplore(b, c.m, cfg)
			})
		}
	}
}

// producerConsumer: p producers put k items each into a one-slot buffer
// guarded by a Lock, spinning with Yield while it is full; one consumer
// takes p*k items.
func producerConsumer(p, k int) Model {
	return Model{Name: "prodcons", Params: fmt.Sprintf("k=%d,p=%d", k, p), Program: func(main *sched.Thread) {
		l := prims.NewLock(main, "l")
		slot := prims.NewVar(main, "slot", 0)
		full := prims.NewVar(main, "full", false)
		sum := 0
		put := func(t *sched.Thread, v int) {
			for {
				l.Acquire(t)
				if !full.Load(t) {
					slot.Store(t, v)
					full.Store(t, true)
					l.Release(t)
					return
				}
				l.Release(t)
				t.Yield()
			}
		}
		get := func(t *sched.Thread) int {
			for {
				l.Acquire(t)
				if full.Load(t) {
					v := slot.Load(t)
					full.Store(t, false)
					l.Release(t)
					return v
				}
				l.Release(t)
				t.Yield()
			}
		}
		var bodies []func(*sched.Thread)
		for i := range p {
			bodies = append(bodies, func(t *sched.Thread) {
				for j := range k {
					put(t, 10*i+j+1)
				}
			})
		}
		bodies = append(bodies, func(t *sched.Thread) {
			for range p * k {
				sum += get(t)
			}
		})
		spawnJoin(main, bodies...)
		main.Outcome("sum=%d", sum)
	}}
}

// BenchmarkRandomProducerConsumer: 2000 random-walk executions of a
// producer/consumer model on 1 and 2 workers.
func BenchmarkRandomProducerConsumer(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			benchExplore(b, producerConsumer(2, 3), Config{Strategy: Random, Runs: 2000, Workers: w, KeepGoing: true, NoMinimize: true})
		})
	}
}

// BenchmarkCoroutineReference is the yardstick of DESIGN.md §7: one
// execution of a program whose main thread takes steps alone.
func BenchmarkCoroutineReference(b *testing.B) {
	sc := sched.New(sched.Options{NoRaces: true})
	defer sc.Close()
	p := func(t *sched.Thread) {
		for range 100 {
			t.Yield()
		}
	}
	for b.Loop() {
		sc.Run(p, sched.FirstChooser{})
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkMinimize: from the first failing schedule random walk finds for
// the lost update (N=3, 4), find the 1-preemption schedule.
func BenchmarkMinimize(b *testing.B) {
	for _, n := range []int{3, 4} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			m := lostUpdate(n, true)
			rep, err := Explore(context.Background(), m, Config{Strategy: Random, Seed: 7, Runs: 1000, NoRaces: true, NoMinimize: true})
			if err != nil || len(rep.Failures) == 0 {
				b.Fatal("no failure to minimise", err)
			}
			f := rep.Failures[0]
			for b.Loop() {
				_, r, ok := Minimize(context.Background(), m, f.Schedule, f.Kind, sched.Options{NoRaces: true}, 0, 0)
				if !ok || r.Preemptions != 1 {
					b.Fatalf("minimised to %d preemptions", r.Preemptions)
				}
			}
			b.ReportMetric(float64(f.FirstPreemptions), "preemptions-before")
		})
	}
}

// BenchmarkStatefulLostUpdate: stateful DFS over the lost update, the
// whole state space (KeepGoing), with states stored per second.
func BenchmarkStatefulLostUpdate(b *testing.B) {
	for _, n := range []int{4, 5} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			cfg := stateful()
			cfg.NoRaces = true
			var states int64
			for b.Loop() {
				rep, err := Explore(context.Background(), lostUpdate(n, false), cfg)
				if err != nil {
					b.Fatal(err)
				}
				states += int64(rep.States)
			}
			b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkBFSWorkers: breadth-first search over the lost update (N = 4,
// the whole state space) on 1 and 2 workers, with states per second.
func BenchmarkBFSWorkers(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			cfg := bfs()
			cfg.NoRaces, cfg.Workers = true, w
			var states int64
			for b.Loop() {
				rep, err := Explore(context.Background(), lostUpdate(4, false), cfg)
				if err != nil {
					b.Fatal(err)
				}
				states += int64(rep.States)
			}
			b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
		})
	}
}
