package main

import (
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/threadsim/threadsim/explore"
)

// flagStrategies lists, for each explore flag that only some strategies
// read, the strategies that read it. The others ignore it, which a user
// should be told.
var flagStrategies = map[string][]string{
	"seed":         {explore.Random, explore.PCT},
	"workers":      {explore.Random, explore.PCT, explore.DFS, explore.ODPOR, explore.Naive, explore.Delay, explore.BFS},
	"split":        {explore.DFS, explore.ODPOR, explore.Naive},
	"depth":        {explore.PCT},
	"preemptions":  {explore.DFS, explore.ODPOR, explore.Naive},
	"iterative":    {explore.DFS, explore.ODPOR, explore.Naive, explore.Delay},
	"delays":       {explore.Delay},
	"max-states":   {explore.Stateful, explore.BFS},
	"exact-states": {explore.Stateful, explore.BFS},
}

// ignoredBecause says why a strategy ignores a flag, where the reason is
// not obvious.
var ignoredBecause = map[string]string{
	"workers/" + explore.Stateful: stateTableOneWorker,
}

// stateTableOneWorker is why stateful search runs on one worker.
const stateTableOneWorker = "its table of visited states decides, in search order, which visit of a state " +
	"explores it, and with what sleep set, so splitting the search would make the report depend on the workers; " +
	"bfs, dfs and odpor --workers use every core"

// warnIgnoredFlags prints one warning line on w for each flag given on
// the command line that the chosen strategy does not read.
func warnIgnoredFlags(w io.Writer, fs *flag.FlagSet, strategy string) {
	fs.Visit(func(f *flag.Flag) {
		if uses, ok := flagStrategies[f.Name]; ok && !slices.Contains(uses, strategy) {
			why := ""
			if r, ok := ignoredBecause[f.Name+"/"+strategy]; ok {
				why = ": " + r
			}
			fmt.Fprintf(w, "threadsim explore: warning: --%s does not apply to the %s strategy (ignored)%s\n", f.Name, strategy, why)
		}
	})
}

// warnShardsDoNotSplit says when --shard divides none of the search's
// work (explore.Config.ShardsSplitWork): each shard runs all of it.
func warnShardsDoNotSplit(w io.Writer, cfg explore.Config) {
	if cfg.Shards > 1 && !cfg.ShardsSplitWork() {
		fmt.Fprintf(w, "threadsim explore: warning: shards do not split unbounded optimal DPOR (its partition grows from "+
			"the races every unit finds, which one shard cannot see): each shard runs the whole search, so 'merge' "+
			"gives the single report but no time is saved; --strategy dfs splits it\n")
	}
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
