//go:build !linux

package main

import "os/exec"

// canSupervise: without a process group of its own the child would get
// Ctrl-C twice; models run in the command's own process.
const canSupervise = false

// setChildAttrs leaves the child in the supervisor's process group.
func setChildAttrs(*exec.Cmd) {}
