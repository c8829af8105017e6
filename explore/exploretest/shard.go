package exploretest

import (
	"os"
	"strconv"

	"github.com/threadsim/threadsim/explore"
)

// shard is this test process's share of every Check: index of total
// (total 0: the whole search).
type shard struct{ index, total int }

// readShard reads the sharding conventions of the engines that run tests
// in parallel processes, so that each explores its share of every Check:
// Bazel's TEST_TOTAL_SHARDS and TEST_SHARD_INDEX (which GitHub Actions
// matrices and other CI can set too; Check touches TEST_SHARD_STATUS_FILE
// when Bazel names one, to say it shards), or a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX with the number of completions in
// THREADSIM_SHARDS.
func readShard() (shard, error) {
	if v := os.Getenv("TEST_TOTAL_SHARDS"); v != "" {
		s, err := parseShard(os.Getenv("TEST_SHARD_INDEX"), v, "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS")
		if err == nil {
			if f := os.Getenv("TEST_SHARD_STATUS_FILE"); f != "" {
				if werr := os.WriteFile(f, nil, 0o644); werr != nil {
					return s, errorf("TEST_SHARD_STATUS_FILE: %v", werr)
				}
			}
		}
		return s, err
	}
	if v := os.Getenv("JOB_COMPLETION_INDEX"); v != "" {
		return parseShard(v, os.Getenv("THREADSIM_SHARDS"), "JOB_COMPLETION_INDEX", "THREADSIM_SHARDS")
	}
	return shard{}, nil
}

func parseShard(index, total, indexName, totalName string) (shard, error) {
	n, err := strconv.Atoi(total)
	if err != nil || n < 1 {
		return shard{}, errorf("%s: %q is not a number of shards (>= 1)", totalName, total)
	}
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= n {
		return shard{}, errorf("%s: %q is not a shard index in 0..%d", indexName, index, n-1)
	}
	return shard{i, n}, nil
}

// apply makes cfg explore the share: a depth-first search explores the
// prefixes of its partition whose index is the shard's modulo the total,
// a random walk or PCT its runs of the same search, and delay bounding
// the subtrees below its prefixes (explore.Config.Shard), so that the
// shards together make the single search's work; stateful and bfs search,
// whose work is not split, run in shard 0 alone (run reports false in the
// others), and so does unbounded optimal DPOR, whose every shard would run
// the whole search (its partition grows from every unit's races).
func (s shard) apply(cfg *explore.Config) (run bool) {
	if s.total <= 1 {
		return true
	}
	switch {
	case cfg.ShardsSplitWork():
		cfg.Shard, cfg.Shards = s.index, s.total
	default:
		return s.index == 0
	}
	return true
}
