package exploretest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// replayCommand is the command that replays token in test testName,
// pasted at the root of the test's module: the package's directory
// relative to it (go test runs a test binary in its package's directory),
// and a -run pattern that matches the test and each subtest level exactly.
// The flag exists only in packages that import exploretest, so the
// command names one package, never ./... (THREADSIM_REPLAY works there).
func replayCommand(testName, token string) string {
	return "go test " + packageArg() + " -run '" + runPattern(testName) + "' -threadsim.replay=" + token
}

// runPattern matches testName exactly, level by level.
func runPattern(testName string) string {
	levels := strings.Split(testName, "/")
	for i, l := range levels {
		levels[i] = "^" + regexp.QuoteMeta(l) + "$"
	}
	return strings.Join(levels, "/")
}

// packageArg names the working directory's package relative to the root
// of its module ("./pkg/x", or "." at the root); the directory itself
// when no go.mod is above it.
func packageArg() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		if filepath.Dir(dir) == dir {
			return wd
		}
	}
}
