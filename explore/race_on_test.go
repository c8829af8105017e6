//go:build race

package explore

// raceEnabled is true when the tests run under the race detector, which
// slows coroutine switches tenfold: property tests then draw fewer cases.
const raceEnabled = true
