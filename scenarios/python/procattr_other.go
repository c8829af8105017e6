//go:build !linux

package python

import "syscall"

// serverProcAttr: outside Linux the server ends when its command pipe
// closes.
func serverProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
