package explore

import "testing"

// TestShardsSplitWork: which searches' shards divide the work.
func TestShardsSplitWork(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want bool
	}{
		{Config{}, true},
		{Config{Strategy: DFS, Preemptions: Unbounded}, true},
		{Config{Strategy: Naive, Preemptions: Unbounded}, true},
		{Config{Strategy: Random}, true},
		{Config{Strategy: Delay, Delays: 2}, true},
		{Config{Strategy: ODPOR, Preemptions: Unbounded}, false},
		{Config{Strategy: ODPOR, Preemptions: 2}, true},
		{Config{Strategy: ODPOR, Preemptions: Unbounded, Iterative: true}, true},
		{Config{Strategy: PCT}, true},
		{Config{Strategy: Stateful}, false},
		{Config{Strategy: BFS}, false},
	} {
		if got := c.cfg.ShardsSplitWork(); got != c.want {
			t.Errorf("%+v: ShardsSplitWork() = %v, want %v", c.cfg, got, c.want)
		}
	}
}
