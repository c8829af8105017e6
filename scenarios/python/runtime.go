package python

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// runtimeFS is the Python runtime, standard library only.
//
//go:embed runtime/*.py
var runtimeFS embed.FS

var runtimeDir struct {
	once sync.Once
	path string
	err  error
}

// extractRuntime writes the runtime once per version into a directory of
// the temporary directory named by its digest, and returns the server
// script's path.
func extractRuntime() (string, error) {
	runtimeDir.once.Do(func() {
		runtimeDir.path, runtimeDir.err = writeRuntime()
	})
	return runtimeDir.path, runtimeDir.err
}

func writeRuntime() (string, error) {
	files, err := fs.Glob(runtimeFS, "runtime/*.py")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	contents := make([][]byte, len(files))
	for i, f := range files {
		if contents[i], err = runtimeFS.ReadFile(f); err != nil {
			return "", err
		}
		h.Write([]byte(f))
		h.Write(contents[i])
	}
	dir := filepath.Join(os.TempDir(), "threadsim-py-"+hex.EncodeToString(h.Sum(nil))[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("writing the Python runtime: %w", err)
	}
	for i, f := range files {
		dst := filepath.Join(dir, filepath.Base(f))
		if old, err := os.ReadFile(dst); err == nil && string(old) == string(contents[i]) {
			continue
		}
		tmp := dst + fmt.Sprintf(".%d.tmp", os.Getpid())
		if err := os.WriteFile(tmp, contents[i], 0o644); err != nil {
			return "", fmt.Errorf("writing the Python runtime: %w", err)
		}
		if err := os.Rename(tmp, dst); err != nil {
			return "", fmt.Errorf("writing the Python runtime: %w", err)
		}
	}
	return filepath.Join(dir, "tsrt_server.py"), nil
}
