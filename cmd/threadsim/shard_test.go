package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// elapsedLine matches the one line of a JSON report that depends on the
// machine's speed.
var elapsedLine = regexp.MustCompile(`(?m)^\s*"elapsed_ms": \d+,?\n`)

// TestShardsMergeToTheSingleReport runs n shards of a search as separate
// processes at once, merges their parts, and checks that the merged JSON
// report is byte for byte the single run's (but for elapsed_ms), for
// passing and failing models, dfs, odpor, naive, keep-going,
// iterative preemption bounding, random walks, PCT and delay bounding.
func TestShardsMergeToTheSingleReport(t *testing.T) {
	cases := []struct {
		args   []string
		shards int
	}{
		{[]string{"explore", "inc", "--param", "n=4"}, 4},
		{[]string{"explore", "lastzero", "--param", "n=4", "--strategy", "odpor"}, 3},
		// Optimal DPOR's race-driven top: every shard runs every unit.
		{[]string{"explore", "lastzero", "--param", "n=9", "--strategy", "odpor"}, 3},
		{[]string{"explore", "lost-update-threads", "--param", "n=3", "--strategy", "odpor"}, 2},
		{[]string{"explore", "lockinc", "--param", "n=3", "--strategy", "naive"}, 2},
		{[]string{"explore", "lost-update-threads", "--param", "n=3"}, 3},
		{[]string{"explore", "dining-philosophers", "--keep-going", "--split", "8"}, 4},
		{[]string{"explore", "semaphore-pool-bug", "--iterative", "--preemptions", "3"}, 3},
		// Shard 1 owns none of level 0's units: it must still see that the
		// level cut (in the probe every shard runs) and explore level 1.
		{[]string{"explore", "pipeline-lock", "--iterative", "--preemptions", "2"}, 2},
		{[]string{"explore", "lost-update-threads", "--param", "n=3", "--strategy", "random", "--seed", "7", "--runs", "300"}, 3},
		{[]string{"explore", "lost-update-threads", "--param", "n=3", "--strategy", "random", "--seed", "7", "--runs", "50", "--keep-going"}, 4},
		// PCT: every shard makes the 256 runs k is learned from.
		{[]string{"explore", "lost-update-threads", "--param", "n=3", "--strategy", "pct", "--seed", "7", "--runs", "600"}, 3},
		{[]string{"explore", "inc", "--param", "n=3", "--strategy", "pct", "--seed", "3", "--runs", "700", "--keep-going"}, 2},
		{[]string{"explore", "lost-update-threads", "--param", "n=3", "--strategy", "delay", "--iterative"}, 3},
		{[]string{"explore", "lockinc", "--param", "n=3", "--strategy", "delay", "--delays", "2", "--keep-going"}, 2},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[1:], " "), func(t *testing.T) {
			single := threadsim(t, append(c.args, "--workers", "2", "--json")...)
			if single.code > 1 {
				t.Fatalf("single run: exit %d: %s", single.code, single.stderr)
			}
			dir := t.TempDir()
			var files []string
			var wg sync.WaitGroup
			parts := make([]cli, c.shards)
			for i := range c.shards {
				files = append(files, filepath.Join(dir, fmt.Sprintf("part-%d.json", i)))
				wg.Add(1)
				go func() {
					defer wg.Done()
					parts[i] = threadsim(t, append(c.args, "--shard", fmt.Sprintf("%d/%d", i, c.shards), "--workers", "1", "--json")...)
				}()
			}
			wg.Wait()
			for i, p := range parts {
				if p.code > 1 {
					t.Fatalf("shard %d: exit %d: %s", i, p.code, p.stderr)
				}
				if err := os.WriteFile(files[i], []byte(p.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			merged := threadsim(t, append([]string{"merge", "--json"}, files...)...)
			if merged.code != single.code {
				t.Fatalf("merge exits %d, the single run %d: %s", merged.code, single.code, merged.stderr)
			}
			got, want := elapsedLine.ReplaceAllString(merged.stdout, ""), elapsedLine.ReplaceAllString(single.stdout, "")
			if got != want {
				t.Errorf("merged report differs from the single run's:\n--- merged\n%s\n--- single\n%s", got, want)
			}
		})
	}
}

// TestShardRefusals: --shard refuses a random walk or PCT without --seed
// (each shard would draw its own) and stateful search, saying why.
func TestShardRefusals(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"--strategy pct", "needs -seed"},
		{"--strategy random", "needs -seed"},
		{"--strategy stateful", "state table is not split"},
	} {
		r := threadsim(t, append([]string{"explore", "lost-update", "--shard", "0/2"}, strings.Fields(c.args)...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s --shard 0/2: exit %d, stderr %q; want exit %d and one line saying %q", c.args, r.code, r.stderr, exitUsage, c.want)
		}
	}
}

// TestMergeRejectsBadParts: a missing or doubled shard, parts of two
// searches, a part another threadsim build explored, or a file that is no
// part: one line and exit status 2.
func TestMergeRejectsBadParts(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, args ...string) string {
		r := threadsim(t, args...)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	p0 := write("p0.json", "explore", "inc", "--param", "n=3", "--shard", "0/2", "--json")
	p1 := write("p1.json", "explore", "inc", "--param", "n=3", "--shard", "1/2", "--json")
	other := write("other.json", "explore", "inc", "--param", "n=2", "--shard", "1/2", "--json")
	report := write("report.json", "explore", "inc", "--param", "n=3", "--json")
	data, err := os.ReadFile(p1)
	if err != nil {
		t.Fatal(err)
	}
	build := regexp.MustCompile(`"threadsim": "[^"]*"`)
	if !build.Match(data) {
		t.Fatalf("the part names no build:\n%s", data)
	}
	older := filepath.Join(dir, "older.json")
	if err := os.WriteFile(older, build.ReplaceAll(data, []byte(`"threadsim": "v0.0.1"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		files []string
		want  string
	}{
		{[]string{p0}, "shard 1 of 2 is missing"},
		{[]string{p0, p0}, "shard 0 of 2 given twice"},
		{[]string{p0, other}, "another search"},
		{[]string{p0, report}, "is not a part"},
		{[]string{p0, older}, "older.json was explored by threadsim v0.0.1, this merge is "},
		{nil, "missing part files"},
	} {
		r := threadsim(t, append([]string{"merge"}, c.files...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("merge %v: exit %d, stderr %q; want exit 2 and one line with %q", c.files, r.code, r.stderr, c.want)
		}
	}
	if r := threadsim(t, "merge", p1, p0); r.code != exitOK {
		t.Errorf("merge of both shards: exit %d: %s", r.code, r.stderr)
	}
	for _, bad := range []string{"2/2", "x", "1/0", "-1/3"} {
		if r := threadsim(t, "explore", "inc", "--shard", bad); r.code != exitUsage {
			t.Errorf("--shard %s: exit %d, want 2", bad, r.code)
		}
	}
}

// TestShardExamplesRun runs the explore command of the Kubernetes and
// GitHub Actions examples under testdata/shards, for every shard (at
// n=4 instead of 6, for time), merges the parts and checks the merged
// report against the single run's: the examples stay runnable.
func TestShardExamplesRun(t *testing.T) {
	for _, c := range []struct {
		file, index string
		shards      int
	}{{"k8s-indexed-job.yaml", "$JOB_COMPLETION_INDEX", 4}, {"github-actions-shards.yml", "${{ matrix.shard }}", 4}} {
		data, err := os.ReadFile(filepath.Join("testdata", "shards", c.file))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`threadsim explore ([^>#]*)--shard (\S+)/(\d+)([^>#]*)>`).FindStringSubmatch(
			strings.ReplaceAll(strings.ReplaceAll(strings.Join(strings.Fields(string(data)), " "), `"`, ""), c.index, "INDEX"))
		if m == nil || m[3] != fmt.Sprint(c.shards) {
			t.Fatalf("%s: no 'threadsim explore ... --shard INDEX/%d ... >' command", c.file, c.shards)
		}
		args := append([]string{"explore"}, strings.Fields(strings.ReplaceAll(m[1]+" "+m[4], "n=6", "n=4"))...)
		dir := t.TempDir()
		var files []string
		for i := range c.shards {
			r := threadsim(t, append(args, "--shard", fmt.Sprintf("%d/%d", i, c.shards))...)
			if r.code > 1 {
				t.Fatalf("%s shard %d: exit %d: %s", c.file, i, r.code, r.stderr)
			}
			files = append(files, filepath.Join(dir, fmt.Sprintf("part-%d.json", i)))
			if err := os.WriteFile(files[i], []byte(r.stdout), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		merged := threadsim(t, append([]string{"merge", "--json"}, files...)...)
		single := threadsim(t, append(args, "--workers", "1")...)
		if elapsedLine.ReplaceAllString(merged.stdout, "") != elapsedLine.ReplaceAllString(single.stdout, "") {
			t.Errorf("%s: merged report differs from the single run's:\n%s\n%s", c.file, merged.stdout, single.stdout)
		}
	}
}

// TestShardWarnsWhenItSplitsNothing: a shard of unbounded optimal DPOR
// runs the whole search, and says so on stderr; dfs's and bounded odpor's
// shards split the work and say nothing.
func TestShardWarnsWhenItSplitsNothing(t *testing.T) {
	const warning = "shards do not split unbounded optimal DPOR"
	for _, c := range []struct {
		args []string
		warn bool
	}{
		{[]string{"--strategy", "odpor"}, true},
		{[]string{"--strategy", "odpor", "--preemptions", "2"}, false},
		{[]string{"--strategy", "dfs"}, false},
	} {
		args := append([]string{"explore", "lastzero", "--param", "n=4", "--shard", "1/2"}, c.args...)
		r := threadsim(t, args...)
		if r.code != exitOK || strings.Contains(r.stderr, warning) != c.warn {
			t.Errorf("%s: exit %d, warned %v, want warned %v: %s", strings.Join(args[1:], " "), r.code,
				strings.Contains(r.stderr, warning), c.warn, r.stderr)
		}
	}
}
