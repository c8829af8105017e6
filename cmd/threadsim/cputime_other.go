//go:build !unix

package main

import "time"

// processCPU is not measured on this system: 0.
func processCPU() time.Duration { return 0 }

// childrenCPU is not measured on this system: 0.
func childrenCPU() time.Duration { return 0 }
