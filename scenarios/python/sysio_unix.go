//go:build unix

package python

import "syscall"

// errNoFork is nil where the runtime can fork one child per execution.
var errNoFork error

// killChild sends SIGKILL to a child the fork server (or the zygote) made
// and to the processes the program started: the child leads a process
// group of its own (tsrt_server._own_group).
func killChild(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
	syscall.Kill(pid, syscall.SIGKILL)
}

// readFD and writeFD are read(2) and write(2) on a pipe's descriptor.
func readFD(fd int, p []byte) (int, error)  { return syscall.Read(fd, p) }
func writeFD(fd int, b []byte) (int, error) { return syscall.Write(fd, b) }

// stackSignal makes a Python process dump its threads' stacks
// (faulthandler, registered by the fork server).
const stackSignal = syscall.SIGUSR2

// signalStacks asks process pid for its threads' stacks.
func signalStacks(pid int) error { return syscall.Kill(pid, stackSignal) }
