package main

import (
	"fmt"
	"strconv"
	"strings"
)

// shardFlag is --shard i/n: this process explores share i of n.
type shardFlag struct{ index, total int }

func (s *shardFlag) String() string {
	if s == nil || s.total == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.index, s.total)
}

// Set parses "i/n" with 0 <= i < n.
func (s *shardFlag) Set(v string) error {
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("want i/n with 0 <= i < n, got %q", v)
	}
	s.index, s.total = i, n
	return nil
}
