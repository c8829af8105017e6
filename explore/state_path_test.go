package explore

import (
	"slices"
	"testing"

	"github.com/threadsim/threadsim/sched"
	"pgregory.net/rapid"
)

// The path keeps every frame's options, and options to explore, intact
// through pushes and pops across chunks, frames with more options than a
// chunk holds included.
func TestStatePathKeepsOptions(t *testing.T) {
	fewerChecks(t)
	rapid.Check(t, func(t *rapid.T) {
		var p statePath
		defer p.close()
		var want [][]sched.ThreadID
		for range rapid.IntRange(1, 300).Draw(t, "ops") {
			if len(want) > 0 && rapid.IntRange(0, 2).Draw(t, "pop") == 0 {
				p.pop()
				want = want[:len(want)-1]
				continue
			}
			f := p.push()
			if rapid.IntRange(0, 5).Draw(t, "draw") == 0 {
				f.draw = true
				want = append(want, nil)
				continue
			}
			n := rapid.OneOf(rapid.IntRange(1, 700), rapid.IntRange(recChunk-2, 3*recChunk)).Draw(t, "options")
			c := &sched.Choice{Current: sched.NoThread}
			for i := range n {
				c.Options = append(c.Options, sched.ThreadID(len(want)*7+i))
			}
			p.setOptions(f, c)
			for _, id := range slices.Backward(c.Options) {
				p.addTodo(f, id)
			}
			want = append(want, c.Options)
		}
		if p.len() != len(want) {
			t.Fatalf("%d frames, want %d", p.len(), len(want))
		}
		for i, ids := range want {
			f := p.at(i)
			if f.draw {
				continue
			}
			var got, todo []sched.ThreadID
			for _, r := range p.options(f) {
				got = append(got, r.id)
			}
			for _, r := range p.options(f)[:f.todo] {
				todo = append(todo, r.todo)
			}
			if !slices.Equal(got, ids) || !slices.Equal(todo, reversed(ids)) {
				t.Fatalf("frame %d: options %v, to explore %v; want %v", i, got, todo, ids)
			}
		}
	})
}

func reversed(ids []sched.ThreadID) []sched.ThreadID {
	r := slices.Clone(ids)
	slices.Reverse(r)
	return r
}

// A state is on the path, at the index it entered it at, exactly while a
// frame holding it is: its entry keeps the index after it leaves, and the
// frame there tells (onPath).
func TestOnPathFollowsThePath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newStateSearch(Config{Strategy: Stateful})
		defer s.path.close()
		var stack []uint64 // the path's states, 0 for a draw
		for range rapid.IntRange(1, 300).Draw(t, "ops") {
			if len(stack) > 0 && rapid.IntRange(0, 2).Draw(t, "pop") == 0 {
				s.leave(len(stack) - 1)
				stack = stack[:len(stack)-1]
				continue
			}
			f := s.path.push()
			if rapid.IntRange(0, 5).Draw(t, "draw") == 0 {
				f.draw = true
				stack = append(stack, 0)
				continue
			}
			k := stateKey{fp: rapid.Uint64Range(1, 12).Draw(t, "state")}
			f.fp = k.fp
			e := s.table.find(k)
			if e == nil {
				e = s.table.insert(k, 0)
			}
			if _, on := s.onPath(e, k); !on {
				e.path = int32(len(stack))
			}
			stack = append(stack, k.fp)
		}
		for fp := uint64(1); fp <= 12; fp++ {
			k := stateKey{fp: fp}
			j, on := s.onPath(s.table.find(k), k)
			want := slices.Index(stack, fp)
			if on != (want >= 0) || (on && j != want) {
				t.Fatalf("state %d: onPath says %d %v; the path %v", fp, j, on, stack)
			}
		}
	})
}
