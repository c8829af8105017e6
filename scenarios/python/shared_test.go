package python

import (
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// The shared-memory rewrite orders what depends on what: an item access
// and a method of the same container, a builtin over a container and the
// methods that change it, a closure cell shared with nonlocal.

// twoThreads is a program whose two threads run one and two, started in
// that order and joined, after setup, and then checks.
func twoThreads(setup, one, two, check string) string {
	return "import threading\n" + setup + "\n\ndef one():\n    " + one + "\n\ndef two():\n    " + two + `

ts = [threading.Thread(target=one), threading.Thread(target=two)]
for t in ts:
    t.start()
for t in ts:
    t.join()
` + check + "\n"
}

// TestContainerMethodsOrderedAgainstItemAccesses: in each program the
// first thread reads (or writes) the container and the second changes it;
// DFS runs the first thread first, and the check fails only if the second
// thread's change comes first, which DPOR explores only if the two are
// dependent. Before, an item and a method were distinct Vars, and len,
// sum, in, truth tests and iteration were no steps at all (they ran as the
// thread's local code when it started): one execution, reported complete.
func TestContainerMethodsOrderedAgainstItemAccesses(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"list append, item read", twoThreads("data = [0]\nseen = {}", "seen['last'] = data[-1]", "data.append(1)",
			"assert seen['last'] == 0, 'saw %r' % seen['last']"), "saw 1"},
		{"dict update, item read", twoThreads("d = {'k': 1}\nseen = {}", "seen['k'] = d['k']", "d.update(k=2)",
			"assert seen['k'] == 1, 'saw %r' % seen['k']"), "saw 2"},
		{"list pop, item write", twoThreads("data = [0, 0]", "data[0] = 5", "data.pop(0)",
			"assert data == [0], data"), "[5]"},
		{"len, append", twoThreads("data = []\nseen = {}", "seen['n'] = len(data)", "data.append(1)",
			"assert seen['n'] == 0, 'len %d' % seen['n']"), "len 1"},
		{"sum, item write", twoThreads("data = [1, 1]\nseen = {}", "seen['s'] = sum(data)", "data[0] = 2",
			"assert seen['s'] == 2, 'sum %d' % seen['s']"), "sum 3"},
		{"in, append", twoThreads("data = []\nseen = {}", "seen['in'] = 1 in data", "data.append(1)",
			"assert not seen['in'], 'found'"), "found"},
		{"truth test, append", twoThreads("data = []\nseen = {}", "seen['any'] = 'yes' if data else 'no'", "data.append(1)",
			"assert seen['any'] == 'no', seen"), "'yes'"},
		{"iteration, append", twoThreads("data = [1]\nseen = []", "seen.extend(x for x in data)", "data.append(2)",
			"assert seen == [1], seen"), "[1, 2]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := search(t, source(t, c.src), explore.Config{NoMinimize: true, NoRaces: true})
			a := failure(rep, sched.Assertion)
			if a == nil {
				t.Fatalf("the order that fails was not explored: %s after %d executions", rep.Verdict, rep.Executions)
			}
			if !strings.Contains(a.Message, c.want) {
				t.Errorf("failure %q, want %q", a.Message, c.want)
			}
		})
	}
}

// TestDistinctItemsNeitherRaceNorDepend: threads that each write their
// own item of a shared list (a common pattern) are not a data race, and
// their writes commute: one execution.
func TestDistinctItemsNeitherRaceNorDepend(t *testing.T) {
	p := source(t, twoThreads("results = [None, None]", "results[0] = 'a'", "results[1] = 'b'",
		"assert results == ['a', 'b'], results"))
	rep := search(t, p, explore.Config{NoMinimize: true})
	if rep.Verdict != explore.Complete || rep.Executions != 1 {
		t.Fatalf("verdict %s after %d executions, want complete after 1: %+v", rep.Verdict, rep.Executions, rep.Failures)
	}
}

// TestNonlocalCounterLosesAnUpdate: a closure cell shared with nonlocal is
// a shared variable: the lost update through it is found, and so is the
// race (before, cells were not instrumented: one execution, complete).
func TestNonlocalCounterLosesAnUpdate(t *testing.T) {
	p := source(t, `
import threading


def run():
    """Counts with a closure."""
    count = 0

    def bump():
        nonlocal count
        count += 1

    ts = [threading.Thread(target=bump) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return count


total = run()
assert total == 2, "count is %d" % total
assert run.__doc__ == "Counts with a closure."
`)
	rep := search(t, p, explore.Config{NoMinimize: true, KeepGoing: true})
	race, lost := failure(rep, sched.DataRace), failure(rep, sched.Assertion)
	if race == nil || lost == nil || !strings.Contains(race.Message, "Var 'count'") || !strings.Contains(lost.Message, "count is 1") {
		t.Fatalf("want the race on count and the lost update, got %s %+v", rep.Verdict, rep.Failures)
	}
}

// TestInPlaceOperatorWritesTheContainer: lst += [...] on a list a local
// name holds changes the list in place, as append does: it is ordered
// against the other thread's read of the list (before, it was no step,
// and the read and the lock were independent: one execution, complete).
func TestInPlaceOperatorWritesTheContainer(t *testing.T) {
	p := source(t, `
import threading
data = [5]
seen = {}
lock = threading.Lock()

def one(items):
    seen['last'] = items[-1]

def two(items):
    with lock:
        items += [7]

ts = [threading.Thread(target=one, args=(data,)), threading.Thread(target=two, args=(data,))]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert seen['last'] == 5, 'saw %d' % seen['last']
`)
	rep := search(t, p, explore.Config{NoMinimize: true, NoRaces: true})
	if a := failure(rep, sched.Assertion); a == nil || !strings.Contains(a.Message, "saw 7") {
		t.Fatalf("want saw 7 (the += first), got %s after %d executions %+v", rep.Verdict, rep.Executions, rep.Failures)
	}
}
