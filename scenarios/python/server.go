package python

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sep separates a message's fields; nl stands for a newline inside one.
const (
	sep = "\x1f"
	nl  = "\x1e"
)

// server is one fork server: a CPython process that has imported the
// runtime and forks one child per execution. It serves one execution at a
// time. Its fd 3 carries commands and the main thread's replies (framed by
// a 4-byte length), its fd 4 messages (one line each), its fd 6 (pipes)
// the reply pipe of each thread an execution starts.
type server struct {
	cmd   *exec.Cmd
	w     *os.File
	rf    *os.File
	wfd   int
	rfd   int
	r     *bufio.Reader
	child int // pid of the execution's process, 0 when it has been reaped
	// zygote is the pid of the process that holds a snapshot of a
	// program's single-threaded start (0 for none), and prefix that
	// start, recorded (nil if it may not be used: see snapshot.go).
	zygote  int
	prefix  *prefix
	version string
	stderr  *tailBuffer
	frame   []byte
	// stacks is the file (fd 5 of the server and its children, deleted,
	// opened for appending) where a process dumps its Python threads'
	// stacks on stackSignal: see stall.go.
	stacks *os.File
	// pipes is threadsim's end of the socket on which each new Python
	// thread's reply pipe comes (receivePipe).
	pipes int
}

// startServer starts a fork server on in and waits for its hello.
func startServer(in *Interpreter) (*server, error) {
	script, err := extractRuntime()
	if err != nil {
		return nil, err
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	msgR, msgW, err := os.Pipe()
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		return nil, err
	}
	stacks, err := stacksFile()
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		msgR.Close()
		msgW.Close()
		return nil, err
	}
	pipes, pipesChild, err := pipesSocket()
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		msgR.Close()
		msgW.Close()
		stacks.Close()
		return nil, err
	}
	s := &server{w: cmdW, rf: msgR, stderr: &tailBuffer{max: 8192}, stacks: stacks, pipes: pipes}
	// Blocking reads and writes on the raw descriptors (Fd puts them in
	// blocking mode): a goroutine waiting in the poller for each of an
	// execution's hundred replies costs the runtime's spinning threads
	// far more CPU than a thread blocked in read.
	s.wfd, s.rfd = int(cmdW.Fd()), int(msgR.Fd())
	s.r = bufio.NewReaderSize(fdReader(s.rfd), 1<<16)
	s.cmd = exec.Command(in.Path, "-S", "-u", script)
	s.cmd.Env = pythonEnv()
	s.cmd.ExtraFiles = []*os.File{cmdR, msgW, stacks, pipesChild}
	s.cmd.Stdout, s.cmd.Stderr = s.stderr, s.stderr
	s.cmd.SysProcAttr = serverProcAttr()
	err = s.cmd.Start()
	cmdR.Close()
	msgW.Close()
	pipesChild.Close()
	if err != nil {
		cmdW.Close()
		msgR.Close()
		stacks.Close()
		closeFD(pipes)
		return nil, fmt.Errorf("starting %s: %w", in.Path, err)
	}
	hello, err := s.readFields()
	if err != nil || len(hello) != 2 || hello[0] != "hello" {
		s.close()
		return nil, fmt.Errorf("the Python runtime did not start under %s: %v%s", in.Path, err, s.stderr.tail())
	}
	s.version = hello[1]
	return s, nil
}

// pythonEnv is the environment of every Python process: fixed hash seed,
// UTC, no user site or startup file. The fork server also starts with
// LD_BIND_NOW (unless the user set it), which it takes out of its
// environment at once (THREADSIM_BIND_NOW says to), so the program does
// not see it: the dynamic linker then resolves every library function
// once in the server, where lazy binding resolved each on its first call
// in every execution's process, writing to the library's pages there
// (6 page faults an execution of the lost update).
func pythonEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "PYTHONHASHSEED", "TZ", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE",
			"THREADSIM_BIND_NOW":
			continue
		}
		env = append(env, kv)
	}
	if _, set := os.LookupEnv("LD_BIND_NOW"); !set {
		env = append(env, "LD_BIND_NOW=1", "THREADSIM_BIND_NOW=1")
	}
	return append(env, "PYTHONHASHSEED=0", "TZ=UTC", "PYTHONDONTWRITEBYTECODE=1", "PYTHONIOENCODING=utf-8")
}

// send writes one framed message to fd 3.
func (s *server) send(fields ...string) error {
	n := 0
	for i, f := range fields {
		n += len(f)
		if i > 0 {
			n++
		}
	}
	s.frame = binary.BigEndian.AppendUint32(s.frame[:0], uint32(n))
	for i, f := range fields {
		if i > 0 {
			s.frame = append(s.frame, sep...)
		}
		s.frame = append(s.frame, f...)
	}
	return writeAll(s.wfd, s.frame)
}

// reply sends value to Python thread tid on its reply pipe fd (the
// command pipe for the main thread); clock, when not empty, is the virtual
// time in seconds, sent when it changed since the last reply
// ("tid@clock\x1fvalue").
func (s *server) reply(fd, tid int, clock, value string) error {
	s.frame = binary.BigEndian.AppendUint32(s.frame[:0], 0)
	s.frame = strconv.AppendInt(s.frame, int64(tid), 10)
	if clock != "" {
		s.frame = append(s.frame, '@')
		s.frame = append(s.frame, clock...)
	}
	s.frame = append(s.frame, sep...)
	s.frame = append(s.frame, value...)
	binary.BigEndian.PutUint32(s.frame, uint32(len(s.frame)-4))
	if debugProtocol {
		fmt.Fprintf(os.Stderr, "%v go> %q\n", time.Now().Format("05.000000"), s.frame[4:])
	}
	return writeAll(fd, s.frame)
}

// debugProtocol (THREADSIM_PYDEBUG=1) prints every message to stderr.
var debugProtocol = os.Getenv("THREADSIM_PYDEBUG") != ""

// errServerGone says that the server process has exited.
var errServerGone = errors.New("the Python fork server exited")

// readFields reads one message line and splits it into fields; empty lines
// (left after a killed child's partial line) are skipped.
func (s *server) readFields() ([]string, error) {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return nil, errServerGone
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			continue
		}
		if strings.Contains(line, nl) {
			line = strings.ReplaceAll(line, nl, "\n")
		}
		if debugProtocol {
			fmt.Fprintf(os.Stderr, "%v py> %q\n", time.Now().Format("05.000000"), line)
		}
		return strings.Split(line, sep), nil
	}
}

// check asks the server to compile the program: "" or "file:line: message".
func (s *server) check(path, check string) (string, error) {
	if err := s.endZygote(); err != nil {
		return "", err
	}
	if err := s.send("check", path, check); err != nil {
		return "", errServerGone
	}
	f, err := s.readFields()
	if err != nil {
		return "", err
	}
	if f[0] != "checked" {
		return "", fmt.Errorf("unexpected message %q from the Python runtime", f[0])
	}
	return strings.Join(f[1:], sep), nil
}

// run forks a child that runs the program at path with the given seed;
// with snap, the child snapshots the program's single-threaded start
// (snapshot.go).
func (s *server) run(path string, seed int, check string, snap bool) error {
	if err := s.endZygote(); err != nil {
		return err
	}
	if err := s.send("run", path, strconv.Itoa(seed), check, flag(snap)); err != nil {
		return errServerGone
	}
	f, err := s.readFields()
	if err != nil {
		return err
	}
	if f[0] != "pid" || len(f) != 2 {
		return fmt.Errorf("unexpected message %q from the Python runtime", strings.Join(f, " "))
	}
	s.child, _ = strconv.Atoi(f[1])
	return nil
}

// kill ends the current child at once; reap collects the news.
func (s *server) kill() {
	if s.child > 0 {
		killChild(s.child)
	}
}

// reap waits until the server (or the zygote) says the last child died,
// dropping whatever the child wrote before.
func (s *server) reap() error {
	for s.child != 0 {
		f, err := s.readFields()
		if err != nil {
			return err
		}
		if f[0] == "died" {
			s.died(f)
		}
	}
	return nil
}

// died notes a "died STATUS PID" message. When the zygote died, the
// execution's process it forked died with it (PR_SET_PDEATHSIG), and
// nobody is left to say so.
func (s *server) died(f []string) {
	pid := -1
	if len(f) > 2 {
		pid = atoi(f[2])
	}
	switch pid {
	case s.zygote:
		s.zygote, s.prefix, s.child = 0, nil, 0
	case s.child:
		s.child = 0
	}
}

// endZygote reaps the last child and ends the zygote, if there is one, so
// that the server serves commands again.
func (s *server) endZygote() error {
	if err := s.reap(); err != nil {
		return err
	}
	if s.zygote == 0 {
		return nil
	}
	if err := s.send("quit"); err != nil {
		return errServerGone
	}
	s.child = s.zygote
	return s.reap()
}

// fork asks the zygote for the next execution's process, forked from its
// snapshot; errZygoteGone if it has died.
func (s *server) fork() error {
	if err := s.reap(); err != nil {
		return err
	}
	if s.zygote == 0 {
		return errZygoteGone
	}
	if err := s.send("fork"); err != nil {
		return errServerGone
	}
	for {
		f, err := s.readFields()
		if err != nil {
			return err
		}
		switch {
		case f[0] == "snap" && len(f) == 2:
			s.child = atoi(f[1])
			return nil
		case f[0] == "died":
			s.died(f)
			if s.zygote == 0 {
				return errZygoteGone
			}
		}
	}
}

// errZygoteGone says that the zygote exited before it could fork.
var errZygoteGone = errors.New("the Python zygote exited")

// close kills the child and the zygote; the server then reaps the one it
// waits for and exits at the end of its command pipe (or at its next
// message, on the closed message pipe), and close waits for it: so every
// process is reaped by its parent and the CPU it used is counted in
// threadsim's children's (bench). A server that has not exited after
// serverGrace is killed.
func (s *server) close() {
	s.kill()
	if s.zygote > 0 {
		killChild(s.zygote)
	}
	s.w.Close()
	s.rf.Close()
	s.stacks.Close()
	closeFD(s.pipes)
	if s.cmd.Process == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(serverGrace):
		s.cmd.Process.Kill()
		<-done
	}
}

// stacksFile makes a server's stack file: a temporary file, deleted at
// once (the processes that write it and threadsim keep it open).
func stacksFile() (*os.File, error) {
	f, err := os.CreateTemp("", "threadsim-pystacks-")
	if err != nil {
		return nil, fmt.Errorf("the Python stack file: %w", err)
	}
	defer f.Close()
	defer os.Remove(f.Name())
	app, err := os.OpenFile(f.Name(), os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		return nil, fmt.Errorf("the Python stack file: %w", err)
	}
	return app, nil
}

// dumpStacks has process pid, one of the server's children, write every
// Python thread's stack to the stack file, and returns what it wrote
// ("" if nothing came within stacksWait). faulthandler writes from its
// signal handler, in a few microseconds: the dump is complete when the
// file has stopped growing.
func (s *server) dumpStacks(pid int) string {
	if s.stacks.Truncate(0) != nil || signalStacks(pid) != nil {
		return ""
	}
	var size int64
	for deadline := time.Now().Add(stacksWait); time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		st, err := s.stacks.Stat()
		if err != nil {
			return ""
		}
		if st.Size() > 0 && st.Size() == size {
			break
		}
		size = st.Size()
	}
	buf := make([]byte, size)
	n, _ := s.stacks.ReadAt(buf, 0)
	return string(buf[:n])
}

// stacksWait is how long dumpStacks waits for a dump.
const stacksWait = time.Second

// serverGrace is how long close waits for a server to exit by itself.
const serverGrace = 5 * time.Second

// fdReader reads a descriptor with blocking read(2).
type fdReader int

func (fd fdReader) Read(p []byte) (int, error) {
	waitReadable(int(fd))
	for {
		n, err := readFD(int(fd), p)
		if err == syscall.EINTR {
			continue
		}
		if n <= 0 {
			if err == nil {
				err = io.EOF
			}
			return 0, err
		}
		return n, nil
	}
}

// writeAll writes b to a descriptor with blocking write(2).
func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := writeFD(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// tailBuffer keeps the last max bytes written: the server's stderr.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if b.buf.Len() > 2*b.max {
		keep := b.buf.Bytes()[b.buf.Len()-b.max:]
		b.buf = *bytes.NewBuffer(append([]byte(nil), keep...))
	}
	return len(p), nil
}

func (b *tailBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(b.buf.String())
	if s == "" {
		return ""
	}
	return ": " + s
}
