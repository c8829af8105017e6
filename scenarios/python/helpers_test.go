package python

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/explore"
	"github.com/threadsim/threadsim/sched"
)

// article returns a program of testdata/python, with a check of
// testdata/python/checks.py ("" for none).
func article(t *testing.T, name, check string) *Program {
	t.Helper()
	if check != "" {
		check = filepath.Join("..", "..", "testdata", "python", "checks.py") + ":" + check
	}
	return load(t, filepath.Join("..", "..", "testdata", "python", name), check)
}

// load loads a program; CI installs python3, so its absence fails.
func load(t *testing.T, path, check string) *Program {
	t.Helper()
	p, err := Load(path, "", check)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	t.Cleanup(p.Close)
	return p
}

// source writes a program into a temporary directory and loads it.
func source(t *testing.T, src string) *Program {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prog.py")
	if err := os.WriteFile(path, []byte(strings.TrimLeft(src, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, path, "")
}

func model(p *Program) explore.Model {
	return explore.Model{Name: p.Name(), Params: p.Params(), Program: p.Build()}
}

// search explores p.
func search(t *testing.T, p *Program, cfg explore.Config) *explore.Report {
	t.Helper()
	if cfg.Preemptions == 0 {
		cfg.Preemptions = explore.Unbounded
	}
	cfg.Workers = 1
	rep, err := explore.Explore(context.Background(), model(p), cfg)
	if err != nil {
		t.Fatalf("Explore(%s): %v", p.Path, err)
	}
	return rep
}

// runOnce runs one execution of p under a seeded random schedule.
func runOnce(p *Program, seed uint64) *sched.Result {
	s := sched.New(sched.Options{Detail: true})
	defer s.Close()
	return s.Run(p.Build(), sched.NewRandomChooser(seed)).Clone()
}

func failure(rep *explore.Report, k sched.Kind) *explore.FailureReport {
	for i := range rep.Failures {
		if rep.Failures[i].Kind == k {
			return &rep.Failures[i]
		}
	}
	return nil
}

func outcomes(rep *explore.Report) []string {
	var out []string
	for _, o := range rep.Outcomes {
		out = append(out, o.Outcome)
	}
	return out
}
