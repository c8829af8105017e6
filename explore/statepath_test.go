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
