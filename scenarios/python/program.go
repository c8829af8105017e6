package python

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/threadsim/threadsim/sched"
)

// Program is a Python program to explore: a file whose source is fixed by
// its digest.
type Program struct {
	// Path is the program's path as the user named it; Abs is absolute.
	Path, Abs string
	// Digest is the first 12 hex digits of the SHA-256 of the source:
	// tokens carry it, so a schedule is never replayed against a changed
	// program.
	Digest string
	// Python is the interpreter that runs it.
	Python *Interpreter
	// Seed seeds the program's random module in every execution.
	Seed int
	// Check is the --check property "FILE.py:FUNC" ("" for none): a
	// function of the lines printed and the main module's globals, run
	// when the program ends (after main has joined every non-daemon
	// thread, as CPython's threading._shutdown does). An AssertionError
	// or a False result is an assertion failure.
	Check string
	// CheckArg is the check as the user named it.
	CheckArg string
	// RandomChoices, when positive, makes a draw of random.randint,
	// randrange or choice over at most this many values a scheduler
	// choice (sched.Thread.Random: exploration enumerates the values,
	// replay repeats them) instead of a seeded draw. Tokens carry it.
	RandomChoices int
	pool          *pool
	// noSnapshot: every execution forks from the server and runs the
	// whole program (THREADSIM_PYSNAPSHOT=0, or a replayed start that
	// did not go as recorded; see snapshot.go).
	noSnapshot atomic.Bool
	// snapshotForks counts the executions forked from a snapshot.
	snapshotForks atomic.Int64
}

// IsProgram reports whether a command-line argument (or a token's model
// name, see Name) names a Python program rather than a scenario.
func IsProgram(arg string) bool {
	path, _ := SplitName(arg)
	return strings.HasSuffix(path, ".py")
}

// Name is the model name tokens carry: the program's path, and
// "|FILE.py:FUNC" when a --check property goes with it.
func (p *Program) Name() string {
	if p.CheckArg == "" {
		return p.Path
	}
	return p.Path + "|" + p.CheckArg
}

// SplitName splits a model name into the program's path and its check.
func SplitName(name string) (path, check string) {
	path, check, _ = strings.Cut(name, "|")
	return path, check
}

// Load checks path and python (the interpreter to use, "" for python3 on
// PATH) and returns the program. Its errors are one line each: not a
// file, no python3, an unsupported version, a syntax error (file:line).
func Load(path, python, check string) (*Program, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: no such file", path)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a Python program", path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	in, err := FindInterpreter(python)
	if err != nil {
		return nil, err
	}
	p := &Program{Path: filepath.Clean(path), Abs: abs, Python: in, pool: &pool{in: in}}
	p.noSnapshot.Store(os.Getenv("THREADSIM_PYSNAPSHOT") == "0")
	if check != "" {
		csrc, abs, err := checkSource(check)
		if err != nil {
			return nil, err
		}
		p.Check, p.CheckArg = abs, check
		src = append(append(src, 0), csrc...)
	}
	p.Digest = Digest(src)
	if err := p.check(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Digest returns the digest of a program's source that tokens carry.
func Digest(src []byte) string {
	h := sha256.Sum256(src)
	return hex.EncodeToString(h[:6])
}

// check compiles the program (and rewrites it) in a fork server.
func (p *Program) check() error {
	s, err := p.pool.get()
	if err != nil {
		return err
	}
	defer p.pool.put(s)
	msg, err := s.check(p.Abs, p.Check)
	if err != nil {
		return err
	}
	if msg != "" {
		return errors.New(strings.Replace(msg, p.Abs, p.Path, 1))
	}
	return nil
}

// checkSource reads the file of a --check FILE.py:FUNC and returns its
// source (with the function's name) and the spec with an absolute path.
func checkSource(spec string) ([]byte, string, error) {
	file, fn, ok := strings.Cut(spec, ".py:")
	if !ok || fn == "" {
		return nil, "", fmt.Errorf("--check %q: want FILE.py:FUNC", spec)
	}
	file += ".py"
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("--check %s: no such file", file)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, "", err
	}
	return append(src, ":"+fn...), abs + ":" + fn, nil
}

// Params returns the canonical parameters tokens carry: the source
// digest, and RandomChoices when it is set.
func (p *Program) Params() string {
	if p.RandomChoices > 0 {
		return "random=" + strconv.Itoa(p.RandomChoices) + ",src=" + p.Digest
	}
	return "src=" + p.Digest
}

// Build returns the program as a sched.Program: its main virtual thread
// forks a CPython child and serves it.
func (p *Program) Build() sched.Program {
	return func(main *sched.Thread) { runExecution(p, main) }
}

// Close ends the program's fork servers and their children.
func (p *Program) Close() { p.pool.close() }

// DigestParam returns the digest as a non-negative integer (48 bits), the
// form scenario parameters take: tokens carry it as "src=N".
func (p *Program) DigestParam() int {
	n, _ := strconv.ParseInt(p.Digest, 16, 64)
	return int(n)
}
