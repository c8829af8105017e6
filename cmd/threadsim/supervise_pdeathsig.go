//go:build linux || freebsd

package main

import "syscall"

// setDeathSignal has the kernel kill the child when the supervisor dies.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
