package explore

import "github.com/threadsim/threadsim/sched"

// The shadow: the state at one frame of a stateful search's path, by its
// fingerprint's components, with a view of each thread (its pending step
// and whether it is enabled), which prediction (state_predict.go) derives states
// from. It moves with the path: forward through a predicted step (step),
// back through a popped one (back, unstep), or to what an execution
// reached (transCache.observe); keep saves a copy where it could not come
// back.

// shadow is the state at one frame of the path, by components, with what
// the search learned of each thread there.
type shadow struct {
	at               int // the frame's path index; -1: none
	forgetLog        bool
	threads, objects []uint64
	view             []threadView // by thread
}

// threadView is what the search learned of one thread of the shadow.
type threadView struct {
	pendInfo
	pendKnown bool // its component was learned
	on        bool // it is enabled
	known     bool // its component and whether it is enabled were learned
}

// object is object o's component (0 for NoObject).
func (sh *shadow) object(o sched.ObjID) uint64 {
	if o == sched.NoObject {
		return 0
	}
	return sh.objects[o]
}

// step replaces the components thread t's step on object o changes,
// appends those it creates (g, nil for none), and updates the view.
func (c *transCache) step(t sched.ThreadID, o sched.ObjID, to transKey, g *growth) {
	sh := &c.shadow
	n := len(sh.threads)
	sh.threads[t] = to.thread
	if o != sched.NoObject {
		sh.objects[o] = to.object
	}
	if g != nil {
		sh.threads, sh.objects = append(sh.threads, g.threads...), append(sh.objects, g.objects...)
	}
	c.seeAfter(t, o, n)
}

// unstep undoes step: thread t and object o were pre, and there were
// threads threads and objects objects.
func (c *transCache) unstep(t sched.ThreadID, o sched.ObjID, pre transKey, threads, objects int32) {
	sh := &c.shadow
	sh.threads, sh.objects = sh.threads[:threads], sh.objects[:objects]
	sh.threads[t] = pre.thread
	if o != sched.NoObject {
		sh.objects[o] = pre.object
	}
	c.seeAfter(t, o, int(threads))
}

// seeAfter updates the view after thread t's step on object o changed
// their components: t's view, the views of the threads from n on (new
// ones), and whether the threads pending on o are enabled. No other thread's view can change: its component did not, nor
// its object's.
func (c *transCache) seeAfter(t sched.ThreadID, o sched.ObjID, n int) {
	sh := &c.shadow
	sh.view = append(sh.view[:n], make([]threadView, len(sh.threads)-n)...)
	for u := n; u < len(sh.threads); u++ {
		c.see(u, nil)
	}
	c.see(int(t), nil)
	if o == sched.NoObject || mutPredictStale {
		return
	}
	for u := range sh.view[:n] {
		if v := &sh.view[u]; u != int(t) && v.pendKnown && v.sig.obj == o {
			c.seeEnabled(u, nil)
		}
	}
}

// see reads what the search learned of thread t of the shadow. With sc,
// the scheduler at the shadow's state (observe), it first learns from sc
// what it has not (within maxLearned).
func (c *transCache) see(t int, sc *sched.Scheduler) {
	sh := &c.shadow
	a := sh.threads[t]
	p, ok := c.pend[a]
	if !ok && sc != nil {
		p, ok = pendOf(sc, sched.ThreadID(t)), true
		if len(c.pend) < maxLearned {
			c.pend[a] = p
		}
	}
	sh.view[t] = threadView{pendInfo: p, pendKnown: ok && int(p.sig.obj) < len(sh.objects)}
	c.seeEnabled(t, sc)
}

// seeEnabled reads whether thread t of the shadow is enabled, learning it
// from sc as see does.
func (c *transCache) seeEnabled(t int, sc *sched.Scheduler) {
	sh := &c.shadow
	v := &sh.view[t]
	v.on, v.known = false, v.pendKnown
	switch {
	case !v.pendKnown || v.finished:
	case v.always:
		v.on = true
	default:
		k := transKey{sh.threads[t], sh.object(v.sig.obj)}
		if v.on, v.known = c.enabled[k]; !v.known && sc != nil {
			v.on, v.known = sc.Thread(sched.ThreadID(t)).Enabled(), true
			if len(c.enabled) < maxLearned {
				c.enabled[k] = v.on
			}
		}
	}
}

// back moves the shadow to frame i-1, frame i having been popped: to the
// copy kept of i-1, or back through the step between them when the cache
// could learn it (sframe.narrow).
func (c *transCache) back(p *statePath, i int) {
	sh := &c.shadow
	for len(c.kept) > 0 && c.kept[len(c.kept)-1].at >= i {
		c.kept = c.kept[:len(c.kept)-1]
	}
	if sh.at == i-1 || i == 0 {
		return
	}
	if n := len(c.kept); n > 0 && c.kept[n-1].at == i-1 {
		k := &c.kept[n-1]
		sh.threads, sh.objects = append(sh.threads[:0], k.threads...), append(sh.objects[:0], k.objects...)
		sh.view = append(sh.view[:0], k.view...)
		sh.at, sh.forgetLog = k.at, k.forgetLog
		return
	}
	f := p.at(i - 1)
	if sh.at != i || f.draw || !f.narrow {
		sh.at = -1
		return
	}
	r := p.current(f)
	c.unstep(f.cur, r.sig.obj, r.pre, f.threads, f.objects)
	sh.at = i - 1
}

// keep copies the shadow, the state of frame i, when the step an
// execution just took from i changed more than its thread's and object's
// components: the shadow cannot come back through it.
func (c *transCache) keep(i int) {
	sh := &c.shadow
	if sh.at != i || (len(c.kept) > 0 && c.kept[len(c.kept)-1].at == i) {
		return
	}
	c.kept = append(c.kept, shadow{at: i, forgetLog: sh.forgetLog, threads: append([]uint64(nil), sh.threads...),
		objects: append([]uint64(nil), sh.objects...), view: append([]threadView(nil), sh.view...)})
}
