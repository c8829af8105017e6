//go:build race

package main

// raceEnabled is true when the tests run under the race detector, which
// slows coroutine switches tenfold: the stateful bench test then searches
// the smallest sizes only.
const raceEnabled = true
