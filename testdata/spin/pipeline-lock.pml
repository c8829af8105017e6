/* pipeline-lock-threads (scenarios/article_pipeline_lock.go) in Promela:
 * a one-message slot guarded by two locks, consumer_lock taken by main
 * before the threads start; the producer sends K messages and a sentinel,
 * the consumer checks each message against the index it expects; main
 * joins both and checks the count. The messages are i % 100 (threadsim
 * cycles through the article's ten), the sentinel 255. K is set on the
 * command line: spin -DK=1000000 -a pipeline-lock.pml */
#define SENTINEL 255
byte message = 0;
bit producerLock = 0;
bit consumerLock = 1;
bit finished[2];
int stored = 0;

proctype producer() {
  int i = 0;
  do
  :: i < K ->
     atomic { producerLock == 0 -> producerLock = 1 };
     message = i % 100;
     consumerLock = 0;
     i++
  :: else -> break
  od;
  atomic { producerLock == 0 -> producerLock = 1 };
  message = SENTINEL;
  consumerLock = 0;
  finished[0] = 1
}

proctype consumer() {
  byte m;
  do
  :: atomic { consumerLock == 0 -> consumerLock = 1 };
     m = message;
     producerLock = 0;
     if
     :: m == SENTINEL -> break
     :: else -> assert(stored < K && m == stored % 100); stored++
     fi
  od;
  finished[1] = 1
}

init {
  run producer();
  run consumer();
  finished[0] == 1;
  finished[1] == 1;
  assert(stored == K)
}
