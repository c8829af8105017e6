//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// canSupervise: models run in a supervised child process on every Unix.
const canSupervise = true

// setChildAttrs puts the child in its own process group, so that a
// terminal's Ctrl-C (sent to the foreground process group) reaches it
// once, forwarded by the supervisor. Where the system offers it (Linux,
// FreeBSD) the child is also killed when the supervisor dies; everywhere
// the lifeline pipe ends it then (watchLifeline).
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setDeathSignal(cmd.SysProcAttr)
}

// closeOnExec keeps the child's pipes to the supervisor out of the
// processes the model starts (a Python interpreter): a grandchild holding
// the records pipe open would hide the child's end from the supervisor.
func closeOnExec(fd uintptr) { syscall.CloseOnExec(int(fd)) }
