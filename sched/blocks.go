package sched

// Block is an interval in which a thread was blocked: live, its pending
// operation unable to complete (waiting for another thread or for the
// clock), at every scheduling point from From to To. Point k comes before
// step k, so the thread was blocked while steps From to To ran; By is the
// step that enabled it (To), or -1 when it was still blocked when the
// execution ended. The scheduler records blocks with Options.Detail: they
// are what happened, not inferred from the trace.
type Block struct {
	Thread   ThreadID
	From, To int
	By       int
}

// trackBlock notes at the current scheduling point whether thread t is
// blocked (live and not enabled), opening or closing its Block.
func (s *Scheduler) trackBlock(t *Thread, enabled bool) {
	blocked := t.state == live && !enabled
	switch {
	case blocked && t.blockedFrom == 0:
		t.blockedFrom = s.steps + 1
	case !blocked && t.blockedFrom > 0:
		s.result.Blocks = append(s.result.Blocks, Block{Thread: t.id, From: t.blockedFrom - 1, To: s.steps - 1, By: s.steps - 1})
		t.blockedFrom = 0
	}
}

// closeBlocks records the blocks still open when the execution ended.
func (s *Scheduler) closeBlocks() {
	for _, t := range s.threads {
		if t.blockedFrom > 0 {
			from := t.blockedFrom - 1
			s.result.Blocks = append(s.result.Blocks, Block{Thread: t.id, From: from, To: max(from, s.steps-1), By: -1})
			t.blockedFrom = 0
		}
	}
}
