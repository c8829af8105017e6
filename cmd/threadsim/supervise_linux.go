package main

import (
	"os/exec"
	"syscall"
)

// canSupervise: models run in a supervised child process.
const canSupervise = true

// setChildAttrs puts the child in its own process group, so that Ctrl-C
// reaches it once, forwarded by the supervisor, and kills it if the
// supervisor dies.
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
