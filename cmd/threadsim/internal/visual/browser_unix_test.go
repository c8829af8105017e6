//go:build unix

package visual

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of its own process group and, when its
// context ends, kills the whole group: chromium's helper processes would
// otherwise outlive it.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
