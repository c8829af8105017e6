package python

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// prefaultScript forks from a process with a private mapping of 64
// written pages (the zygote): the first fork learns while writing pages
// 3-5 and 10, the second has them copied up front and reads its pagemap
// before touching anything: the learned pages must be its own already
// (present and exclusively mapped), page 20 still shared.
const prefaultScript = `
import mmap, os, struct, sys
sys.path.insert(0, sys.argv[1])
import tsrt_prefault as T
if not T.supported():
    print("unsupported"); sys.exit(0)
m = mmap.mmap(-1, 64 * 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for i in range(64):
    m[i * 4096] = 1
plan = T.Plan()
pid = os.fork()
if pid == 0:
    plan.forked()
    for i in (3, 4, 5, 10):
        m[i * 4096] = 2
    plan.learn()
    os._exit(0)
os.waitpid(pid, 0)
plan.take()
if plan.ranges is None:
    print("nothing learned"); sys.exit(1)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    copied = plan.forked()
    import ctypes
    start = ctypes.addressof(ctypes.c_char.from_buffer(m)) // 4096
    with open("/proc/self/pagemap", "rb") as pm:
        pm.seek(start * 8)
        e = struct.unpack("<64Q", pm.read(64 * 8))
    own = lambda i: bool(e[i] >> 63 & 1 and e[i] >> 56 & 1)
    os.write(w, ("%s %s %s" % (copied, [i for i in range(64) if own(i)], own(20))).encode())
    os._exit(0)
os.waitpid(pid, 0)
print(os.read(r, 4096).decode())
`

// TestPrefaultCopiesTheLearnedPages: an execution's process has the pages
// the first execution wrote copied before it runs (tsrt_prefault.py).
func TestPrefaultCopiesTheLearnedPages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pagemap and process_madvise are Linux's")
	}
	py, err := FindInterpreter("")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := extractRuntime()
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	out, err := exec.Command(py.Path, "-S", "-c", prefaultScript, dir).CombinedOutput()
	got := strings.TrimSpace(string(out))
	if err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	switch {
	case got == "unsupported":
		t.Skip("no process_madvise here")
	case strings.HasPrefix(got, "-1 "):
		t.Skipf("this kernel cannot populate another range of the process itself (Linux 6.13 or newer can): %s", got)
	case !strings.HasSuffix(got, " [3, 4, 5, 10] False"):
		t.Errorf("pages of the second fork's own before it wrote any, and whether page 20 was: %s; want bytes copied, [3, 4, 5, 10] and False", got)
	}
}
