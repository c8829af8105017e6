package sched

// Thread ids and object ids are creation order within an execution. When
// the program itself orders every creation after the one before (one
// thread creates them all once a second thread exists, or a thread creates
// only after the creation that started it), each creation gets the same id
// in every execution, whatever the order of the other steps. When two
// creations are ordered only by the interleaving (two threads that each
// create, or a creation and a lock or variable step between them), they
// can come in either order, and one id names different threads or objects
// in different executions: a search that carries ids from one execution
// into another (optimal DPOR's wakeup sequences, which name the threads and
// objects of steps still to come) would follow the wrong thread.
// CreationsRace reports it for the last execution.
//
// The test is conservative: a creation counts as ordered after the last
// one only if the same thread made both, or the last one started the
// creating thread, or no second thread existed yet; creations a join
// orders count as racing.

// noteCreation notes that t creates an object, or starts the thread
// spawned (NoThread for an object).
func (s *Scheduler) noteCreation(t *Thread, spawned ThreadID) {
	ordered := len(s.threads) < 2 || s.creator == NoThread || s.creator == t.id || s.created == t.id
	if !ordered {
		s.creationsRace = true
	}
	s.creator, s.created = t.id, spawned
}

// CreationsRace reports whether, in the last execution, two creations of
// threads or objects were not ordered by the program, so that ids may
// depend on the interleaving.
func (s *Scheduler) CreationsRace() bool { return s.creationsRace }
