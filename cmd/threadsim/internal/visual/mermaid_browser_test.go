package visual

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/threadsim/threadsim/sched"
)

// mermaidVersion is the Mermaid release ci-install.sh installs; GitHub
// renders pull requests with a Mermaid 11 too.
const mermaidVersion = "11.17.2"

// mermaidJS returns Mermaid's browser bundle: $MERMAID_JS, or where
// ci-install.sh puts it, under the user cache directory.
func mermaidJS(t *testing.T) string {
	t.Helper()
	path := os.Getenv("MERMAID_JS")
	if path == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			missing(t, "no user cache directory to find Mermaid in")
		}
		path = filepath.Join(cache, "threadsim", "mermaid-"+mermaidVersion, "node_modules", "mermaid", "dist", "mermaid.min.js")
	}
	if _, err := os.Stat(path); err != nil {
		missing(t, "Mermaid's browser bundle was not found at "+path)
	}
	return path
}

// mermaidPage is a page that parses and renders each diagram with Mermaid
// and reports, per diagram, p.ok or p.err with the parser's message.
const mermaidPage = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="out"></div><div id="svgs"></div>
<script src="%s"></script>
<script>
mermaid.initialize({startOnLoad: false});
var diagrams = %s;
(async function () {
  var out = document.getElementById("out");
  for (var name in diagrams) {
    var p = document.createElement("p");
    p.setAttribute("data-name", name);
    try {
      var r = await mermaid.render("d-" + name, diagrams[name]);
      document.getElementById("svgs").insertAdjacentHTML("beforeend", "<h2>" + name + "</h2>" + r.svg);
      p.className = "ok";
    } catch (e) {
      p.className = "err";
      p.textContent = e.message;
    }
    out.appendChild(p);
  }
  document.body.setAttribute("data-ready", "true");
})();
</script></body></html>`

var mermaidResultRE = regexp.MustCompile(`<p data-name="([^"]+)" class="(ok|err)">([^<]*)`)

// TestMermaidRendersInBrowser renders each example's diagram with the real
// Mermaid in headless Chromium: every diagram must parse and render. It
// keeps a screenshot of the rendered diagrams.
func TestMermaidRendersInBrowser(t *testing.T) {
	bin, js := chromium(t), mermaidJS(t)
	diagrams := map[string]string{}
	for _, ex := range examples {
		_, _, mmd := render(t, ex)
		diagrams[ex.name] = string(mmd)
	}
	diagrams["escaping"] = mustMermaid(t, run(hostile))
	src, err := json.Marshal(diagrams) // escapes <, > and &: safe in a script
	if err != nil {
		t.Fatal(err)
	}
	dir := artifacts(t)
	page := filepath.Join(dir, "mermaid.html")
	html := fmt.Sprintf(mermaidPage, "file://"+js, src)
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := browse(t, bin, "--virtual-time-budget=60000", "--dump-dom", "file://"+page)
	results := mermaidResultRE.FindAllSubmatch(dom, -1)
	if len(results) != len(diagrams) {
		t.Fatalf("Mermaid reported on %d diagrams of %d:\n%.3000s", len(results), len(diagrams), dom)
	}
	for _, m := range results {
		if string(m[2]) != "ok" {
			t.Errorf("Mermaid rejects the %s diagram: %s\n%s", m[1], m[3], diagrams[string(m[1])])
		}
	}
	shot := filepath.Join(dir, "mermaid.png")
	browse(t, bin, "--virtual-time-budget=60000", "--screenshot="+shot, "--window-size=1400,1000", "file://"+page)
	t.Logf("Mermaid screenshot: %s", shot)
}

// mustMermaid returns r's diagram.
func mustMermaid(t *testing.T, r *sched.Result) string {
	t.Helper()
	var b strings.Builder
	if err := WriteMermaid(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
