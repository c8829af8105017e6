package exploretest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
)

// TestShardsTogetherFindTheFailure: under Bazel's sharding variables the
// shards of a depth-first Check explore disjoint shares whose union is
// the whole search: the lost update fails in some shard, the locked
// counter in none, and each shard touches the status file.
func TestShardsTogetherFindTheFailure(t *testing.T) {
	for _, c := range []struct {
		locked bool
		fails  int // shards that fail at least
	}{{true, 0}, {false, 1}} {
		failed := 0
		for i := range 3 {
			status := filepath.Join(t.TempDir(), "status")
			t.Setenv("TEST_TOTAL_SHARDS", "3")
			t.Setenv("TEST_SHARD_INDEX", string(rune('0'+i)))
			t.Setenv("TEST_SHARD_STATUS_FILE", status)
			rec := &recorder{name: "TestShard"}
			cfg := explore.Config{Strategy: explore.DFS, Preemptions: explore.Unbounded, NoRaces: true, Split: 4}
			check(rec, counter(c.locked), WithDir(t.TempDir()), WithConfig(cfg))
			if rec.fatal != "" {
				failed++
				if !strings.Contains(rec.fatal, "assertion") {
					t.Errorf("shard %d: %s", i, rec)
				}
			}
			if _, err := os.Stat(status); err != nil {
				t.Errorf("shard %d did not touch TEST_SHARD_STATUS_FILE: %v", i, err)
			}
		}
		if (c.fails == 0) != (failed == 0) {
			t.Errorf("locked=%v: %d shards failed, want %d or more", c.locked, failed, c.fails)
		}
	}
}

// TestShardConventions: the variables read, and bad values refused.
func TestShardConventions(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want shard
		err  string
	}{
		{map[string]string{}, shard{}, ""},
		{map[string]string{"TEST_TOTAL_SHARDS": "4", "TEST_SHARD_INDEX": "3"}, shard{3, 4}, ""},
		{map[string]string{"JOB_COMPLETION_INDEX": "2", "THREADSIM_SHARDS": "5"}, shard{2, 5}, ""},
		{map[string]string{"TEST_TOTAL_SHARDS": "4", "TEST_SHARD_INDEX": "4"}, shard{}, "TEST_SHARD_INDEX"},
		{map[string]string{"JOB_COMPLETION_INDEX": "0"}, shard{}, "THREADSIM_SHARDS"},
		{map[string]string{"TEST_TOTAL_SHARDS": "x", "TEST_SHARD_INDEX": "0"}, shard{}, "TEST_TOTAL_SHARDS"},
	} {
		for _, k := range []string{"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TEST_SHARD_STATUS_FILE", "JOB_COMPLETION_INDEX", "THREADSIM_SHARDS"} {
			t.Setenv(k, c.env[k])
		}
		got, err := readShard()
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: error %v, want one naming %s", c.env, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v: %v, %v; want %v", c.env, got, err, c.want)
		}
	}
	cfg := explore.Config{Strategy: explore.Random, Seed: 7}
	if !(shard{2, 3}).apply(&cfg) || cfg.Seed != 7 || cfg.Shard != 2 || cfg.Shards != 3 {
		t.Errorf("random under shard 2/3: %+v", cfg)
	}
	cfg = explore.Config{Strategy: explore.PCT, Seed: 7}
	if !(shard{2, 3}).apply(&cfg) || cfg.Seed != 7 || cfg.Shard != 2 || cfg.Shards != 3 {
		t.Errorf("PCT under shard 2/3: %+v", cfg)
	}
	cfg = explore.Config{Strategy: explore.Stateful}
	if (shard{1, 3}).apply(&cfg) || !(shard{0, 3}).apply(&cfg) {
		t.Errorf("stateful search runs in shard 0 alone")
	}
	cfg = explore.Config{Strategy: explore.ODPOR, Preemptions: explore.Unbounded}
	if (shard{1, 3}).apply(&cfg) || !(shard{0, 3}).apply(&cfg) || cfg.Shards != 0 {
		t.Errorf("unbounded optimal DPOR runs in shard 0 alone, whole: %+v", cfg)
	}
	cfg = explore.Config{Strategy: explore.ODPOR, Preemptions: 2}
	if !(shard{1, 3}).apply(&cfg) || cfg.Shard != 1 || cfg.Shards != 3 {
		t.Errorf("bounded optimal DPOR under shard 1/3: %+v", cfg)
	}
}
