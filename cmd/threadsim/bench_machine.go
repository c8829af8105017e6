// The machine bench ran on, recorded with every report so that rates are
// read against the hardware that produced them.

package main

import (
	"bufio"
	"iter"
	"os"
	"runtime"
	"strings"
	"time"
)

type benchMachine struct {
	CPU        string `json:"cpu"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	// RoundTripsPerSec is the rate of bare iter.Pull coroutine round
	// trips measured at the start of the run: the reference that steps/s
	// is compared with (one step costs at least one round trip).
	RoundTripsPerSec float64 `json:"coroutine_round_trips_per_s"`
}

// machine describes the machine bench runs on, and measures the
// coroutine reference when asked.
func machine(reference bool) benchMachine {
	m := benchMachine{CPU: cpuModel(), CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if reference {
		m.RoundTripsPerSec = roundTripRate(200 * time.Millisecond)
	}
	return m
}

// roundTripRate measures bare iter.Pull round trips per second for about d.
func roundTripRate(d time.Duration) float64 {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	})
	defer stop()
	n, start := 0, time.Now()
	for time.Since(start) < d {
		for range 10_000 {
			next()
		}
		n += 10_000
	}
	return float64(n) / time.Since(start).Seconds()
}

// cpuModel reads the CPU's name from /proc/cpuinfo, "unknown" elsewhere.
func cpuModel() string {
	file, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
