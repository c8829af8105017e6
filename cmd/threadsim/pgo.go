package main

// # Profile-guided optimisation
//
// The command is built with profile-guided optimisation: default.pgo, in
// this directory, is a CPU profile of the search engine's benchmarks, and
// go build, go install and go test apply it to the command and every
// package it imports (Go's default -pgo=auto; -pgo=off builds without).
// The compiler then inlines the calls the profile shows hot and calls
// the usual implementation of a hot interface call directly (the
// scheduler's step and decision, a Chooser's Choose, a Waiter's Ready,
// the DPOR race analysis). The code is the same, so every result is too:
// only its speed changes. The test binaries of the other packages are
// built without it.
//
// When it was added (instructions per execution, cachegrind,
// GOMAXPROCS=1, `threadsim explore`, the same source without and with
// it): inc n=5 (dfs) 49.1k -> 45.2k (-7.9%), lastzero n=8 (dfs) 100.0k
// -> 89.2k (-10.8%); whole runs: lastzero n=10 odpor -5.4%, the stateful
// search of lost-update-threads n=4 -9.5% of threadsim's own code. The
// first build takes longer (the standard library is compiled again with
// the profile), later ones come from the build cache.
//
// A profile that no longer matches the code still applies where the
// code did not change, and costs only speed where it did. Regenerate it
// after large changes to sched/, prims/ or explore/ (from the module's
// root; the profiles sum the benchmarks' samples, the search engine's
// paths weighted by the time the benchmarks spend in them):
//
//	go test -c -o /tmp/scen.test ./scenarios && go test -c -o /tmp/expl.test ./explore
//	cd scenarios
//	GOGC=400 /tmp/scen.test -test.run '^$' -test.bench DFSExecution -test.benchtime 10x -test.cpuprofile /tmp/p1.prof
//	GOGC=400 /tmp/scen.test -test.run '^$' -test.bench Partition -test.benchtime 1x -test.cpuprofile /tmp/p2.prof
//	GOGC=400 /tmp/scen.test -test.run '^$' -test.bench 'ClassicStrategies|StatefulSPIN' -test.benchtime 2x -test.cpuprofile /tmp/p3.prof
//	cd ../explore
//	GOGC=400 /tmp/expl.test -test.run '^$' -test.bench 'DPORLostUpdate|ODPOR|RandomProducerConsumer|StatefulLostUpdate' -test.benchtime 2x -test.cpuprofile /tmp/p4.prof
//	cd .. && go tool pprof -proto /tmp/p1.prof /tmp/p2.prof /tmp/p3.prof /tmp/p4.prof > cmd/threadsim/default.pgo
