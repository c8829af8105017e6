//go:build !unix

package visual

import "os/exec"

// killGroup leaves cmd as it is: its context kills the browser process.
func killGroup(*exec.Cmd) {}
