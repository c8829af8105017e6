package python

import (
	"slices"
	"strconv"
	"strings"

	"github.com/threadsim/threadsim/sched"
)

// prefix is a program's single-threaded start as the Go side saw it in
// one execution: every message the child sent (requests, "new", "ret")
// and every reply, in order, up to the snapshot. A later execution
// performs the same requests on its virtual threads and objects without
// a process, checking that each reply it computes is the recorded one,
// and then has the zygote fork its process from the snapshot.
type prefix struct {
	key    string
	events []event
}

// event is a message from the child (msg) or, with msg nil, a reply.
type event struct {
	msg          []string
	tid          int
	clock, value string
}

// snapshotKey names what a snapshot depends on beside the program's
// source: the seed, the property, the random choices.
func (p *Program) snapshotKey() string {
	return strings.Join([]string{p.Abs, strconv.Itoa(p.Seed), p.Check, strconv.Itoa(p.RandomChoices)}, "\x00")
}

// start gives the execution its process: from the server's zygote when it
// holds this program's snapshot (the recorded start is then replayed, and
// the process forked when the replay ends), else a fresh fork of the
// server whose start is recorded.
func (x *execution) start(t *sched.Thread) {
	srv, key := x.srv, x.p.snapshotKey()
	if err := srv.reap(); err != nil {
		t.Fail(sched.Panic, x.gone(err))
	}
	if srv.prefix != nil && srv.prefix.key == key && srv.zygote != 0 && !x.p.noSnapshot.Load() {
		x.replay = srv.prefix
		return
	}
	snap := !x.p.noSnapshot.Load()
	if err := srv.run(x.p.Abs, x.p.Seed, x.p.Check, snap); err != nil {
		t.Fail(sched.Panic, x.gone(err))
	}
	if snap {
		x.rec = &prefix{key: key}
	}
}

// read returns the child's next message, from Python thread tid or about
// the process: the recorded one while the start is replayed. The replay
// ends where the recording did, and the zygote then forks the execution's
// process.
func (x *execution) read(t *sched.Thread, tid int) []string {
	if x.replay != nil {
		if x.pos < len(x.replay.events) && x.replay.events[x.pos].msg != nil {
			x.pos++
			return x.replay.events[x.pos-1].msg
		}
		x.resume(t)
	}
	x.stall.awaiting(x.srv.child, tid)
	f, err := x.srv.readFields()
	if err != nil {
		t.Fail(sched.Panic, x.gone(err))
	}
	if x.rec != nil && f[0] != "snap" {
		x.rec.events = append(x.rec.events, event{msg: f})
	}
	return f
}

// write sends a reply, or checks it against the recorded one while the
// start is replayed: one that differs ends the replay (fallBack).
func (x *execution) write(t *sched.Thread, tid int, clock, value string) {
	if x.replay != nil {
		if x.pos < len(x.replay.events) {
			e := x.replay.events[x.pos]
			if e.msg == nil && e.tid == tid && e.clock == clock && e.value == value {
				x.pos++
				return
			}
		}
		x.fallBack(t)
	}
	if err := x.srv.reply(x.pipeOf(tid), tid, clock, value); err != nil && tid == 0 {
		t.Fail(sched.Panic, x.gone(errServerGone))
	} // a thread's own pipe fails when its process has died: the next read says so
	if x.rec != nil {
		x.rec.events = append(x.rec.events, event{tid: tid, clock: clock, value: value})
	}
}

// resume ends a replay that went as recorded: the zygote forks the
// execution's process, which goes on from the snapshot. If the scheduler
// made a real choice meanwhile, or the zygote is gone, the execution
// falls back on a process of its own.
func (x *execution) resume(t *sched.Thread) {
	if t.Scheduler().Decisions() > 0 {
		x.fallBack(t)
		return
	}
	rp := x.replay
	x.replay = nil
	if err := x.srv.fork(); err != nil {
		if err != errZygoteGone {
			t.Fail(sched.Panic, x.gone(err))
		}
		x.replay = rp
		x.fallBack(t)
		return
	}
	x.p.snapshotForks.Add(1)
}

// snapped notes the "snap PID" message of a process forked from a new
// snapshot: the process that recorded the start is now the zygote, the
// new one the execution's. The recording is kept unless the scheduler
// made a real choice during the start (the zygote then waits unused
// until the next execution ends it).
func (x *execution) snapped(t *sched.Thread, f []string) {
	if len(f) != 2 {
		t.Fail(sched.Panic, "threadsim: malformed snap message from the Python runtime")
	}
	srv := x.srv
	srv.zygote, srv.child, srv.prefix = srv.child, atoi(f[1]), nil
	if x.rec != nil && t.Scheduler().Decisions() == 0 {
		srv.prefix = x.rec
	}
	x.rec = nil
}

// fallBack leaves the replay after x.pos events: the program will not use
// snapshots again. A fresh child from the server runs the start again and
// is given the replies recorded so far, its messages checked against the
// recorded ones, and the execution then goes on with it.
func (x *execution) fallBack(t *sched.Thread) {
	done := x.replay.events[:x.pos]
	x.replay = nil
	x.p.noSnapshot.Store(true)
	srv := x.srv
	if err := srv.run(x.p.Abs, x.p.Seed, x.p.Check, false); err != nil {
		t.Fail(sched.Panic, x.gone(err))
	}
	for _, e := range done {
		if e.msg == nil {
			if err := srv.reply(srv.wfd, e.tid, e.clock, e.value); err != nil {
				t.Fail(sched.Panic, x.gone(errServerGone))
			}
			continue
		}
		f, err := srv.readFields()
		if err != nil {
			t.Fail(sched.Panic, x.gone(err))
		}
		if !slices.Equal(f, e.msg) {
			t.Fail(sched.Panic, "threadsim: the Python program's single-threaded start differed between two runs: "+
				strings.Join(f, " ")+" instead of "+strings.Join(e.msg, " "))
		}
	}
}
