//go:build unix && !linux && !freebsd

package main

import "syscall"

// setDeathSignal: this system has no parent-death signal; the lifeline
// pipe (watchLifeline) ends the child when the supervisor dies.
func setDeathSignal(*syscall.SysProcAttr) {}
