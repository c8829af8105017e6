/* lost-update-threads (scenarios/article_update.go) in Promela, step for
 * step: main reads the starting value, starts N threads one at a time and
 * joins them in order; each thread reads value into a local copy, sleeps
 * (a skip: Promela has no clock; threadsim's sleep=0 parameter), writes
 * copy+1 back and exits. The prints are left out, as threadsim's ForgetLog
 * leaves the log out of the state.
 * N is set on the command line: spin -DN=5 -a lost-update.pml */
byte value = 0;
bit finished[N];

proctype update(byte id) {
  byte copy;
  copy = value;
  skip;                 /* time.sleep(0.1) */
  value = copy + 1;
  finished[id] = 1      /* the thread's exit, which join observes */
}

init {
  byte i = 0;
  byte start = value;   /* "Starting value is ..." */
  do
  :: i < N -> run update(i); i++
  :: else -> break
  od;
  i = 0;
  do
  :: i < N -> finished[i] == 1; i++
  :: else -> break
  od;
  assert(value == N)
}
