//go:build unix

package python

import (
	"os"
	"strconv"
	"syscall"
)

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

// pipesSocket makes the datagram socket pair that takes each new Python
// thread's reply pipe to Go: threadsim's end (close-on-exec) and the
// server's (its fd 6).
func pipesSocket() (int, *os.File, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_DGRAM, 0)
	if err != nil {
		return -1, nil, err
	}
	syscall.CloseOnExec(fds[0])
	syscall.CloseOnExec(fds[1])
	return fds[0], os.NewFile(uintptr(fds[1]), "threadsim-pipes"), nil
}

// receivePipe takes from the socket sock the reply pipe that process
// pid sent for its Python thread tid: the write end, which the process
// sent (SCM_RIGHTS, with "PID TID") before the thread's start request.
// Pipes a process killed meanwhile had sent are closed and skipped.
func receivePipe(sock, pid, tid int) (int, error) {
	want := strconv.Itoa(pid) + " " + strconv.Itoa(tid)
	buf := make([]byte, 64)
	oob := make([]byte, syscall.CmsgSpace(4))
	for {
		n, oobn, _, _, err := syscall.Recvmsg(sock, buf, oob, syscall.MSG_DONTWAIT)
		if err != nil {
			return -1, err
		}
		var fds []int
		if msgs, err := syscall.ParseSocketControlMessage(oob[:oobn]); err == nil {
			for _, m := range msgs {
				if got, err := syscall.ParseUnixRights(&m); err == nil {
					fds = append(fds, got...)
				}
			}
		}
		if string(buf[:n]) == want && len(fds) == 1 {
			syscall.CloseOnExec(fds[0])
			return fds[0], nil
		}
		for _, fd := range fds {
			syscall.Close(fd)
		}
	}
}

// closeFD closes a descriptor threadsim holds.
func closeFD(fd int) { syscall.Close(fd) }
