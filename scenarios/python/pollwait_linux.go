package python

import (
	"syscall"
	"unsafe"
)

// rawWait bounds waitReadable: past it, the read blocks as Go's
// syscalls do and the runtime schedules other goroutines.
const rawWait = 5_000_000 // ns

// waitReadable waits until fd has data, for at most rawWait, in a ppoll(2)
// the Go runtime does not see. A blocking read(2) through syscall.Read
// lets the runtime's monitor take the processor from the blocked thread
// after 20 µs; with one processor (GOMAXPROCS=1, threadsim pinned to one
// core) it always does, and getting it back at each of an execution's
// hundred replies cost more CPU than the reads themselves. A raw wait
// keeps it, for as long as the Python side usually takes to answer.
func waitReadable(fd int) {
	pfd := struct {
		fd      int32
		events  int16
		revents int16
	}{fd: int32(fd), events: 0x1} // POLLIN
	ts := syscall.Timespec{Nsec: rawWait}
	syscall.RawSyscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
}
