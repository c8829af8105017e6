package explore_test

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// counter is a two-thread lost update whose main, after the joins, ends
// with the given operation on the counter.
func counter(last func(t *sched.Thread, x *prims.Var[int])) explore.Model {
	return explore.Model{Name: "counter", Program: func(main *sched.Thread) {
		x := prims.NewVar(main, "x", 0)
		body := func(t *sched.Thread) { x.Store(t, x.Load(t)+1) }
		a, b := main.Go("", body), main.Go("", body)
		main.Join(a)
		main.Join(b)
		last(main, x)
		main.Assert(x.Peek() == 2, "x = %d", x.Peek())
	}}
}

func TestReplayDetectsAChangedModel(t *testing.T) {
	load := func(t *sched.Thread, x *prims.Var[int]) { x.Load(t) }
	rep, err := explore.Explore(t.Context(), counter(load), explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true})
	if err != nil || len(rep.Failures) == 0 {
		t.Fatalf("no failure to replay: %v", err)
	}
	s, err := explore.ParseToken(rep.Failures[0].Token)
	if err != nil || s.Shape.Digest == 0 || s.Shape.Steps != rep.Failures[0].Steps {
		t.Fatalf("token shape %+v, err %v; want the failure's %d steps", s.Shape, err, rep.Failures[0].Steps)
	}
	if _, err := explore.Replay(counter(load), s, sched.Options{NoRaces: true}); err != nil {
		t.Fatalf("replay of the same model: %v", err)
	}
	cases := []struct {
		name string
		last func(t *sched.Thread, x *prims.Var[int])
		want string
	}{
		{"one more step", func(t *sched.Thread, x *prims.Var[int]) { x.Load(t); t.Yield() }, "steps where the recorded execution took"},
		{"another operation", func(t *sched.Thread, x *prims.Var[int]) { x.Store(t, x.Peek()) }, "same count, other threads or operations"},
	}
	for _, c := range cases {
		_, err := explore.Replay(counter(c.last), s, sched.Options{NoRaces: true})
		if err == nil || !strings.Contains(err.Error(), "replay diverged: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: replay error %v, want one naming %q", c.name, err, c.want)
		}
	}
}

func TestTokenShapeRoundTripsAndIsChecked(t *testing.T) {
	s := explore.Schedule{Model: "m", Strategy: "dfs", Decisions: []int{0, 1}, Shape: explore.Shape{Steps: 9, Digest: 0xdeadbeef}}
	got, err := explore.ParseToken(s.Token())
	if err != nil || got.Shape != s.Shape {
		t.Fatalf("round trip: %+v, %v", got.Shape, err)
	}
	// A payload whose decisions are followed by two stray bytes, with a
	// valid checksum: not a shape.
	payload := []byte{3, 'd', 'f', 's', 2, 0, 1, 9, 0xde}
	body := "ts1.m.." + base64.RawURLEncoding.EncodeToString(payload)
	tok := body + "." + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body)))
	if _, err := explore.ParseToken(tok); err == nil || !strings.Contains(err.Error(), "bad execution shape") {
		t.Fatalf("ParseToken(%s) = %v, want a bad shape error", tok, err)
	}
}

// TestReplayChecksAShapelessSchedule: a token without a shape, with a
// decision altered and its checksum made again, must not replay as
// another execution: only a stuck model's schedule lacks a shape, and its
// replay must block where it did.
func TestReplayChecksAShapelessSchedule(t *testing.T) {
	load := func(t *sched.Thread, x *prims.Var[int]) { x.Load(t) }
	rep, err := explore.Explore(t.Context(), counter(load), explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true})
	if err != nil || len(rep.Failures) == 0 {
		t.Fatalf("no failure to replay: %v", err)
	}
	s := rep.Failures[0].Schedule
	s.Shape = explore.Shape{}
	s.Decisions = append([]int(nil), s.Decisions...)
	s.Decisions[0] = 1 - s.Decisions[0]
	altered, err := explore.ParseToken(s.Token())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := explore.Replay(counter(load), altered, sched.Options{NoRaces: true}); err == nil ||
		!strings.Contains(err.Error(), "records no shape") {
		t.Fatalf("replay of an altered shapeless token: %v, want a refusal", err)
	}
}
