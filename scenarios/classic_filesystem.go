package scenarios

import (
	"strconv"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

const (
	fsInodes = 32
	fsBlocks = 26
)

func init() {
	register(Scenario{
		Name:    "filesystem",
		Group:   "benchmark",
		Section: "Flanagan and Godefroid, POPL 2005: DPOR",
		Doc: "A file system's allocator: 32 inodes, each with its own Lock and a value 0 " +
			"(unallocated), and 26 blocks, each with its own Lock and busy flag. Thread t locks " +
			"inode i = t mod 32 and, if it is unallocated, probes blocks from b = 2·i mod 26: it " +
			"locks block b, and if it is free marks it busy, records b+1 in the inode, unlocks it " +
			"and stops, else unlocks it and tries b+1 mod 26; finally it unlocks the inode. Up to " +
			"N = 13 the threads touch disjoint objects: 1 trace; then 2^(N-13) (2 for N = 14, 8 for " +
			"N = 16). Every lock protects its data, so there is no data race; at the end every " +
			"inode a thread allocated holds a distinct block (checked).",
		Primitives: []string{"Thread", "Lock", "Var"},
		Params:     []Param{{Name: "n", Default: 14, Doc: "number of threads", Min: 1, Max: fsBlocks}},
		Expect:     Expect{Note: "every inode gets its own block after every schedule"},
		Build:      buildFilesystem,
	})
}

func buildFilesystem(p Params) sched.Program {
	n := p["n"]
	return func(main *sched.Thread) {
		main.ForgetLog() // the property reads the inodes, and nothing prints
		inodeLock := make([]*prims.Lock, fsInodes)
		inode := make([]*prims.Var[int], fsInodes)
		for i := range fsInodes {
			name := "inode[" + strconv.Itoa(i) + "]"
			inodeLock[i] = prims.NewLock(main, name)
			inode[i] = prims.NewVar(main, name, 0)
		}
		blockLock := make([]*prims.Lock, fsBlocks)
		busy := make([]*prims.Var[bool], fsBlocks)
		for b := range fsBlocks {
			name := "block[" + strconv.Itoa(b) + "]"
			blockLock[b] = prims.NewLock(main, name)
			busy[b] = prims.NewVar(main, name+".busy", false)
		}
		threads := make([]*sched.Thread, n)
		for tid := range n {
			threads[tid] = main.Go("T"+strconv.Itoa(tid), func(t *sched.Thread) {
				i := tid % fsInodes
				inodeLock[i].Acquire(t)
				if inode[i].Load(t) == 0 {
					for b := i * 2 % fsBlocks; ; b = (b + 1) % fsBlocks {
						blockLock[b].Acquire(t)
						if !busy[b].Load(t) {
							busy[b].Store(t, true)
							inode[i].Store(t, b+1)
							blockLock[b].Release(t)
							break
						}
						blockLock[b].Release(t)
					}
				}
				inodeLock[i].Release(t)
			})
		}
		joinAll(main, threads)
		owner := map[int]int{}
		for i := range min(n, fsInodes) {
			b := inode[i].Peek()
			main.Assert(b != 0, "inode %d has no block", i)
			if j, taken := owner[b]; taken {
				main.Fail(sched.Assertion, "inodes "+strconv.Itoa(j)+" and "+strconv.Itoa(i)+
					" share block "+strconv.Itoa(b-1))
			}
			owner[b] = i
		}
		main.Outcome("%d inodes allocated", len(owner))
	}
}
