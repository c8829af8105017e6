package prims

import "github.com/threadsim/threadsim/sched"

// Locker is a lock a Condition can be built on: *Lock or *RLock. Its
// unexported methods are CPython's hooks (_is_owned, _release_save,
// _acquire_restore), so no other type can implement it.
type Locker interface {
	Acquire(t *sched.Thread) bool
	Release(t *sched.Thread)
	Object() *sched.Object
	// isOwned is _is_owned(), with whatever steps CPython takes for it.
	isOwned(t *sched.Thread) bool
	// releaseSave releases the lock completely, in one step, and returns
	// what acquireRestore needs.
	releaseSave(t *sched.Thread) int
	// acquireRestore blocks, with no time limit, until it takes the lock
	// back in the state releaseSave saved.
	acquireRestore(t *sched.Thread, saved int)
}

// isOwned is Condition's heuristic for a plain Lock, which has no owner: a
// non-blocking acquire that succeeds means nobody held it (it is released
// again and the answer is false); one that fails is taken to mean the
// caller holds it, even when another thread does.
func (l *Lock) isOwned(t *sched.Thread) bool {
	if l.TryAcquire(t) {
		l.Release(t)
		return false
	}
	return true
}

func (l *Lock) releaseSave(t *sched.Thread) int {
	l.Release(t)
	return 0
}

func (l *Lock) acquireRestore(t *sched.Thread, _ int) { l.Acquire(t) }

func (l *RLock) isOwned(t *sched.Thread) bool { return l.IsOwned(t) }

// releaseSave is _release_save(): it frees the lock whatever the recursion
// level and returns that level.
func (l *RLock) releaseSave(t *sched.Thread) int {
	t.Step(sched.Op{Name: "release", Obj: &l.obj, Access: sched.Write})
	if l.count == 0 {
		t.Misuse("RuntimeError: cannot release un-acquired lock")
	}
	saved := l.count
	l.owner, l.count = nil, 0
	t.SetResult(0)
	return saved
}

// acquireRestore is _acquire_restore(): it blocks until the lock is free,
// then owns it at the saved recursion level.
func (l *RLock) acquireRestore(t *sched.Thread, saved int) {
	t.Step(sched.Op{Name: "acquire", Obj: &l.obj, Access: sched.Write, Wait: l})
	l.owner, l.count = t, saved
	t.SetResult(true)
}
