package python

import (
	"os"
	"testing"

	"github.com/threadsim/threadsim/explore"
)

// envProgram prints which of the variables threadsim may give the fork
// server the program sees.
const envProgram = `import os
print(sorted(k for k in ("LD_BIND_NOW", "THREADSIM_BIND_NOW") if k in os.environ))
`

// TestProgramSeesTheUsersEnvironment: the fork server starts with
// LD_BIND_NOW (speed) and takes it out of its environment, so a program
// sees the environment the user gave threadsim: without LD_BIND_NOW when
// the user did not set it, with it when they did.
func TestProgramSeesTheUsersEnvironment(t *testing.T) {
	for _, c := range []struct {
		set  bool
		want string
	}{{false, "[]"}, {true, "['LD_BIND_NOW']"}} {
		if c.set {
			t.Setenv("LD_BIND_NOW", "1")
		} else if v, ok := os.LookupEnv("LD_BIND_NOW"); ok {
			t.Setenv("LD_BIND_NOW", v) // restored after the test
			os.Unsetenv("LD_BIND_NOW")
		}
		rep := search(t, source(t, envProgram), explore.Config{NoMinimize: true})
		if got := outcomes(rep); len(got) != 1 || got[0] != c.want {
			t.Errorf("LD_BIND_NOW set by the user: %v: the program printed %q, want %q", c.set, got, c.want)
		}
	}
}
