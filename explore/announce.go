package explore

import (
	"sync"

	"github.com/threadsim/threadsim/sched"
)

// announcements are the failure kinds already handed to Config.OnFailure.
type announcements struct {
	mu   sync.Mutex
	done map[sched.Kind]bool
}

// announce hands each kind of failure of execution e, the run-th, that no
// earlier call handed over to Config.OnFailure, so that the caller can
// write it down before anything else runs. The search's goroutine calls
// it for each execution it counts; random and PCT workers call it too,
// the moment a failing execution ends and before they start another, so
// that a later execution that ends the process (os.Exit, a stack
// overflow, a model stuck outside the simulator) cannot lose it. Calls
// are serialised. The schedule handed over is the first found of its
// kind, not necessarily the report's (which is the first in run order).
// The step limit is no failure (Report.Undecided) and is not handed over.
func (c *collector) announce(run int, e execution) {
	if c.cfg.OnFailure == nil || len(e.kinds) == 0 {
		return
	}
	a := &c.announced
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done == nil {
		a.done = map[sched.Kind]bool{}
	}
	for i, k := range e.kinds {
		if !a.done[k] && !undecidedKind(k) {
			a.done[k] = true
			c.cfg.OnFailure(*c.newFailure(run, e, i))
		}
	}
}
