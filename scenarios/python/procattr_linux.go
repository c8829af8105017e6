package python

import "syscall"

// serverProcAttr kills the server when threadsim dies (the server kills
// its children the same way).
func serverProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
