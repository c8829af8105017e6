package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC: the command raises the collector's target unless the user
// set GOGC, whose value then stands.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "") // restored after the test
	os.Unsetenv("GOGC")
	tuneGC()
	if got := debug.SetGCPercent(123); got != searchGCPercent {
		t.Errorf("GOGC unset: the target is %d, want %d", got, searchGCPercent)
	}
	t.Setenv("GOGC", "50")
	tuneGC()
	if got := debug.SetGCPercent(100); got != 123 {
		t.Errorf("GOGC=50 set: tuneGC changed the target to %d", got)
	}
}
