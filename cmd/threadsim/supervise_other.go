//go:build !unix

package main

import "os/exec"

// canSupervise is false outside Unix: the child's record pipe is passed as
// file descriptor 3 (os/exec's ExtraFiles, which Windows does not
// support), and Windows has no process group that a console Ctrl-C skips
// nor a signal to forward to one (os.Process.Signal cannot send
// os.Interrupt there). run, explore and replay run models in the
// command's own process: a model that ends the process (os.Exit, a stack
// overflow) ends the command with Go's own report, and the failures it
// found before are lost.
const canSupervise = false

// setChildAttrs is never called: nothing is supervised.
func setChildAttrs(*exec.Cmd) {}

// closeOnExec is never called: nothing is supervised.
func closeOnExec(uintptr) {}
