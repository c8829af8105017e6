package explore

// Mutations re-introduce the classic bugs of DPOR-NOTES §2.9 and §4.3, for
// the engine's own tests (§8.4): a test sets one, checks that the oracles
// notice, and clears it. They are never set outside tests.
var (
	mutKeepSleep     bool // sleep-set entries are not removed on a dependent event
	mutNoRuleA       bool // a blocking operation races only with its direct predecessor
	mutNoRuleB       bool // no disabling races
	mutNoRuleC       bool // no races of pending operations at the end
	mutRacingThread  bool // backtrack the racing thread instead of an initial
	mutSleepAfterCut bool // bounded: a cut sibling still goes to sleep
	mutReadRead      bool // reads of one object are dependent
	mutNoLocalBranch bool // DPOR explores other branches beside a local step (redundant, not unsound)
	mutAmpleNoCheck  bool // stateful: an ample step's local code is not checked
	mutAmpleNoC3     bool // stateful: an ample step that closes a cycle is not expanded
	mutExitsUnseen   bool // stateful: exits stay invisible after an execution observed one
	mutCacheAnyStep  bool // stateful: the transition cache learns steps that changed more than two components
	mutPredictStale  bool // stateful: prediction does not update whether the threads pending on a step's object are enabled
	mutGrowthKey     bool // stateful: a step that grows the state is cached by its two components alone
	// verifyPredictions makes the transition cache run what it would
	// spare and check its predictions (state_transcache.go).
	verifyPredictions bool
)
