package explore

import (
	"github.com/threadsim/threadsim/sched"
)

// The path of a stateful search: a stack of frames, one per scheduling
// point or draw, as deep as the longest execution (8 million frames for
// pipeline-lock-threads with a million messages). Frames hold no pointers
// and live in fixed chunks, their options in stacks of their own (each
// frame's options and options to explore are spans of them, pushed and
// popped with the frame), so that the path costs one allocation per chunk
// and the garbage collector nothing to scan.

// sframe is one scheduling point or draw on the current path.
type sframe struct {
	draw bool
	n    int // draw: number of values
	fp   uint64
	step int
	opts span           // the enabled threads: s.ids and s.infos
	todo span           // the options to explore, in order: s.todos
	cur  sched.ThreadID // the thread (draw: the value) being explored
	dec  int            // cur's decision
	prev sched.ThreadID // the thread that ran the step before
	// prevOn: whether prev is among the options.
	prevOn bool
	sleep  uint64 // the sleep set the state was reached with
	done   uint64 // options already explored from here
	wide   uint64 // options whose step changed objects beyond its own
	// ample: only cur, an invisible step, is to be explored from here,
	// until the state after it shows the step reached further (ample.go).
	ample   bool
	checked bool // the state after cur's ample step was checked
	threads int  // threads and objects before cur's step, for ample's check
	objects int
}

// span is a range of one of the path's option stacks.
type span struct{ lo, n int32 }

func (p span) end() int32 { return p.lo + p.n }

// optInfo is what the search keeps of an option: its pending step's
// signature, and its thread's and object's components for the transition
// cache.
type optInfo struct {
	sig sig
	pre transKey
}

// statePath is the path and its option stacks.
type statePath struct {
	chunks [][]sframe
	n      int
	ids    []sched.ThreadID // each frame's options
	infos  []optInfo        // parallel to ids
	todos  []sched.ThreadID
	keys   []string // exact mode: each frame's full state
}

const chunkBits = 12

func (p *statePath) len() int { return p.n }

func (p *statePath) at(i int) *sframe { return &p.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

// push adds a zeroed frame whose spans start at the stacks' tops.
func (p *statePath) push() *sframe {
	if p.n>>chunkBits == len(p.chunks) {
		p.chunks = append(p.chunks, make([]sframe, 1<<chunkBits))
	}
	f := p.at(p.n)
	p.n++
	if p.keys != nil {
		p.keys = append(p.keys, "")
	}
	*f = sframe{opts: span{lo: int32(len(p.ids))}, todo: span{lo: int32(len(p.todos))}}
	return f
}

// pop removes the last frame and its options.
func (p *statePath) pop() {
	p.n--
	f := p.at(p.n)
	if !f.draw {
		p.ids, p.infos, p.todos = p.ids[:f.opts.lo], p.infos[:f.opts.lo], p.todos[:f.todo.lo]
	}
	if p.keys != nil {
		p.keys = p.keys[:p.n]
	}
}

// truncate pops frames down to n.
func (p *statePath) truncate(n int) {
	for p.n > n {
		p.pop()
	}
}

func (p *statePath) options(f *sframe) []sched.ThreadID { return p.ids[f.opts.lo:f.opts.end()] }
func (p *statePath) info(f *sframe) []optInfo           { return p.infos[f.opts.lo:f.opts.end()] }
func (p *statePath) toExplore(f *sframe) []sched.ThreadID {
	return p.todos[f.todo.lo:f.todo.end()]
}

// addOption appends an option to f, the last frame.
func (p *statePath) addOption(f *sframe, id sched.ThreadID, g sig) {
	p.ids = append(p.ids, id)
	p.infos = append(p.infos, optInfo{sig: g})
	f.opts.n++
}

// addTodo appends an option to explore to f, the last frame that is not a
// draw: its span is the top of the stack.
func (p *statePath) addTodo(f *sframe, id sched.ThreadID) {
	if f.todo.end() != int32(len(p.todos)) {
		panic("explore: options added below the top of the path")
	}
	p.todos = append(p.todos, id)
	f.todo.n++
}

// setTodo makes id f's only option to explore; f is the last frame.
func (p *statePath) setTodo(f *sframe, id sched.ThreadID) {
	p.todos = append(p.todos[:f.todo.lo], id)
	f.todo.n = 1
}

// curInfo is the signature and components of f's current option.
func (p *statePath) curInfo(f *sframe) optInfo {
	for i, id := range p.options(f) {
		if id == f.cur {
			return p.infos[int(f.opts.lo)+i]
		}
	}
	panic("explore: the current option is not among the frame's options")
}

// key is frame i's state key.
func (p *statePath) key(i int) stateKey {
	k := stateKey{fp: p.at(i).fp}
	if p.keys != nil {
		k.full = p.keys[i]
	}
	return k
}
