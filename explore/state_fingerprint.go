package explore

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// traceKey fingerprints the Mazurkiewicz trace of an execution
// (DPOR-NOTES §1.8): the hash of its canonical linearization, which
// repeatedly emits, among the events whose dependent predecessors are all
// emitted, the one of the smallest thread creation path (the clock last). Events are
// named by thread creation path, operation, object name and, when the
// execution recorded details, result (a draw's value), so equivalent
// executions get the same key whatever their order.
func traceKey(r *sched.Result) uint64 {
	h := fnv.New64a()
	h.Write([]byte(traceString(r)))
	return h.Sum64()
}

// traceString is the canonical linearization that traceKey hashes.
func traceString(r *sched.Result) string {
	tr := r.Trace
	sigs := make([]sig, len(tr))
	for k := range tr {
		sigs[k] = resultSig(r, k)
	}
	// preds[k] counts the earlier events k depends on.
	preds := make([]int, len(tr))
	succ := make([][]int, len(tr))
	for k := range tr {
		for j := range k {
			if dependent(sigs[j], sigs[k]) || tr[j].Child == tr[k].Thread {
				preds[k]++
				succ[j] = append(succ[j], k)
			}
		}
	}
	var h strings.Builder
	emitted := make([]bool, len(tr))
	for range tr {
		best := -1
		for k := range tr {
			if !emitted[k] && preds[k] == 0 && (best < 0 || comparePaths(threadPath(r, tr[k].Thread), threadPath(r, tr[best].Thread)) < 0) {
				best = k
			}
		}
		emitted[best] = true
		for _, s := range succ[best] {
			preds[s]--
		}
		e := &tr[best]
		detail := e.Detail
		if e.Thread == sched.ClockID {
			detail = "wakes " + threadPath(r, e.Woken)
		}
		h.WriteString(threadPath(r, e.Thread) + " " + e.Op + " " + objectKey(r, e.Obj) + "=" + detail + "; ")
	}
	if r.Failure != nil {
		h.WriteString("!" + r.Failure.Kind.String())
	}
	return h.String()
}

// comparePaths orders creation paths component by component, numerically,
// the clock last.
func comparePaths(a, b string) int {
	if a == "clock" || b == "clock" {
		return boolCompare(a == "clock", b == "clock")
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func threadPath(r *sched.Result, t sched.ThreadID) string {
	if t == sched.ClockID {
		return "clock"
	}
	if int(t) < len(r.Threads) {
		return r.Threads[t].Path
	}
	return "?" + strconv.Itoa(int(t))
}

// resultSig is eventSig from a finished execution's description.
func resultSig(r *sched.Result, k int) sig {
	e := &r.Trace[k]
	g := sig{thread: e.Thread, obj: depObject(e.Obj, e.Access), access: e.Access, clockRead: e.ClockRead, woken: e.Woken, child: e.Child}
	if e.Thread != sched.ClockID {
		g.daemon = r.Threads[e.Thread].Daemon
	}
	g.ends = k == len(r.Trace)-1 && !r.Interrupted()
	return g
}

// objectKey names an object independently of the order of spawns: a
// thread's object by the thread's creation path (sched numbers Thread-N
// names with one global counter, so spawns by different threads can swap
// names between equivalent executions), others by kind and name.
func objectKey(r *sched.Result, obj sched.ObjID) string {
	if obj < 0 || int(obj) >= len(r.Objects) {
		return ""
	}
	o := r.Objects[obj]
	if o.Kind == "Thread" {
		for _, t := range r.Threads {
			if t.Name == o.Name {
				return "thread " + t.Path
			}
		}
	}
	return o.String()
}
