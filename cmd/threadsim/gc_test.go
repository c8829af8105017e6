package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// TestTuneGC: the command raises the collector's target and sets a soft
// memory limit unless the user set GOGC, whose value then stands; a
// GOMEMLIMIT the user set stands too.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	t.Setenv("GOGC", "") // restored after the test
	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOGC")
	os.Unsetenv("GOMEMLIMIT")
	tuneGC()
	if got := debug.SetGCPercent(123); got != searchGCPercent {
		t.Errorf("GOGC unset: the target is %d, want %d", got, searchGCPercent)
	}
	if avail, got := memoryAvailable(), debug.SetMemoryLimit(math.MaxInt64); avail > 0 && got != avail/4*3 {
		t.Errorf("GOMEMLIMIT unset: the limit is %d, want 3/4 of %d", got, avail)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	tuneGC()
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set: tuneGC changed the limit to %d", got)
	}
	t.Setenv("GOGC", "50")
	debug.SetGCPercent(123)
	tuneGC()
	if got := debug.SetGCPercent(100); got != 123 {
		t.Errorf("GOGC=50 set: tuneGC changed the target to %d", got)
	}
}

// TestMemoryAvailable: the smaller of the machine's memory and the
// cgroup's limit; "max" (no limit) and missing files are no limit.
func TestMemoryAvailable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	meminfo := write("meminfo", "MemFree:         1000 kB\nMemTotal:       24683784 kB\n")
	saved := memoryFiles
	defer func() { memoryFiles = saved }()
	for _, c := range []struct {
		cgroup2, cgroup1 string
		want             int64
	}{
		{"", "", 24683784 * 1024},
		{"max\n", "", 24683784 * 1024},
		{"2147483648\n", "", 2 << 30},
		{"", "1073741824\n", 1 << 30},
		{"max\n", "9223372036854771712\n", 24683784 * 1024}, // cgroup v1's "unlimited"
	} {
		memoryFiles.meminfo, memoryFiles.cgroup2, memoryFiles.cgroup1 = meminfo, filepath.Join(dir, "none2"), filepath.Join(dir, "none1")
		if c.cgroup2 != "" {
			memoryFiles.cgroup2 = write("memory.max", c.cgroup2)
		}
		if c.cgroup1 != "" {
			memoryFiles.cgroup1 = write("limit_in_bytes", c.cgroup1)
		}
		if got := memoryAvailable(); got != c.want {
			t.Errorf("cgroup v2 %q, v1 %q: %d bytes, want %d", c.cgroup2, c.cgroup1, got, c.want)
		}
	}
	memoryFiles.meminfo = filepath.Join(dir, "none")
	memoryFiles.cgroup2, memoryFiles.cgroup1 = memoryFiles.meminfo, memoryFiles.meminfo
	if got := memoryAvailable(); got != 0 {
		t.Errorf("nothing readable: %d bytes, want 0", got)
	}
}
