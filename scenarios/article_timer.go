package scenarios

import (
	"time"

	"github.com/threadsim/threadsim/prims"
	"github.com/threadsim/threadsim/sched"
)

// The article's "Timer" section: "A Timer can be used to prompt a user for
// action after a specific amount of time. If the user does the action
// before the Timer expires, .cancel() can be called." The article gives no
// code; this is that program.

const userActed = "Main    : the user pressed a key"

func init() {
	params := []Param{
		{Name: "interval", Default: 30, Doc: "the Timer's interval, in seconds", Min: 0, Max: 3600},
		{Name: "delay", Default: 10, Doc: "seconds before the user presses a key", Min: 0, Max: 3600},
	}
	register(Scenario{
		Name:    "timer-prompt",
		Group:   "article",
		Section: "Timer",
		Doc: "Main starts Timer(interval, prompt), sleeps delay seconds (the user reading), then handles " +
			"the key press: under a Lock it records that the user acted and logs 'the user pressed a " +
			"key', then calls cancel(). prompt takes the same Lock and logs 'Timer: are you still " +
			"there?' only if the user has not acted. Property: the prompt never appears after the key " +
			"press. Outcome: whether the prompt appeared. Exhaustive exploration passes, and finds " +
			"both outcomes even though the user acts at 10 s and the timer is set for 30 s: a thread " +
			"may be slow to run after its sleep ends, so the timer can expire first. Parameters " +
			"interval (default 30) and delay (default 10).",
		Primitives: []string{"Timer", "Lock", "Var", "sleep"},
		Params:     params,
		Expect:     Expect{Note: "the lock orders the prompt and the key press"},
		Build: func(p Params) sched.Program {
			return buildTimerPrompt(p["interval"], p["delay"], true)
		},
	})
	register(Scenario{
		Name:    "timer-prompt-race",
		Group:   "article",
		Section: "Timer",
		Doc: "timer-prompt as the article suggests it: prompt logs unconditionally and the key press " +
			"relies on cancel() alone. Cancel comes too late when the timer has expired before it, or " +
			"has checked its finished Event and is about to call prompt: the prompt then appears " +
			"after the user acted. Property: the prompt never appears after the key press. Exhaustive " +
			"exploration fails with an assertion (with the defaults, 30 s against 10 s, only because " +
			"main is slow to run after its sleep; with delay >= interval, in the plain order). " +
			"Parameters interval (default 30) and delay (default 10).",
		Primitives: []string{"Timer", "sleep"},
		Params:     params,
		Expect:     Expect{Fails: sched.Assertion, Note: "cancel() after the timer has committed to prompting"},
		Build: func(p Params) sched.Program {
			return buildTimerPrompt(p["interval"], p["delay"], false)
		},
	})
}

func buildTimerPrompt(interval, delay int, locked bool) sched.Program {
	return func(main *sched.Thread) {
		// The log stays in the state: the property reads both lines the
		// program prints, and their order.
		tr := &transcript{}
		var lock *prims.Lock
		var acted *prims.Var[bool] // guarded by lock
		if locked {
			lock = prims.NewLock(main, "user")
			acted = prims.NewVar(main, "acted", false)
		}
		prompted := false // written by the timer's thread only
		prompt := func(t *sched.Thread) {
			if locked {
				lock.Acquire(t)
				defer lock.Release(t)
				if acted.Load(t) {
					return
				}
			}
			tr.log(t, "Timer   : are you still there?")
			prompted = true
			if tr.has(userActed) {
				t.Outcome("prompted after the key press")
				t.Fail(sched.Assertion, "the prompt appeared after the user pressed a key: cancel() came too late")
			}
		}
		timer := prims.NewTimer(main, "", time.Duration(interval)*time.Second, prompt)
		timer.Start(main)
		main.Sleep(time.Duration(delay) * time.Second)
		if locked {
			lock.Acquire(main)
			acted.Store(main, true)
		}
		tr.log(main, userActed)
		if locked {
			lock.Release(main)
		}
		timer.Cancel(main)
		main.Join(timer.Thread())
		if prompted {
			main.Outcome("prompted before the key press")
		} else {
			main.Outcome("no prompt")
		}
	}
}
