package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/explore"
)

// partitionText describes a partitioned search in one or two lines: its
// units and workers, the executions spent finding the partition, and the
// units a budget, Ctrl-C or a missing shard left unfinished ("" when the
// search was not partitioned).
func partitionText(rep *explore.Report) string {
	if rep.Split == 0 {
		return ""
	}
	s := fmt.Sprintf("partitioned into %d units on %d workers (%d executions probed the partition)",
		rep.Prefixes, rep.Workers, rep.Probed)
	if n := len(rep.Unfinished); n > 0 {
		s += fmt.Sprintf("\npartial: %d of %d units finished; unfinished: %s", rep.Prefixes-n, rep.Prefixes, ranges(rep.Unfinished))
	}
	return s
}

// ranges writes sorted integers as "3, 5-9, 12".
func ranges(xs []int) string {
	var parts []string
	for i := 0; i < len(xs); {
		j := i
		for j+1 < len(xs) && xs[j+1] == xs[j]+1 {
			j++
		}
		p := strconv.Itoa(xs[i])
		if j > i {
			p += "-" + strconv.Itoa(xs[j])
		}
		parts = append(parts, p)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
