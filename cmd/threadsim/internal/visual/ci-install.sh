#!/bin/sh
# Installs the headless browser that cmd/threadsim/internal/visual's
# TestBrowser needs (it fails under CI without one). Idempotent: does
# nothing when chromium is already on PATH.
set -eu
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
