//go:build !unix

package main

import "time"

// processCPU is not measured on this system: 0.
func processCPU() time.Duration { return 0 }

// childrenUsage is not measured on this system: 0, 0.
func childrenUsage() (time.Duration, int64) { return 0, 0 }
