package sched_test

import (
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// cell is a minimal stateful object for these tests: one int, read and
// written in steps.
type cell struct {
	obj sched.Object
	v   int
}

func newCell(t *sched.Thread, name string) *cell {
	c := &cell{}
	t.Register(&c.obj, sched.Sync, "Cell", name)
	c.obj.Track(c)
	return c
}

func (c *cell) AppendState(b []byte) []byte { return sched.AppendInt(b, c.v) }

func (c *cell) load(t *sched.Thread) int {
	t.Step(sched.Op{Name: "read", Obj: &c.obj, Access: sched.Read})
	return c.v
}

func (c *cell) store(t *sched.Thread, v int) {
	t.Step(sched.Op{Name: "write", Obj: &c.obj, Access: sched.Write})
	c.v = v
}

// scripted takes the given thread decisions in order (by thread id), then
// decision 0, and records the fingerprint at every scheduling point.
type scripted struct {
	picks []sched.ThreadID
	fps   []uint64
}

func (s *scripted) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		return 0
	}
	s.fps = append(s.fps, c.Sched.Fingerprint())
	if len(s.picks) == 0 {
		return 0
	}
	d := c.Decision(s.picks[0])
	s.picks = s.picks[1:]
	return d
}

func stateRun(t *testing.T, prog sched.Program, picks ...sched.ThreadID) (*sched.Result, []uint64) {
	t.Helper()
	s := sched.New(sched.Options{State: true, CheckState: true})
	defer s.Close()
	c := &scripted{picks: picks}
	r := s.Run(prog, c).Clone()
	if r.Failure != nil {
		t.Fatalf("unexpected failure: %s", r.Failure.Describe())
	}
	return r, c.fps
}

// twoWriters: main starts A and B, which write their own cells, then main
// waits for both.
func twoWriters(main *sched.Thread) {
	a, b := newCell(main, "a"), newCell(main, "b")
	ta := main.Go("A", func(t *sched.Thread) { a.store(t, 1) })
	tb := main.Go("B", func(t *sched.Thread) { b.store(t, 1) })
	main.Join(ta)
	main.Join(tb)
}

func TestCommutingStepsReachOneState(t *testing.T) {
	// After both starts, main joins A: the choice is among main, A, B.
	// A then B, or B then A, lead to one state.
	_, ab := stateRun(t, twoWriters, 0, 0, 1, 2)
	_, ba := stateRun(t, twoWriters, 0, 0, 2, 1)
	if ab[4] != ba[4] {
		t.Errorf("A;B and B;A end in different fingerprints %x and %x", ab[4], ba[4])
	}
	if ab[3] == ba[3] {
		t.Errorf("after A only and after B only the fingerprints are equal: %x", ab[3])
	}
}

func TestObservationsAreState(t *testing.T) {
	// R reads x and then writes 5 to y whatever it read: whether W wrote x
	// before or after the read, y and x end equal, but R's local state
	// differs (it saw 0 or 1), so the states must differ.
	prog := func(main *sched.Thread) {
		x, y := newCell(main, "x"), newCell(main, "y")
		main.Go("R", func(t *sched.Thread) { x.load(t); y.store(t, 5); t.Yield() })
		main.Go("W", func(t *sched.Thread) { x.store(t, 1) })
	}
	_, before := stateRun(t, prog, 0, 0, 2, 1, 1) // W writes, R reads 1, R writes y
	_, after := stateRun(t, prog, 0, 0, 1, 2, 1)  // R reads 0, W writes, R writes y
	if before[5] == after[5] {
		t.Errorf("a thread that read 1 and one that read 0 share fingerprint %x", before[5])
	}
}

// sloppy changes a cell without telling the scheduler.
func TestCheckStateCatchesAMissedChange(t *testing.T) {
	prog := func(main *sched.Thread) {
		x, y := newCell(main, "x"), newCell(main, "y")
		x.store(main, 1)
		y.v = 7 // in x's step, without main.Changed(&y.obj)
		main.Yield()
		main.Go("", func(t *sched.Thread) {})
	}
	s := sched.New(sched.Options{State: true, CheckState: true})
	defer s.Close()
	r := s.Run(prog, &scripted{})
	if r.Failure == nil || r.Failure.Kind != sched.Panic {
		t.Fatalf("want a panic failure for the missed change, got %v", r.Failure)
	}
	want := "the state fingerprint missed a change of Cell 'y'"
	if got := r.Failure.Message; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("message %q, want it to start with %q", got, want)
	}
}

func TestCheckpointClosesATimeLoop(t *testing.T) {
	loop := func(checkpoint bool) sched.Program {
		return func(main *sched.Thread) {
			for range 3 {
				if checkpoint {
					main.Checkpoint("loop")
				}
				main.Sleep(time.Second)
			}
		}
	}
	// Each sleep's scheduling points: main's sleep (forced), the fire.
	_, with := stateRun(t, loop(true))
	_, without := stateRun(t, loop(false))
	if len(with) < 4 || with[1] != with[3] {
		t.Errorf("with a checkpoint, loop iterations should repeat a state: %x", with)
	}
	if without[1] == without[3] {
		t.Errorf("without a checkpoint, histories differ, so states must: %x", without)
	}
}

func TestForgetLogLeavesTheLogOutOfTheState(t *testing.T) {
	prog := func(forget bool) sched.Program {
		return func(main *sched.Thread) {
			if forget {
				main.ForgetLog()
			}
			x := newCell(main, "x")
			main.Go("P", func(t *sched.Thread) { t.Checkpoint("p"); t.Log("one"); t.Checkpoint("p"); x.store(t, 1) })
			main.Go("Q", func(t *sched.Thread) { t.Checkpoint("q"); t.Log("two"); t.Checkpoint("q"); x.store(t, 2) })
		}
	}
	for _, forget := range []bool{false, true} {
		_, pq := stateRun(t, prog(forget), 0, 0, 1, 2)
		_, qp := stateRun(t, prog(forget), 0, 0, 2, 1)
		if same := pq[4] == qp[4]; same != forget {
			t.Errorf("ForgetLog %v: the two log orders share a state: %v", forget, same)
		}
	}
}

func TestAppendStateMatchesFingerprint(t *testing.T) {
	// Equal fingerprints where the full states are equal, on the
	// commuting orders of twoWriters.
	full := func(picks ...sched.ThreadID) string {
		s := sched.New(sched.Options{State: true})
		defer s.Close()
		var at string
		c := &fullAt{picks: picks, at: 4, out: &at}
		s.Run(twoWriters, c)
		return at
	}
	if a, b := full(0, 0, 1, 2), full(0, 0, 2, 1); a != b || a == "" {
		t.Errorf("full states differ or are empty:\n%q\n%q", a, b)
	}
}

type fullAt struct {
	picks []sched.ThreadID
	at    int
	n     int
	out   *string
}

func (f *fullAt) Choose(c *sched.Choice) int {
	if f.n == f.at {
		*f.out = string(c.Sched.AppendState(nil))
	}
	f.n++
	if len(f.picks) == 0 {
		return 0
	}
	d := c.Decision(f.picks[0])
	f.picks = f.picks[1:]
	return d
}
