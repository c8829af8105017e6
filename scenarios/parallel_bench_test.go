package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/scenarios"
)

// BenchmarkPartition: the partitioned search on 1 and 2 workers, and the
// sequential search, in one run: dfs on inc n=6 and odpor on lastzero
// n=12 (issue 17). Besides the time of one search it reports the
// executions (the partition's overhead against sequential) and the
// largest unit's share of them, which bounds the speed-up whatever the
// machine's load: W workers cannot beat 1/max(share, 1/W).
// go test -run '^$' -bench Partition -benchtime 1x ./scenarios
func BenchmarkPartition(b *testing.B) {
	for _, c := range []struct {
		name     string
		n        int
		strategy string
	}{{"inc", 6, explore.DFS}, {"lastzero", 12, explore.ODPOR}} {
		s, _ := scenarios.Lookup(c.name)
		params, err := s.Resolve(map[string]string{"n": fmt.Sprint(c.n)})
		if err != nil {
			b.Fatal(err)
		}
		m := explore.Model{Name: c.name, Params: params.String(), Program: s.Build(params)}
		for _, w := range []int{0, 1, 2} {
			name := fmt.Sprintf("%s/n=%d/%s/workers=%d", c.name, c.n, c.strategy, w)
			if w == 0 {
				name = fmt.Sprintf("%s/n=%d/%s/sequential", c.name, c.n, c.strategy)
			}
			b.Run(name, func(b *testing.B) {
				cfg := explore.Config{Strategy: c.strategy, Preemptions: explore.Unbounded, KeepGoing: true, NoMinimize: true,
					Workers: max(w, 1)}
				if w > 0 {
					cfg.Split, cfg.Shards = explore.AutoSplit, 1 // Shards 1: keep the units, for their sizes
				}
				var rep *explore.Report
				for b.Loop() {
					if rep, err = explore.Explore(context.Background(), m, cfg); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rep.Executions), "executions")
				if rep.Part != nil {
					largest := 0
					for _, u := range rep.Part.Units {
						largest = max(largest, u.Executions)
					}
					b.ReportMetric(100*float64(largest)/float64(rep.Executions), "largest-unit-%")
				}
			})
		}
	}
}
