/* locked-update-threads (scenarios/article_update.go) in Promela: as
 * lost-update.pml, with the read, the sleep and the write under a lock
 * (with self._lock:). N is set on the command line. */
byte value = 0;
bit lock = 0;
bit finished[N];

proctype update(byte id) {
  byte copy;
  atomic { lock == 0 -> lock = 1 };
  copy = value;
  skip;                 /* time.sleep(0.1) */
  value = copy + 1;
  lock = 0;
  finished[id] = 1
}

init {
  byte i = 0;
  byte start = value;
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
