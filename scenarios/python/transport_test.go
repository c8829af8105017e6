package python

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The transport's shortcuts keep what the program sees.

// TestLogTimestampsFollowVirtualTime: logging's timestamps read the virtual
// time the last reply carried, without a round trip. A record's time is
// taken before its print step, which the scheduler may delay, so the stamp
// lies between the time the thread's code reached (the sleeps it has
// done, and its join's) and the print step's time.
func TestLogTimestampsFollowVirtualTime(t *testing.T) {
	p := source(t, `
import logging, threading, time
logging.basicConfig(format="%(asctime)s.%(msecs)03d %(message)s", level=logging.INFO, datefmt="%H:%M:%S")

def later():
    time.sleep(3.5)
    logging.info("thread after 3.5 s")

t = threading.Thread(target=later)
t.start()
logging.info("main at start")
time.sleep(1.25)
logging.info("main after 1.25 s")
t.join()
logging.info("main at the end")
`)
	atLeast := map[string]time.Duration{"main at start": 0, "main after 1.25 s": 1250 * time.Millisecond,
		"thread after 3.5 s": 3500 * time.Millisecond, "main at the end": 3500 * time.Millisecond}
	for seed := uint64(1); seed <= 8; seed++ {
		r := runOnce(p, seed)
		if r.Failure != nil {
			t.Fatalf("seed %d: unexpected failure: %v", seed, r.Failure)
		}
		if len(r.Logs) != len(atLeast) {
			t.Fatalf("seed %d: %d lines printed, want %d", seed, len(r.Logs), len(atLeast))
		}
		for _, l := range r.Logs {
			clock, msg, _ := strings.Cut(l.Text, " ")
			var h, m, s, ms int
			if _, err := fmt.Sscanf(clock, "%d:%d:%d.%d", &h, &m, &s, &ms); err != nil {
				t.Fatalf("seed %d: no timestamp in %q", seed, l.Text)
			}
			stamp := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second +
				time.Duration(ms)*time.Millisecond
			if stamp < atLeast[msg] || stamp > l.Time {
				t.Errorf("seed %d: %q stamped %v, printed at %v, its code reached %v", seed, msg, stamp, l.Time, atLeast[msg])
			}
		}
	}
}
