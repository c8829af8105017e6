package explore

import (
	"fmt"
	"slices"
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// TestDFSMovesBetweenSchedulers: a depth-first search whose executions run
// on two schedulers in turn, two on each (as a partitioned search's unit
// may move between workers), explores the executions it explores on one:
// a scheduler replays the search's last steps only when that execution ran
// on it (dfs.ReplaySteps), not an older one it ran there.
func TestDFSMovesBetweenSchedulers(t *testing.T) {
	prog := func(main *sched.Thread) {
		x := prims.NewAtomic(main, "x", 0)
		var ts []*sched.Thread
		for i := range 3 {
			ts = append(ts, main.Go("", func(t *sched.Thread) { x.Store(t, x.Load(t)+1<<i) }))
		}
		for _, u := range ts {
			main.Join(u)
		}
		main.Outcome("x=%d", x.Peek())
	}
	run := func(scs ...*sched.Scheduler) []string {
		d := newDFS(modeDPOR, Unbounded)
		var got []string
		for i := 0; ; i++ {
			sc := scs[i/2%len(scs)]
			r := sc.Run(prog, d)
			d.finishPrev(sc)
			d.markEnd(r)
			if d.err != nil {
				t.Fatal(d.err)
			}
			d.analyze(sc, r)
			got = append(got, fmt.Sprintf("%v %s", r.Decisions, r.Outcome))
			if !d.nextBranch() {
				return got
			}
		}
	}
	a, b, c := sched.New(sched.Options{}), sched.New(sched.Options{}), sched.New(sched.Options{})
	defer a.Close()
	defer b.Close()
	defer c.Close()
	want, got := run(a), run(b, c)
	if len(want) != 36 || !slices.Equal(got, want) {
		t.Errorf("on two schedulers: %d executions\n%v\non one: %d\n%v", len(got), got, len(want), want)
	}
}
