package visual

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/threadsim/threadsim/sched"
)

// browserTimeout bounds one browser run: a hung browser fails the test
// instead of hanging it.
const browserTimeout = 2 * time.Minute

// waitDelay is how long a browser's output pipes may stay open after the
// browser is killed (a helper process that escaped the kill holds them).
const waitDelay = 10 * time.Second

// chromium returns the headless browser to test with. Without one the test
// is skipped, except under CI, where it fails: CI must install it with
// ci-install.sh.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	missing(t, "no chromium binary was found")
	return ""
}

// missing skips the test for want of a tool, or fails it under CI, which
// must have installed every tool with ci-install.sh.
func missing(t *testing.T, what string) {
	t.Helper()
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatalf("CI is set but %s: run cmd/threadsim/internal/visual/ci-install.sh first", what)
	}
	t.Skipf("%s (install it with cmd/threadsim/internal/visual/ci-install.sh): skipping the real-browser test", what)
}

// browse runs headless chromium on a fresh profile with extra arguments
// and returns its standard output.
func browse(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	out, err := runBrowser(ctx, bin, t.TempDir(), args...)
	if err != nil {
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	return out
}

// runBrowser runs bin headless with profile as its user data directory
// until it exits or ctx ends; then the browser and every process it
// started are killed, and runBrowser returns within waitDelay.
func runBrowser(ctx context.Context, bin, profile string, args ...string) ([]byte, error) {
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	killGroup(cmd)
	cmd.WaitDelay = waitDelay
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w (context: %v)\nstderr:\n%s", err, ctx.Err(), stderr.String())
	}
	return stdout.Bytes(), nil
}

// artifacts returns the directory screenshots are kept in: $VISUAL_ARTIFACTS
// if set, else a fresh temporary directory that outlives the test.
func artifacts(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("VISUAL_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dir, err := os.MkdirTemp("", "threadsim-visual-")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	laneRE   = regexp.MustCompile(`<th class="lane\b`)
	stepRE   = regexp.MustCompile(`<div class="step\b[^"]*"[^>]* data-step="\d+"`)
	readyRE  = regexp.MustCompile(`<body[^>]* data-ready="true"`)
	linkRE   = regexp.MustCompile(`<path class="race-link"`)
	detailRE = regexp.MustCompile(`id="details"[^>]* data-step="(\d+)"`)
)

// TestBrowser opens each example in headless Chromium: after the scripts
// ran, the DOM has a lane per thread and the clock, a card per step, a line
// joining the sides of each race, and the details panel of the step a link
// points to. It keeps a screenshot of each page.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	dir := artifacts(t)
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			r, html, _ := render(t, ex)
			page := filepath.Join(dir, ex.name+".html")
			if err := os.WriteFile(page, html, 0o644); err != nil {
				t.Fatal(err)
			}
			last := len(r.Trace) - 1
			dom := browse(t, bin, "--dump-dom", "file://"+page+"#step="+strconv.Itoa(last))
			checkDOM(t, dom, len(r.Threads)+1, len(r.Trace), len(r.Races), last)
			shot := filepath.Join(dir, ex.name+".png")
			browse(t, bin, "--screenshot="+shot, "--window-size=1400,1000", "--hide-scrollbars", "file://"+page)
			checkPNG(t, shot, 1400, 1000)
			t.Logf("screenshot: %s (page %s)", shot, page)
			if step := focus(r); step >= 0 {
				shot = filepath.Join(dir, ex.name+"-focus.png")
				browse(t, bin, "--screenshot="+shot, "--window-size=1400,1000", "--hide-scrollbars", "file://"+page+"#step="+strconv.Itoa(step))
				checkPNG(t, shot, 1400, 1000)
				t.Logf("screenshot at step %d: %s", step, shot)
			}
		})
	}
}

// focus returns the step a reader looks at first: the first side of the
// first race, else the last step, or -1 for an execution without either.
func focus(r *sched.Result) int {
	switch {
	case len(r.Races) > 0:
		return r.Races[0].First.Step
	case r.Failure != nil && len(r.Trace) > 0:
		return len(r.Trace) - 1
	}
	return -1
}

// checkDOM checks a DOM dumped after the page's scripts ran.
func checkDOM(t *testing.T, dom []byte, lanes, steps, races, linked int) {
	t.Helper()
	if !readyRE.Match(dom) {
		t.Fatalf("the page's script did not finish: no data-ready on body in\n%.2000s", dom)
	}
	if n := len(laneRE.FindAll(dom, -1)); n != lanes {
		t.Errorf("%d lanes in the DOM, want %d (threads and the clock)", n, lanes)
	}
	if n := len(stepRE.FindAll(dom, -1)); n != steps {
		t.Errorf("%d steps in the DOM, want %d", n, steps)
	}
	if n := len(linkRE.FindAll(dom, -1)); n != races {
		t.Errorf("%d race links drawn, want %d", n, races)
	}
	m := detailRE.FindSubmatch(dom)
	if m == nil || string(m[1]) != strconv.Itoa(linked) {
		t.Errorf("details panel shows step %q, want the linked step %d", m, linked)
	}
}

// checkPNG checks that path is a PNG of the given size.
func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if cfg.Width != w || cfg.Height != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", cfg.Width, cfg.Height, w, h)
	}
}
