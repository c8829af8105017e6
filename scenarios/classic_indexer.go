package scenarios

import (
	"strconv"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// indexer and filesystem are the two benchmarks Flanagan and Godefroid
// introduced with DPOR (POPL 2005): programs whose threads almost never
// touch the same object, where a reduction must find that out.

const (
	indexerSlots   = 128
	indexerPerThrd = 4
)

func init() {
	register(Scenario{
		Name:    "indexer",
		Group:   "benchmark",
		Section: "Flanagan and Godefroid, POPL 2005: DPOR",
		Doc: "A shared hash table of 128 slots, all 0. Thread t (0..N-1) inserts w = 11·m + t for " +
			"m = 1..4, each by a compare-and-swap of slot 7·w mod 128 from 0 to w, trying the next " +
			"slot (mod 128) while the CAS fails; a failed CAS only reads. Up to N = 11 every value " +
			"hashes to its own slot, so there is 1 trace; from N = 12 on, values collide and there " +
			"are 2^(3(N-11)) traces (8 for N = 12, 64 for N = 13). The slots are atomics. Every " +
			"value must be in the table at the end (checked).",
		Primitives: []string{"Thread", "Atomic", "CompareAndSwap"},
		Params:     []Param{{Name: "n", Default: 12, Doc: "number of threads", Min: 1, Max: indexerSlots / indexerPerThrd}},
		Expect:     Expect{Note: "every value is inserted after every schedule"},
		Build:      buildIndexer,
	})
}

func buildIndexer(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads the table, and nothing prints
		table := make([]*prims.Var[int], indexerSlots)
		for i := range table {
			table[i] = prims.NewAtomic(main, "table["+strconv.Itoa(i)+"]", 0)
		}
		threads := make([]*sched.Thread, n)
		for tid := range n {
			threads[tid] = main.Go("T"+strconv.Itoa(tid), func(t *sched.Thread) {
				for m := 1; m <= indexerPerThrd; m++ {
					w := 11*m + tid
					h := w * 7 % indexerSlots
					for !prims.CompareAndSwap(t, table[h], 0, w) {
						h = (h + 1) % indexerSlots
					}
				}
			})
		}
		joinAll(main, threads)
		// Values may repeat across threads (thread 11's 22 is thread 0's
		// second value), so count occurrences.
		want := map[int]int{}
		for tid := range n {
			for m := 1; m <= indexerPerThrd; m++ {
				want[11*m+tid]++
			}
		}
		for _, slot := range table {
			if v := slot.Peek(); v != 0 {
				want[v]--
			}
		}
		for v, missing := range want {
			main.Assert(missing == 0, "value %d: %d insertions missing from the table", v, missing)
		}
		main.Outcome("%d values inserted", n*indexerPerThrd)
	}
}
