//go:build race

package scenarios_test

// raceEnabled is true when the tests run under the race detector, which
// slows the scheduler's coroutine switches about twentyfold.
const raceEnabled = true
