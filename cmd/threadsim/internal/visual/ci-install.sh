#!/bin/sh
# Installs what cmd/threadsim/internal/visual's browser tests need; under
# CI they fail without it. Idempotent: installs only what is missing.
#   - Debian's chromium, the headless browser (TestBrowser and
#     TestMermaidRendersInBrowser);
#   - Mermaid's browser bundle from the npm registry, into the user cache
#     directory where TestMermaidRendersInBrowser looks for it (keep the
#     version in step with mermaidVersion in mermaid_browser_test.go).
set -eu
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
mermaid_version=11.17.2
dir="${XDG_CACHE_HOME:-${HOME:?HOME must be set}/.cache}/threadsim/mermaid-$mermaid_version"
if [ ! -f "$dir/node_modules/mermaid/dist/mermaid.min.js" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --omit=dev "mermaid@$mermaid_version"
fi
