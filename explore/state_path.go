package explore

import "github.com/threadsim/threadsim/sched"

// The path of a stateful search: a stack of frames, one per scheduling
// point or draw, as deep as the longest execution (8 million frames for
// pipeline-lock-threads with a million messages). Frames hold no pointers
// and live in fixed chunks, and so do their options (a frame's options are
// a run of records in a stack of their own, pushed and popped with it),
// so that nothing is ever copied as the path grows, the path costs one
// allocation per chunk, and the garbage collector nothing to scan.

// sframe is one scheduling point or draw on the current path. It is
// packed (80 bytes): a deep path holds millions of frames, and every page
// of them is memory the search touches for the first time.
type sframe struct {
	fp    uint64
	sleep uint64 // the sleep set the state was reached with
	done  uint64 // options already explored from here
	wide  uint64 // options whose step changed objects beyond its own
	opts  recAt  // its first option's record (optRec)
	step  int32
	n     int32          // draw: the number of values; else of options
	todo  int32          // its options to explore: the first todo records' todo column
	cur   sched.ThreadID // the thread (draw: the value) being explored
	dec   int32          // cur's decision
	prev  sched.ThreadID // the thread that ran the step before
	// threads and objects at this state (before cur's step), for ample's
	// check and the shadow's way back.
	threads, objects int32
	draw             bool
	// prevOn: whether prev is among the options.
	prevOn bool
	// ample: only cur, an invisible step, is to be explored from here,
	// until the state after it shows the step reached further (state_ample.go).
	ample   bool
	spawns  bool // cur's ample step starts a thread (state_ample.go)
	checked bool // the state after cur's ample step was checked
	// narrow: cur's step changed only its thread's and its object's
	// components (the shadow can go back through it: state_predict.go).
	narrow bool
}

// optRec is what the search keeps of one option of a frame: the thread,
// its decision, its pending step's signature, and its thread's and
// object's components for the transition cache; and, in the same place,
// the frame's next option to explore (the records' todo column lists them
// in order).
type optRec struct {
	id, todo sched.ThreadID
	dec      int32
	sig      sig
	pre      transKey
}

// statePath is the path: frames and their options' records, each in
// chunks that never move; in exact mode, each frame's full state.
type statePath struct {
	chunks [][]sframe
	n      int
	recs   [][]optRec
	top    recAt // the next free record
	keys   []string
	// Fresh chunks, touched ahead of use on a deep path (state_prefault.go).
	frameSupply  chunkSupply[sframe]
	recordSupply chunkSupply[optRec]
}

// recAt is a record's place: its chunk and its index there.
type recAt struct{ chunk, i int32 }

// chunkBits and recChunk size the chunks: small, since most searches are
// small and a chunk is zeroed memory (a frame chunk is 30 KB, a record
// chunk 56 KB); a frame with more options than recChunk gets a chunk of
// its own size.
const (
	chunkBits = 8
	recChunk  = 1 << 10
)

func (p *statePath) len() int { return p.n }

func (p *statePath) at(i int) *sframe { return &p.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

// push adds a zeroed frame.
func (p *statePath) push() *sframe {
	if p.n>>chunkBits == len(p.chunks) {
		p.chunks = append(p.chunks, p.frameSupply.get(1<<chunkBits))
	}
	f := p.at(p.n)
	p.n++
	if p.keys != nil {
		p.keys = append(p.keys, "")
	}
	*f = sframe{opts: p.top}
	return f
}

// pop removes the last frame and its options.
func (p *statePath) pop() {
	p.n--
	f := p.at(p.n)
	if !f.draw {
		p.top = f.opts
	}
	if p.keys != nil {
		p.keys = p.keys[:p.n]
	}
}

// setOptions gives f, the last frame, the options of c and returns their
// records (signatures and cache components left zero). Only c's Options,
// Current and CurrentEnabled are read.
func (p *statePath) setOptions(f *sframe, c *sched.Choice) []optRec {
	f.opts, f.n, f.todo = p.reserve(len(c.Options)), int32(len(c.Options)), 0
	rs := p.options(f)
	for i, id := range c.Options {
		rs[i] = optRec{id: id, dec: int32(c.Decision(id))}
	}
	return rs
}

// reserve returns the place of n free records in one chunk, past the
// chunks too short for them, and moves the top beyond them.
func (p *statePath) reserve(n int) recAt {
	at := p.top
	for {
		if int(at.chunk) == len(p.recs) {
			p.recs = append(p.recs, p.newRecords(n))
		}
		if int(at.i)+n <= len(p.recs[at.chunk]) {
			p.top = recAt{chunk: at.chunk, i: at.i + int32(n)}
			return at
		}
		at = recAt{chunk: at.chunk + 1}
	}
}

// newRecords returns a zeroed chunk for at least n records.
func (p *statePath) newRecords(n int) []optRec {
	if n > recChunk {
		return make([]optRec, n)
	}
	return p.recordSupply.get(recChunk)
}

// close stops the path's chunk supplies.
func (p *statePath) close() {
	p.frameSupply.close()
	p.recordSupply.close()
}

// options returns f's records, in the order of the choice's options.
func (p *statePath) options(f *sframe) []optRec {
	return p.recs[f.opts.chunk][f.opts.i : f.opts.i+f.n]
}

// sameOptions reports whether f's options are ids, in order.
func (p *statePath) sameOptions(f *sframe, ids []sched.ThreadID) bool {
	rs := p.options(f)
	if len(rs) != len(ids) {
		return false
	}
	for i, id := range ids {
		if rs[i].id != id {
			return false
		}
	}
	return true
}

// exploring reports whether id is among f's options to explore.
func (p *statePath) exploring(f *sframe, id sched.ThreadID) bool {
	for _, r := range p.options(f)[:f.todo] {
		if r.todo == id {
			return true
		}
	}
	return false
}

// addTodo adds id to f's options to explore.
func (p *statePath) addTodo(f *sframe, id sched.ThreadID) {
	p.options(f)[f.todo].todo = id
	f.todo++
}

// setTodo makes id f's only option to explore.
func (p *statePath) setTodo(f *sframe, id sched.ThreadID) {
	p.options(f)[0].todo = id
	f.todo = 1
}

// nextTodo returns the option to explore after f's current one.
func (p *statePath) nextTodo(f *sframe) (sched.ThreadID, bool) {
	rs := p.options(f)[:f.todo]
	for i, r := range rs {
		if r.todo == f.cur && i+1 < len(rs) {
			return rs[i+1].todo, true
		}
	}
	return 0, false
}

// current returns the record of f's current option.
func (p *statePath) current(f *sframe) *optRec {
	rs := p.options(f)
	for i := range rs {
		if rs[i].id == f.cur {
			return &rs[i]
		}
	}
	panic("explore: the current option is not among the frame's options")
}

// setKey records frame i's state key (in exact mode, its full state).
func (p *statePath) setKey(i int, k stateKey) {
	if p.keys != nil {
		p.keys[i] = k.full
	}
}

// key is frame i's state key.
func (p *statePath) key(i int) stateKey {
	k := stateKey{fp: p.at(i).fp}
	if p.keys != nil {
		k.full = p.keys[i]
	}
	return k
}
