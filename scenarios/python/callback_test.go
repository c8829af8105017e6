package python

import (
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
)

// TestBarrierActionMakesRequests: a Barrier's action runs in the middle
// of the last thread's wait and may itself print and take locks; its
// requests are served as that thread's, and each execution prints its
// line once, before either thread goes on.
func TestBarrierActionMakesRequests(t *testing.T) {
	p := source(t, `
import threading
lock = threading.Lock()

def action():
    with lock:
        print("tripped")

b = threading.Barrier(2, action=action)

def work(i):
    b.wait()
    print("after", i)

ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
`)
	rep := search(t, p, explore.Config{KeepGoing: true})
	if len(rep.Failures) != 0 || rep.Executions < 2 {
		t.Fatalf("%d executions, failures %v", rep.Executions, rep.Failures)
	}
	for seed := uint64(1); seed <= 4; seed++ {
		r := runOnce(p, seed)
		var lines []string
		for _, l := range r.Logs {
			lines = append(lines, l.Text)
		}
		if len(lines) != 3 || lines[0] != "tripped" || !strings.HasPrefix(lines[1], "after") {
			t.Errorf("seed %d printed %q", seed, lines)
		}
	}
}
