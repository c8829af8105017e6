package python

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// processRuns reports whether one of process pid's threads is running or
// ready to run (state R in /proc/PID/task/TID/stat), as a thread that
// loops always is, however loaded the machine, and a thread that waits
// in a system call (state S or D) is not.
func processRuns(pid int) (runs, ok bool) {
	stats, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/stat")
	if err != nil || len(stats) == 0 {
		return false, false
	}
	for _, name := range stats {
		data, err := os.ReadFile(name)
		if err != nil {
			continue // the thread has exited
		}
		// The command name (field 2) is in parentheses and may hold
		// spaces: the state is the field after its closing one.
		end := strings.LastIndexByte(string(data), ')')
		if f := strings.Fields(string(data[end+1:])); end >= 0 && len(f) > 0 && f[0] == "R" {
			return true, true
		}
	}
	return false, true
}
