// Package sched is threadsim's deterministic core: it runs one execution of
// a model, a plain Go function, with exactly one virtual thread running at a
// time, under a Chooser that makes every nondeterministic decision, on a
// virtual clock.
//
// # The model
//
// A virtual thread is a Go function running on its own coroutine
// (iter.Pull). Before it touches shared state it declares its pending
// operation with [Thread.Step] and parks. A pending operation names the
// object it touches, whether it reads or writes it (for partial-order
// reduction and race detection), and optionally a [Waiter] that says when
// it is enabled. At every scheduling point the scheduler computes the
// enabled threads, asks the Chooser which one goes next, and resumes it.
// The resumed thread completes its operation and runs its local code up to
// its next declaration. Code between two operations is invisible to other
// threads and must be deterministic: no real goroutines, channels, maps
// iterated for effect, time.Now or global randomness.
//
// A step is therefore one visible operation, atomic with respect to every
// other thread. Waking a waiter only makes it enabled: another thread may
// still take the resource first, which is how CPython's barging appears.
//
// # Time
//
// The clock starts at 0 and moves only when the clock pseudo-thread fires a
// deadline. Sleep and every timed wait register one deadline for their
// thread. Whenever a deadline is pending, firing the earliest one is an
// option at each scheduling point, offered last; when no thread is enabled
// it is the only option. Deadlines fire in (time, thread id) order. A
// thread waiting with a timeout is therefore never part of a deadlock.
//
// # Decisions
//
// Every choice goes through [Chooser.Choose]. A decision is an int; 0 means
// "the default": keep running the current thread when it is enabled,
// otherwise the first enabled thread. Decision k > 0 picks the k-th of the
// other options, in canonical order (thread ids ascending, the clock last).
// A decision that is not 0 while the current thread is enabled is a
// preemption. Only real choices (two or more options) are recorded in
// [Result.Decisions]; forced steps are implied, so a schedule is short and
// replays exactly.
//
// # End of the program
//
// When the main thread's function returns, its exit hooks run (as
// CPython's threading._shutdown does), then it finishes. The program ends
// when every non-daemon thread has finished; daemon threads still running
// are frozen where they stand: they never run another step and their later
// log lines never appear. Their Go stacks are unwound, so deferred Go
// functions run (Go ends a goroutine no other way, short of parking it
// for ever, one goroutine per execution), but nothing they do is seen:
// they run after the execution ended, before Run returns its result, and
// the first thing one asks of the scheduler or of a primitive (a step, a
// print, an operation, an outcome, an assertion or failure, a trace
// detail or access, an end hook, a new thread or object, a draw, a state
// declaration) ends it before any effect; a Go panic there is ignored.
// The trace, log, outcome, failure and state of the execution, and the
// next execution, are those of the program without those functions
// (TestFrozenDaemonDeferredFunctionsAreUnobservable). What they can still
// change is Go memory outside the simulator, which a model must not touch
// without a declared step ("The model" above). If no thread is
// enabled, no deadline is pending and a non-daemon thread has not
// finished, the execution is a deadlock.
//
// # Threads
//
// [Thread.Go] creates and starts a thread in one step, the convenient
// form. Python's lifecycle is there too: [Thread.NewThread] creates a
// thread that is not started (named "Thread-N (target)" as CPython numbers
// them, daemon flag inherited), [Thread.SetDaemon] and [Thread.Start] act
// on it, and the misuses CPython rejects raise its RuntimeError (a second
// start, joining a thread before its start or oneself, setting daemon
// after the start). [Thread.Ident] is None (ok false) before the start,
// [Thread.Repr] prints "<Thread(Thread-1 (worker), started 1001)>", and
// the module functions are methods of the calling thread
// ([Thread.CurrentThread], [Thread.MainThread], [Thread.GetIdent],
// [Thread.Enumerate], [Thread.ActiveCount]).
//
// # Exceptions
//
// A model raises a Python exception ([Exception]: a class name and a
// message) with [Thread.Raise], and catches what a block raises with
// [Thread.Try], Go's form of try/except. A primitive misused as CPython
// forbids raises CPython's exception the same way ([Thread.Misuse]). An
// exception nothing catches ends only its thread, as in CPython:
// threading.excepthook runs ([DefaultExceptHook] prints "Exception in
// thread NAME:" and the traceback: the model's frames where the exception
// was raised ([Thread.Traceback]) and the exception; [Thread.SetExceptHook]
// replaces it; the failure's Stack has the same frames),
// the thread finishes, its joiners return and the others go on. In the
// main function, the traceback is printed and the
// program ends as CPython's does: exit hooks, then the non-daemon threads.
//
// # The log
//
// [Thread.Log] and [Thread.Print] print a line: a step of the printing
// thread on the shared output, stamped with the virtual time. Every line
// stays in the trace and in [Result.Logs]. Whether two prints of
// different threads are dependent (and exhaustive search explores both
// orders) depends on what reads the log, and only the model can: the
// scheduler and the reports read outcomes and failures, never the lines,
// so an order of lines matters only to a model that keeps them (a
// transcript its assertions and outcomes read). A model declares what it
// reads:
//
//   - nothing declared: every line is read. A print writes the output;
//     prints of different threads are dependent, and every order of the
//     lines is explored. This is the safe default, and the costly one
//     (lost-update-threads at n = 4 has 576 traces without its prints and
//     449,592 with them read).
//   - [Thread.ForgetLog]: nothing reads the log. A print touches no shared
//     object (its Op has Access None): it commutes with every step of
//     every other thread, and exploration runs one order of the lines of
//     each trace of the rest. The log leaves the state.
//   - [Thread.WatchLog](read): the model reads only the lines read keeps,
//     and of those their text and their order among themselves (an
//     outcome such as "finished 2,1,0" built from the "finishing" lines).
//     Prints of those lines write the output and are ordered among
//     themselves; every other print commutes with everything. Only the
//     lines read are in the state.
//
// A model that reads a line it did not declare, or depends on the order
// of lines that commute, is explored unsoundly: the declaration is the
// model's contract, as Checkpoint's is.
//
// # Failures
//
// An execution ends with at most one [Failure]: an assertion, a panic in a
// thread (with that thread's stack), a deadlock (every thread's state and
// what it waits for), an uncaught exception (a Misuse when a primitive
// raised it, else an UncaughtException), or the step limit. An uncaught
// exception does not stop the execution, so its outcome is the program's
// ([Failure.RanOn]); [Options.UncaughtExceptionsOK] makes one in a thread
// other than main no failure.
// Data races on shared variables (conflicting accesses not ordered by
// happens-before, computed with vector clocks through every synchronising
// object) are collected in [Result.Races] without stopping the execution.
package sched
