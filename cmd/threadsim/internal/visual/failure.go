package visual

import (
	"github.com/threadsim/threadsim/sched"
)

// failureView is the failure panel: what went wrong, and what each thread
// was doing (for a deadlock: what it waits for and who holds it).
type failureView struct {
	Kind, Message, Headline string
	Thread                  string
	Step                    int
	Threads                 []sched.ThreadState
	Stack                   string
}

// markFailure marks the step after which the failing thread failed and
// returns the failure panel, or nil.
func markFailure(p *page, r *sched.Result, n names) *failureView {
	f := r.Failure
	if f == nil {
		return nil
	}
	v := &failureView{Kind: f.Kind.String(), Message: f.Message, Headline: f.Error(),
		Thread: f.ThreadName, Step: f.Step, Threads: f.Threads, Stack: f.Stack}
	if f.Thread == sched.NoThread {
		return v
	}
	for i := min(f.Step, len(r.Trace)) - 1; i >= 0; i-- {
		if r.Trace[i].Thread == f.Thread {
			stepAt(p, r, i).Failed = v.Kind
			break
		}
	}
	return v
}
