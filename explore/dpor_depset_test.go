package explore

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/threadsim/threadsim/sched"
)

// genSig draws an event signature over three threads, the clock, three
// objects and every flag dependent looks at.
func genSig(t *rapid.T, label string) sig {
	thread := rapid.SampledFrom([]sched.ThreadID{0, 1, 2, sched.ClockID}).Draw(t, label+".thread")
	g := sig{
		thread:    thread,
		obj:       sched.ObjID(rapid.IntRange(-1, 2).Draw(t, label+".obj")),
		access:    rapid.SampledFrom([]sched.Access{sched.None, sched.Read, sched.Write}).Draw(t, label+".access"),
		clockRead: rapid.Bool().Draw(t, label+".clockRead"),
		woken:     sched.NoThread,
		child:     sched.NoThread,
		ends:      rapid.IntRange(0, 5).Draw(t, label+".ends") == 0,
		any:       rapid.IntRange(0, 9).Draw(t, label+".any") == 0,
	}
	if thread == sched.ClockID {
		g.woken = rapid.SampledFrom([]sched.ThreadID{sched.NoThread, 0, 1, 2}).Draw(t, label+".woken")
	} else {
		g.daemon = rapid.IntRange(0, 3).Draw(t, label+".daemon") == 0
	}
	return g
}

// TestDepSetAgreesWithDependent: a depSet answers whether an event is
// dependent with some event of a sequence exactly as dependent does event
// by event, and where its thread's first event is, after a reset too (the
// set is reused).
func TestDepSetAgreesWithDependent(t *testing.T) {
	var ds depSet
	rapid.Check(t, func(rt *rapid.T) {
		for round := range 2 {
			n := rapid.IntRange(0, 5).Draw(rt, "n")
			seq := make([]sig, n)
			ds.reset()
			for i := range seq {
				seq[i] = genSig(rt, "seq")
				ds.add(seq[i], i)
			}
			g := genSig(rt, "g")
			want := false
			for _, x := range seq {
				want = want || dependent(x, g)
			}
			if got := ds.dependent(g); got != want {
				rt.Fatalf("round %d: depSet says %v, dependent %v, for %+v against %+v", round, got, want, g, seq)
			}
			at := slices.IndexFunc(seq, func(x sig) bool { return x.thread == g.thread })
			if got := ds.first(g.thread); got != at {
				rt.Fatalf("round %d: thread %d first at %d, want %d in %+v", round, g.thread, got, at, seq)
			}
		}
	})
}
