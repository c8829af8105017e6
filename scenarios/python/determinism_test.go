package python

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// traceText renders an execution's steps, log and failure: what must be
// byte-identical when its schedule is replayed.
func traceText(r *sched.Result) string {
	var b strings.Builder
	for _, e := range r.Trace {
		fmt.Fprintf(&b, "%d %v %d %s %d %s %s\n", e.Step, e.Time, e.Thread, e.Op, e.Obj, e.Detail, e.Where)
	}
	for _, l := range r.Logs {
		fmt.Fprintf(&b, "log %d %s\n", l.Thread, l.Text)
	}
	if r.Failure != nil {
		b.WriteString(r.Failure.Describe())
	}
	return b.String()
}

// TestReplayIsByteIdentical runs programs under random schedules and
// replays each: thread start order, set iteration (the executor's
// threads), object hashes, random draws and timestamps must not differ.
func TestReplayIsByteIdentical(t *testing.T) {
	for _, file := range []string{"racecond.py", "prodcom_lock.py", "barrier_init_bug.py"} {
		p := article(t, file, "")
		m := model(p)
		for seed := uint64(1); seed <= 6; seed++ {
			r := runOnce(p, seed)
			got, err := explore.Replay(m, explore.ScheduleOf(m, "random", r), sched.Options{Detail: true})
			if err != nil {
				t.Fatalf("%s seed %d: %v", file, seed, err)
			}
			if a, b := traceText(r), traceText(got); a != b {
				t.Fatalf("%s seed %d: the replay differs:\n%s\n---\n%s", file, seed, a, b)
			}
		}
	}
}
