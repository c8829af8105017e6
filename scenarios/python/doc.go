// Package python runs unmodified CPython threading programs as threadsim
// models: a Python program is one more kind of scenario, a sched.Program
// whose main virtual thread forks a CPython child and serves it.
//
// # Processes
//
// A fork server (python -S, PYTHONHASHSEED=0, TZ=UTC) imports the
// embedded runtime (runtime/*.py, standard library only) before anything
// imports threading, installs it, and pre-imports what programs commonly
// use. Each execution forks one child from it, or from the zygote that
// holds the program's start (below): a few milliseconds, against about
// 40 ms for a fresh interpreter. The server reaps its children, so no
// zombie is left; a child dies with its server (PR_SET_PDEATHSIG) and the
// server with threadsim (Pdeathsig, and end of file on its command pipe).
// When an execution ends, however it ends, its child is killed (sched's
// OnEnd) and the server goes back to a pool; parallel workers each take
// their own.
//
// # Snapshot of the start
//
// Everything main does before its first thread start (the program's
// module code, class definitions, logging's setup and its cold first
// record, the objects it makes) is the same in every execution: one
// thread runs, and the scheduler has nothing to choose. So it runs once
// per server. Go records the start of the first execution's child (asked
// for with "run ... 1") as it serves it: every message from the child and
// every reply, in order. At the first request that ends the start (a
// thread start, which Timer, executors and _thread.start_new_thread make
// too, or a random draw the scheduler chooses), the child, if it still
// has one thread, becomes the zygote: it forks, and the fork says "snap
// PID" (which ends Go's recording) and goes on as the execution; the
// zygote reaps it ("died STATUS PID") and waits for "fork" (the next
// execution's process, from the same point) or "quit" (the server then
// reaps it and serves commands again). A later execution on that server
// replays the recorded start on its virtual threads without any process:
// the same requests in the same order, so traces, output, DPOR, tokens and
// minimisation see the same steps, and each reply Go computes is checked
// against the recorded one; then the zygote forks its process, which has
// the start's output behind it and its objects registered as the replay
// left Go's. A start that leaves a file descriptor open that was not open
// before it (a file, a socket) takes no snapshot: the forks would share
// its offset. If a reply differs or the scheduler made a real choice
// during the replay (neither should happen: one thread, nothing to
// choose), or the zygote has died, the execution falls back: a fresh
// child from the server is given the recorded replies so far (its
// messages must equal the recorded ones) and the execution goes on with
// it; the program then stops using snapshots. The zygote dies with the
// server and its fork with it (PR_SET_PDEATHSIG), and is ended before the
// server runs another command. THREADSIM_PYSNAPSHOT=0 turns snapshots
// off. What the start reads outside the simulator (the real date, the
// process id) is read once per server, not once per execution.
//
// A fork shares the zygote's pages copy-on-write, so each page an
// execution writes costs a page fault that copies it (about 530 an
// execution of the lost update), and executions of one program write
// almost the same pages. The first execution forked from a zygote lists
// the pages of the zygote's writable mappings it wrote (/proc/self/pagemap)
// and sends them to the zygote through a pipe, and every later fork has
// the kernel copy them at once, before the interpreter runs
// (process_madvise with MADV_POPULATE_WRITE on itself, Linux 6.13 and
// later; elsewhere nothing is learned or copied): runtime/tsrt_prefault.py.
// A copied page holds the same bytes, so no program sees it.
//
// # Protocol
//
// Every visible operation of a Python thread is a request: one line on the
// child's fd 4, fields separated by \x1f: op, the runtime's thread id, the
// caller's location ("prog.py:12 update"), then the arguments. The Python
// thread then waits for its reply, framed by a 4-byte length on a pipe of
// its own (the main thread's is fd 3; a thread that starts gets a new one,
// whose write end the start request brings to threadsim over the datagram
// socket on fd 6, SCM_RIGHTS with "PID TID"):
// "tid\x1fvalue", or "tid@seconds\x1fvalue" when the virtual time moved
// since the last reply (logging's timestamps read it there: the clock
// cannot move while a Python thread runs). One virtual thread mirrors each
// Python thread and performs its operations on real prims objects (Lock,
// RLock, Condition, Semaphore, BoundedSemaphore, Event, Barrier, Queue,
// LifoQueue, PriorityQueue, SimpleQueue, Var), on the thread itself (start,
// join, is_alive, sleep, print) or on the clock (time.time, monotonic,
// perf_counter: a reply without a step). Every Python thread but the one
// threadsim replied to last waits in a read of its reply pipe, so the
// thread it runs next wakes by itself, without a hand-off between Python
// threads. So exactly one Python thread runs at a time, its code between
// two requests is the local
// code of its virtual thread, and every decision is sched's: replay,
// minimisation and DPOR need nothing new.
//
// A reply that starts with \x1d makes the thread raise an exception: a
// primitive raised it while serving the request ("\x1dM\x1dRuntimeError
// \x1drelease unlocked lock", M for a misuse, E for another exception).
// The runtime raises CPython's class of that name with the message, so a
// program that catches it goes on. An exception no Python thread catches
// is sent as "uncaught" (kind misuse or exception, the line, the
// traceback without the runtime's frames): the Go models' failure that
// lets the execution go on (sched.Thread.UncaughtStack); the thread then
// runs threading.excepthook (by default CPython's text on stderr, in one
// print step as sched.DefaultExceptHook prints) and ends. An
// AssertionError, and a --check property that fails, is "fail": an
// assertion, which ends the execution.
//
// Messages without a reply: "new" announces an object on its first use in
// the execution (objects made by the server's imports are bound lazily in
// each child; it waits in the child and goes out in the same write as the
// next request, as each write wakes threadsim), "exit" ends a thread. A
// reply that starts with "!" asks the thread to run a callback (a
// Barrier's action), whose own requests are served meanwhile, and answer
// "ret". The server itself says "hello VERSION", "checked [ERROR]", "pid
// N" and "died STATUS N"; a zygote "snap N" and "died STATUS N".
//
// # A stuck program
//
// A Python thread that loops without a request, or waits outside the
// simulator (a socket, a subprocess, a pipe, a C extension), leaves its
// virtual thread waiting for its next message, and sched's watchdog finds
// the execution stuck. The execution then describes itself
// (sched.Scheduler.DescribeStuck): the fork server has registered
// faulthandler for SIGUSR2, for all threads, writing to its fd 5, a
// deleted file threadsim holds (every child and zygote fork inherits
// both); Go sends the signal to the execution's process and reads the
// dump, written from the C signal handler, so it comes while a thread
// spins holding the GIL and while one waits in C code without it. The
// stuck thread is the one not parked in the runtime's protocol; it is
// named by its Python name (threadsim waits for its message), placed at
// its innermost frame in the program's own files (and the library's, as
// socket.py's accept), and said to loop or to wait as its process's
// threads are seen running or not (/proc/PID/task/*/stat, ten samples
// over 0.2 s; elsewhere both causes are named). Its Python stack follows,
// innermost last, without the runtime's frames. The process is then
// killed with its process group: each execution's process leads its own
// (it calls setpgid before Go learns its pid), so what the program
// started (subprocess.run) dies with it, at the end of every execution
// too.
//
// # What is left to CPython
//
// Code that calls back into the program keeps CPython's own
// implementation on top of the mapped primitives: ThreadPoolExecutor and
// Future, Timer, Condition.wait_for, a Barrier's action. The primitives
// an executor makes (its work queue, idle semaphore, shutdown lock, its
// futures' conditions; concurrent.futures' global shutdown lock) are
// named after it ("ThreadPoolExecutor-0._work_queue", an "Executor"
// object without steps), so traces, HTML pages and Mermaid diagrams hide
// their steps by default as they hide a Go executor's (--all-steps and
// the page's toggle show them). Thread objects are
// CPython's, with start, join and is_alive replaced; uncaught exceptions
// and the end of the program are the runtime's, in CPython's order:
// threading's exit hooks (an executor joins its workers), then the wait
// for the non-daemon threads, then the program's atexit handlers (last
// registered first; one that raises is printed as CPython prints it and
// is an uncaught exception in main, and the next runs), then the --check
// property; daemon threads are frozen. A thread started with
// _thread.start_new_thread is mirrored like threading's, named "Dummy-N
// (function)", daemon as CPython treats it (nothing waits for it at exit).
//
// # Shared memory
//
// The program's own modules (the main file and modules in its directory)
// are rewritten at import with the ast module: reads and writes of
// attributes of the program's objects, of globals some function declares
// global, of closure cells a nested function declares nonlocal, and of
// items of lists, dicts, sets and deques are read and write steps on Vars
// named like "FakeDatabase.value", "count" or "ready[1]", for DPOR and
// the race detector. The standard library is not rewritten, and no name
// is (zero-argument super()).
//
// A container also has a shape (its length, keys and order): a Plain
// object named like the container ("log"), whose steps are ordered for
// exploration but neither race nor synchronise, as CPython's container
// operations are atomic. An item access is its item's step followed by a
// read of the shape (a write when it adds a key, or for del), after which
// the access happens; a mutating method (append, pop, update, ...), a
// slice assignment and an augmented assignment that changes a container
// in place (lst += ..., s |= ...) write the shape; len, a truth test and `k in dict`
// read it; iterating a for or a comprehension reads the item and the
// shape before each element (not when the expression makes the container:
// a display, a comprehension, range, sorted(...), list(...)); a whole read (sum, sorted, list, min, max,
// print, ... of it, a reading method such as copy, count or items,
// `x in list`, a slice) is one step that counts as a write of the shape,
// so that it is ordered against item writes as well. So an item access
// and a method of the same container are dependent, threads writing
// distinct items are not (nor a data race), and a closure cell's lost
// update is found like a global's. Values shown in the trace are reprs
// taken without steps (a Thread's or a Future's class names it).
//
// # Output
//
// Each line printed (print, logging) is a print step, and the last line
// printed is the execution's outcome, without a leading timestamp (so the
// lost update shows "Ending value is 1" beside "Ending value is 2").
// Without --check nothing reads the output, so prints commute with every
// other thread's steps, as in the Go models that forget their log: DPOR
// explores the orders of the program's shared memory and primitives, not
// of its lines, and the outcomes are those of the executions it ran. A
// --check property reads the output: its prints are then ordered, and the
// property runs after a step that reads everything printed.
//
// # Determinism
//
// random is seeded in every child. With Program.RandomChoices (threadsim
// --random-choices N), a draw of random.randint, randrange or choice over
// at most N values is instead a scheduler choice (sched.Thread.Random, a
// "random" request): exploration enumerates its values, replay repeats
// them, and tokens carry N; a draw over more values, and the methods of
// a random.Random instance the program makes, stay seeded. The runtime's
// objects and Thread hash
// by creation order (sets of them iterate alike in every execution); a new
// OS thread parks before its creator goes on; logging's handler locks are
// not scheduling points and its timestamps are virtual time. A program
// that is nondeterministic in other ways is caught by replay, as Go
// models are.
//
// # Designed for later
//
// A GIL switch model: in CPython 3.10+ with the GIL a thread loses it only
// at function entry, loop back-edges and after calls, so `x += 1` in
// straight-line code cannot lose an update there, while free-threaded
// 3.13t can; today's model is the free-threaded one (every shared access a
// step). A pytest entry point that explores a test function.
package python
