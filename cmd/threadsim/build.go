package main

import "runtime/debug"

// buildID names the threadsim build that runs: its module version (a
// release installed with go install ...@vX), else the commit it was built
// from, "+dirty" when the tree had changes, else "devel". The parts of a
// sharded search carry it, so that merge can refuse parts whose shards
// ran different code (go install ...@latest in pods started at different
// times can fetch different releases), whose partitions need not agree.
func buildID() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return buildIDOf(info)
}

func buildIDOf(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	id, dirty := "", ""
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			id = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if id == "" {
		return "devel"
	}
	return id + dirty
}
