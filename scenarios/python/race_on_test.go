//go:build race

package python

// raceEnabled is true under the race detector: the long explorations skip.
const raceEnabled = true
