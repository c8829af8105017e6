//go:build unix

package visual

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHungBrowserIsKilled runs a fake browser that never exits and whose
// child holds its output open: runBrowser must return soon after its
// context ends, having killed both.
func TestHungBrowserIsKilled(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "chromium")
	script := "#!/bin/sh\nsleep 600 &\nsleep 600\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := runBrowser(ctx, fake, t.TempDir(), "--dump-dom", "file:///nowhere.html")
	if err == nil {
		t.Fatal("a browser that never exits reported success")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("runBrowser returned %v after its context ended: the process group was not killed", d)
	}
}
