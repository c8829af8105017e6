package exploretest

import (
	"flag"
	"os"
	"strconv"
)

// The flags of Check, registered on the command line of test binaries
// that import this package; each has an environment variable, used when
// the flag is not given (so that `THREADSIM_RUNS=100 go test ./...` works
// in packages that do not import exploretest). Values are read lazily,
// when Check runs, after the testing package parsed the flags.
var (
	flagSeed       = flag.String("threadsim.seed", "", "seed of random and PCT exploration (env THREADSIM_SEED; default 1)")
	flagRuns       = flag.String("threadsim.runs", "", "execution budget of each Check (env THREADSIM_RUNS)")
	flagReplay     = flag.String("threadsim.replay", "", "replay this token or .sched file instead of exploring (env THREADSIM_REPLAY)")
	flagNoFailFile = flag.Bool("threadsim.nofailfile", false, "do not write failing schedules under testdata (env THREADSIM_NOFAILFILE)")
)

// setting returns the flag's value if given, else the environment's.
func setting(f *string, env string) string {
	if *f != "" {
		return *f
	}
	return os.Getenv(env)
}

// settings are the flag values as Check reads them.
type settings struct {
	seed       uint64
	seedSet    bool
	runs       int
	replay     string
	noFailFile bool
}

func readSettings() (settings, error) {
	var s settings
	if v := setting(flagSeed, "THREADSIM_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return s, errorf("-threadsim.seed / THREADSIM_SEED: %q is not a decimal uint64", v)
		}
		s.seed, s.seedSet = n, true
	}
	if v := setting(flagRuns, "THREADSIM_RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return s, errorf("-threadsim.runs / THREADSIM_RUNS: %q is not a count", v)
		}
		s.runs = n
	}
	s.replay = setting(flagReplay, "THREADSIM_REPLAY")
	s.noFailFile = *flagNoFailFile
	if v := os.Getenv("THREADSIM_NOFAILFILE"); v != "" && !flagGiven("threadsim.nofailfile") {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return s, errorf("-threadsim.nofailfile / THREADSIM_NOFAILFILE: %q is not a boolean", v)
		}
		s.noFailFile = b
	}
	return s, nil
}

// flagGiven reports whether the named flag was set on the command line.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
