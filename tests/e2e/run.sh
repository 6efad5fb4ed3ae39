#!/usr/bin/env bash
# Installs the web app's packages (from package-lock.json) if missing, builds it, and runs every
# end-to-end test file against a real regie (REGIE_BIN, default build/release/regie).
# Needs Node.js >= 18, /usr/bin/chromium and Debian's python3-caldav. For script/test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo/web"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
export REGIE_BIN="${REGIE_BIN:-$repo/build/release/regie}"
export REGIE_WEB_ROOT="${REGIE_WEB_ROOT:-$repo/web/dist}"
node --test --test-concurrency=1 "$here"/*.test.mjs
