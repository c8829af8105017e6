//go:build !unix

package python

import (
	"errors"
	"os"
)

// errNoFork refuses Python programs where the runtime cannot fork one
// child per execution (Windows has no fork).
var errNoFork = errors.New("Python programs need a Unix system (Linux, macOS, a BSD): the runtime forks one CPython process per execution")

func killChild(int)                    {}
func readFD(int, []byte) (int, error)  { return 0, errNoFork }
func writeFD(int, []byte) (int, error) { return 0, errNoFork }

func signalStacks(int) error { return errNoFork }

func pipesSocket() (int, *os.File, error)    { return -1, nil, errNoFork }
func receivePipe(int, int, int) (int, error) { return -1, errNoFork }
func closeFD(int)                            {}
