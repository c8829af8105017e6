package explore

import (
	"context"
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

func TestDebugDPOR(t *testing.T) {
	m := readers(2)
	sc := sched.New(sched.Options{})
	d := newDFS(modeDPOR, -1)
	b := &budget{}
	d.search(context.Background(), sc, m.Program, b, func(r *sched.Result, blocked bool) bool {
		s := ""
		for _, e := range r.Trace {
			s += fmt.Sprintf("%d:%s ", e.Thread, e.Op)
		}
		t.Logf("blocked=%v %s %s", blocked, s, r.Outcome)
		return false
	})
}
