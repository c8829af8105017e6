//go:build !linux

package python

// waitReadable: outside Linux reads block as Go's syscalls do.
func waitReadable(fd int) {}
