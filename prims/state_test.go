package prims_test

import (
	"testing"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// probed is the state at a probe: the fingerprint and the full encoding.
type probed struct {
	fp   uint64
	full string
}

// prober takes the given thread picks in order at scheduling points
// (forced ones included), then decision 0, until the probe: the first
// scheduling point at which the main thread is about to yield. There it
// records the state and stops the execution.
type prober struct {
	tb    testing.TB
	picks []sched.ThreadID
	at    *probed
}

func (p *prober) Choose(c *sched.Choice) int {
	if c.Kind == sched.Draw {
		return 0
	}
	if main := c.Sched.Thread(0); main.Pending().Name == "yield" {
		p.at = &probed{c.Sched.Fingerprint(), string(c.Sched.AppendState(nil))}
		return sched.Stop
	}
	if len(p.picks) == 0 {
		return 0
	}
	d := c.Decision(p.picks[0])
	if d < 0 {
		p.tb.Fatalf("step %d: thread %d cannot run (options %v)", c.Step, p.picks[0], c.Options)
	}
	p.picks = p.picks[1:]
	return d
}

// stateAt runs prog, with State and CheckState on, under the picks and
// returns the state at its probe.
func stateAt(tb testing.TB, prog sched.Program, picks ...sched.ThreadID) probed {
	tb.Helper()
	s := sched.New(sched.Options{State: true, CheckState: true})
	defer s.Close()
	p := &prober{tb: tb, picks: picks}
	r := s.Run(prog, p)
	if r.Failure != nil {
		tb.Fatalf("unexpected failure: %s", r.Failure.Describe())
	}
	if p.at == nil {
		tb.Fatal("the program ended before its probe")
	}
	return *p.at
}

// probe declares main's local state empty and yields: the probe point.
// Threads whose steps must not tell two states apart end with
// Checkpoint("end") for the same reason, so that what differs is only
// what the primitives encode.
func probe(main *sched.Thread) {
	main.Checkpoint("probe")
	main.Yield()
}

// pair starts threads A (id 1) and B (id 2), waits for both, and probes.
func pair(main *sched.Thread, a, b func(t *sched.Thread)) {
	ta, tb := main.Go("A", a), main.Go("B", b)
	main.Join(ta)
	main.Join(tb)
	probe(main)
}

// ending runs body, then declares the thread's local state empty.
func ending(body func(t *sched.Thread)) func(t *sched.Thread) {
	return func(t *sched.Thread) {
		body(t)
		t.Checkpoint("end")
	}
}

func nothing(*sched.Thread) {}

// wantStates checks that the named states are pairwise different, or
// pairwise equal with want equal, comparing fingerprints and full states.
func wantStates(tb testing.TB, equal bool, names []string, states ...probed) {
	tb.Helper()
	for i := range states {
		for j := i + 1; j < len(states); j++ {
			a, b := states[i], states[j]
			if (a.fp == b.fp) != equal || (a.full == b.full) != equal {
				tb.Errorf("%s and %s: equal fingerprints %v, equal states %v; want %v",
					names[i], names[j], a.fp == b.fp, a.full == b.full, equal)
			}
		}
	}
}

// A lock's state is whether it is held; an RLock's also who owns it and
// how often. A Lock has no owner: held by A or by B is one state.
func TestStateLockHolders(t *testing.T) {
	held := func(mk func(*sched.Thread) lockLike, who string, times int) probed {
		return stateAt(t, func(main *sched.Thread) {
			l := mk(main)
			body := func(name string) func(*sched.Thread) {
				return ending(func(t *sched.Thread) {
					for i := 0; name == who && i < times; i++ {
						l.Acquire(t)
					}
				})
			}
			pair(main, body("A"), body("B"))
		})
	}
	lock := func(t *sched.Thread) lockLike { return prims.NewLock(t, "l") }
	rlock := func(t *sched.Thread) lockLike { return prims.NewRLock(t, "l") }
	wantStates(t, false, []string{"Lock free", "Lock held"}, held(lock, "", 0), held(lock, "A", 1))
	wantStates(t, true, []string{"Lock held by A", "Lock held by B"}, held(lock, "A", 1), held(lock, "B", 1))
	wantStates(t, false, []string{"RLock free", "RLock owned by A", "RLock owned by B", "RLock owned twice by A"},
		held(rlock, "", 0), held(rlock, "A", 1), held(rlock, "B", 1), held(rlock, "A", 2))
}

// A queue's items are state in the order they come out: FIFO and LIFO
// queues and SimpleQueue holding 1, 2 differ from 2, 1, while a
// PriorityQueue holds one heap whichever order they came in.
func TestStateQueueOrder(t *testing.T) {
	kinds := []struct {
		name    string
		make    func(t *sched.Thread) func(t *sched.Thread, x int)
		ordered bool
	}{
		{"Queue", func(t *sched.Thread) func(*sched.Thread, int) {
			q := prims.NewQueue[int](t, "q", 0)
			return func(t *sched.Thread, x int) { q.Put(t, x) }
		}, true},
		{"LifoQueue", func(t *sched.Thread) func(*sched.Thread, int) {
			q := prims.NewLifoQueue[int](t, "q", 0)
			return func(t *sched.Thread, x int) { q.Put(t, x) }
		}, true},
		{"SimpleQueue", func(t *sched.Thread) func(*sched.Thread, int) {
			q := prims.NewSimpleQueue[int](t, "q")
			return func(t *sched.Thread, x int) { q.Put(t, x) }
		}, true},
		{"PriorityQueue", func(t *sched.Thread) func(*sched.Thread, int) {
			q := prims.NewPriorityQueue(t, "q", 0, func(a, b int) bool { return a < b })
			return func(t *sched.Thread, x int) { q.Put(t, x) }
		}, false},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			holding := func(xs ...int) probed {
				return stateAt(t, func(main *sched.Thread) {
					put := k.make(main)
					pair(main, ending(func(t *sched.Thread) {
						for _, x := range xs {
							put(t, x)
						}
					}), nothing)
				})
			}
			wantStates(t, !k.ordered, []string{"1, 2", "2, 1"}, holding(1, 2), holding(2, 1))
			wantStates(t, false, []string{"1, 2", "1"}, holding(1, 2), holding(1))
		})
	}
}

// Besides its items, a Queue's state has its unfinished count, its
// maxsize and its shutdown flag.
func TestStateQueueCounters(t *testing.T) {
	queue := func(act func(t *sched.Thread, q *prims.Queue[int])) probed {
		return stateAt(t, func(main *sched.Thread) {
			q := prims.NewQueue[int](main, "q", 2)
			pair(main, ending(func(t *sched.Thread) { act(t, q) }), nothing)
		})
	}
	states := []probed{
		queue(func(*sched.Thread, *prims.Queue[int]) {}),
		queue(func(t *sched.Thread, q *prims.Queue[int]) { q.Put(t, 1); q.Get(t) }),
		queue(func(t *sched.Thread, q *prims.Queue[int]) { q.SetMaxsize(t, 3) }),
		queue(func(t *sched.Thread, q *prims.Queue[int]) { q.Shutdown(t, false) }),
	}
	wantStates(t, false, []string{"new", "one task unfinished", "maxsize 3", "shut down"}, states...)
	done := queue(func(t *sched.Thread, q *prims.Queue[int]) { q.Put(t, 1); q.Get(t); q.TaskDone(t) })
	wantStates(t, true, []string{"new", "one task done"}, states[0], done)
}

// An Event's state is its flag: set differs from clear, and set then
// cleared is the state it started in.
func TestStateEventFlag(t *testing.T) {
	event := func(act func(t *sched.Thread, e *prims.Event)) probed {
		return stateAt(t, func(main *sched.Thread) {
			e := prims.NewEvent(main, "e")
			pair(main, ending(func(t *sched.Thread) { act(t, e) }), nothing)
		})
	}
	clear := event(func(*sched.Thread, *prims.Event) {})
	set := event(func(t *sched.Thread, e *prims.Event) { e.Set(t) })
	setCleared := event(func(t *sched.Thread, e *prims.Event) { e.Set(t); e.Clear(t) })
	wantStates(t, false, []string{"clear", "set"}, clear, set)
	wantStates(t, true, []string{"clear", "set then cleared"}, clear, setCleared)
}

// A Condition's state is its waiters: one waiting differs from none, and
// a notified waiter that has not yet run differs from one still waiting
// (the notify is the only difference: the notifier's history is
// replaced).
func TestStateConditionWaiters(t *testing.T) {
	var encoded []string
	cond := func(wait, notify bool) probed {
		return stateAt(t, func(main *sched.Thread) {
			c := prims.NewCondition(main, "c", nil)
			w := func(t *sched.Thread) {
				c.Acquire(t)
				if wait {
					c.Wait(t)
				}
				c.Release(t)
			}
			n := ending(func(t *sched.Thread) {
				c.Acquire(t)
				if notify {
					c.Notify(t, 1)
				}
				c.Release(t)
			})
			main.Go("W", w)
			main.Join(main.Go("N", n))
			main.Checkpoint("probe")
			encoded = append(encoded, string(c.AppendState(nil)))
			main.Yield()
		})
	}
	wantStates(t, false, []string{"no waiter", "one waiter"}, cond(false, false), cond(true, false))
	if encoded[0] == encoded[1] {
		t.Errorf("a Condition with one waiter encodes as one with none: %q", encoded[0])
	}
	wantStates(t, false, []string{"waiting", "notified"}, cond(true, false), cond(true, true))
}

// A waiter's entry says whether its wait is timed: a polling waiter and
// one that waits for a notify have the same history and the same pending
// step (only its Waiter differs, which the thread's state does not
// show), yet one can return at once and the other cannot.
func TestStateConditionEntryFlags(t *testing.T) {
	waiter := func(poll bool) probed {
		return stateAt(t, func(main *sched.Thread) {
			c := prims.NewCondition(main, "c", nil)
			main.Go("W", func(t *sched.Thread) {
				c.Acquire(t)
				if poll {
					c.WaitTimeout(t, 0)
				} else {
					c.Wait(t)
				}
			})
			c.Acquire(main)
			probe(main)
		}, 0, 1, 1, 0) // main starts W; W acquires, releases in its wait; main acquires
	}
	wantStates(t, false, []string{"polling", "waiting"}, waiter(true), waiter(false))
}

// A Semaphore's state is its counter.
func TestStateSemaphoreValue(t *testing.T) {
	sem := func(releases int) probed {
		return stateAt(t, func(main *sched.Thread) {
			s := prims.NewSemaphore(main, "s", 0)
			pair(main, ending(func(t *sched.Thread) {
				for range releases {
					s.Release(t)
				}
			}), nothing)
		})
	}
	wantStates(t, false, []string{"0", "1", "2"}, sem(0), sem(1), sem(2))
}

// A Barrier's state machine is state: filling differs from broken, with
// or without a party waiting.
func TestStateBarrierPhase(t *testing.T) {
	barrier := func(waiter, abort bool) probed {
		return stateAt(t, func(main *sched.Thread) {
			b := prims.NewBarrier(main, "b", 2, nil, 0)
			if waiter {
				main.Go("W", func(t *sched.Thread) { b.Wait(t) })
			}
			main.Join(main.Go("N", ending(func(t *sched.Thread) {
				if abort {
					b.Abort(t)
				}
			})))
			probe(main)
		})
	}
	wantStates(t, false, []string{"filling", "broken"}, barrier(false, false), barrier(false, true))
	wantStates(t, false, []string{"one of two arrived", "broken with a waiter"}, barrier(true, false), barrier(true, true))
}

// A Future's state is its state and its result: pending differs from
// cancelled, and a result of 3 from one of 4 (the call checkpoints, so
// that only the result tells the runs apart).
func TestStateFutureResult(t *testing.T) {
	future := func(result int, cancel, wait bool) probed {
		return stateAt(t, func(main *sched.Thread) {
			ex := prims.NewExecutor(main, "ex", 1)
			f, err := prims.Submit(main, ex, func(t *sched.Thread) (int, error) {
				t.Checkpoint("call")
				return result, nil
			})
			if err != nil {
				main.Fail(sched.Assertion, err.Error())
			}
			if cancel {
				f.Cancel(main)
			}
			if wait {
				f.Result(main)
			}
			probe(main)
		})
	}
	wantStates(t, false, []string{"pending", "cancelled"}, future(3, false, false), future(3, true, false))
	wantStates(t, false, []string{"done with 3", "done with 4"}, future(3, false, true), future(4, false, true))
}

// An item handed to a parked SimpleQueue getter is state until the getter
// takes it.
func TestStateSimpleQueueHandOff(t *testing.T) {
	handed := func(x int) probed {
		return stateAt(t, func(main *sched.Thread) {
			q := prims.NewSimpleQueue[int](main, "q")
			main.Go("G", func(t *sched.Thread) { q.Get(t) })
			main.Join(main.Go("P", ending(func(t *sched.Thread) { q.Put(t, x) })))
			probe(main)
		})
	}
	wantStates(t, false, []string{"handed 1", "handed 2"}, handed(1), handed(2))
}

// Two threads each acquire and release their own lock: either order
// reaches one state. So do two puts into two queues.
func TestStateCommutingOrders(t *testing.T) {
	locks := func(main *sched.Thread) {
		la, lb := prims.NewLock(main, "a"), prims.NewLock(main, "b")
		pair(main, func(t *sched.Thread) { la.Acquire(t); la.Release(t) },
			func(t *sched.Thread) { lb.Acquire(t); lb.Release(t) })
	}
	// main starts A and B (two steps), then waits for A: A's acquire,
	// release and exit, then B's, or B's first.
	ab := stateAt(t, locks, 0, 0, 1, 1, 1, 2, 2, 2)
	ba := stateAt(t, locks, 0, 0, 2, 2, 2, 1, 1, 1)
	wantStates(t, true, []string{"A then B", "B then A"}, ab, ba)
	aMid := stateAt(t, func(main *sched.Thread) {
		la, lb := prims.NewLock(main, "a"), prims.NewLock(main, "b")
		ta := main.Go("A", func(t *sched.Thread) { la.Acquire(t); la.Release(t) })
		main.Go("B", func(t *sched.Thread) { lb.Acquire(t); lb.Release(t) })
		main.Join(ta)
		probe(main)
	}, 0, 0, 1, 1, 1)
	wantStates(t, false, []string{"both done", "only A done"}, ab, aMid)

	queues := func(main *sched.Thread) {
		qa, qb := prims.NewQueue[int](main, "a", 0), prims.NewQueue[int](main, "b", 0)
		pair(main, func(t *sched.Thread) { qa.Put(t, 1) }, func(t *sched.Thread) { qb.Put(t, 2) })
	}
	// A put is three steps (acquire, put, release), then the exit.
	ab = stateAt(t, queues, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2)
	ba = stateAt(t, queues, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1)
	wantStates(t, true, []string{"A's put then B's", "B's put then A's"}, ab, ba)
}

// A Var's value is its state.
func TestStateVarValue(t *testing.T) {
	value := func(x int) probed {
		return stateAt(t, func(main *sched.Thread) {
			v := prims.NewVar(main, "v", 0)
			pair(main, ending(func(t *sched.Thread) { v.Store(t, x) }), nothing)
		})
	}
	wantStates(t, false, []string{"0", "1"}, value(0), value(1))
}

// A store learns nothing: storing 7 over 0 or over 3 leaves the storing
// thread in one state.
func TestStateStoreIsBlind(t *testing.T) {
	overwrite := func(before int) probed {
		return stateAt(t, func(main *sched.Thread) {
			v := prims.NewVar(main, "v", 0)
			v.Store(main, before)
			main.Checkpoint("stored")
			pair(main, func(t *sched.Thread) { v.Store(t, 7) }, nothing)
		})
	}
	wantStates(t, true, []string{"7 over 0", "7 over 3"}, overwrite(0), overwrite(3))
}
