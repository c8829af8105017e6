package python

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// MinVersion is the oldest CPython the runtime supports, and
// NewestTested the newest feature release its tests have run under.
// A newer CPython may have changed what the runtime replaces in
// threading (Thread's start, join and bootstrap, _thread's handles), so
// it is refused unless UntestedEnv is set to 1.
const (
	MinVersion   = "3.11"
	NewestTested = "3.13"
	UntestedEnv  = "THREADSIM_UNTESTED_PYTHON"
)

// Interpreter is a resolved CPython: the real executable (not a pyenv
// shim, which costs about 100 ms a start) and its version.
type Interpreter struct {
	Path    string
	Version string
}

var interpreters sync.Map // requested name -> *Interpreter

// ErrNoPython says that no python3 was found.
var ErrNoPython = errors.New("no python3 found on PATH (install CPython 3.11 or newer, e.g. 'apt-get install python3', or name one with --python PATH)")

// FindInterpreter resolves name ("python3" or a path) once per process:
// it runs it once to learn sys.executable and the version, and refuses a
// CPython older than MinVersion or, unless UntestedEnv is 1, newer than
// NewestTested.
func FindInterpreter(name string) (*Interpreter, error) {
	if errNoFork != nil {
		return nil, errNoFork
	}
	if name == "" {
		name = "python3"
	}
	if v, ok := interpreters.Load(name); ok {
		return v.(*Interpreter), nil
	}
	path, err := exec.LookPath(name)
	if err != nil {
		if name == "python3" {
			return nil, ErrNoPython
		}
		return nil, fmt.Errorf("python interpreter %q not found", name)
	}
	out, err := exec.Command(path, "-S", "-c",
		"import sys,platform; print(sys.executable); print(platform.python_implementation()); print('%d.%d.%d' % sys.version_info[:3])").Output()
	if err != nil {
		return nil, fmt.Errorf("python interpreter %s does not run: %v", path, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("python interpreter %s: unexpected answer %q", path, out)
	}
	in := &Interpreter{Path: lines[0], Version: lines[2]}
	if in.Path == "" {
		in.Path = path
	}
	if lines[1] != "CPython" {
		return nil, fmt.Errorf("%s is %s %s: threadsim runs CPython %s or newer", path, lines[1], in.Version, MinVersion)
	}
	if !versionAtLeast(in.Version, MinVersion) {
		return nil, fmt.Errorf("%s is Python %s: threadsim needs CPython %s or newer", path, in.Version, MinVersion)
	}
	if untested(in.Version) && os.Getenv(UntestedEnv) != "1" {
		return nil, fmt.Errorf("%s is Python %s: threadsim is tested with CPython %s to %s (set %s=1 to run it anyway)",
			path, in.Version, MinVersion, NewestTested, UntestedEnv)
	}
	interpreters.Store(name, in)
	return in, nil
}

// untested reports whether version v's feature release (3.14 of
// 3.14.1) is newer than NewestTested.
func untested(v string) bool {
	return versionAtLeast(v, NewestTested) && !strings.HasPrefix(v+".", NewestTested+".")
}

// versionAtLeast compares dotted versions numerically.
func versionAtLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := range b {
		if i >= len(a) {
			return false
		}
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x > y
		}
	}
	return true
}
