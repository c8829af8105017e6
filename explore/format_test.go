package explore

import (
	"strings"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// TestFormatTraceNamesTheStartedThread: a start step names the thread it
// starts, not the starting thread's own object.
func TestFormatTraceNamesTheStartedThread(t *testing.T) {
	sc := sched.New(sched.Options{Detail: true})
	defer sc.Close()
	r := sc.Run(func(main *sched.Thread) {
		a := main.Go("alice", func(*sched.Thread) {})
		main.Join(a)
	}, sched.FirstChooser{})
	text := FormatTrace(r)
	if !strings.Contains(text, "start            Thread 'alice'") || strings.Contains(text, "start            Thread 'MainThread'") {
		t.Errorf("the start step does not name alice:\n%s", text)
	}
}
