# Shared by the scripts in script/: package lists and helpers. Source it; do not run it.
# shellcheck shell=bash

REGIE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian 12 packages, by purpose. Boost comes as the versioned 1.81 packages: the unversioned
# libboost-dev is 1.74 and conflicts.
REGIE_BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libsodium-dev libexpected-dev libfmt-dev libspdlog-dev
  libcli11-dev libtoml11-dev libexpat1-dev libutf8proc-dev libical-dev
  libunbound-dev dns-root-data libarchive-dev
)
REGIE_TEST_PACKAGES=(
  libgtest-dev python3 python3-pytest python3-requests curl strace openssl clang-format-14
  litmus cadaver rclone davfs2 clang-tidy-16 python3-caldav vdirsyncer khal
  nsd ldnsutils iproute2 util-linux unzip wrk
)
# The web workplace is built with Node.js and npm (build time only; Debian 12's nodejs 18 or
# newer), and its end-to-end tests drive Debian's Chromium.
REGIE_WEB_PACKAGES=(nodejs npm)
REGIE_E2E_PACKAGES=(chromium fonts-dejavu-core python3-caldav)
# The libFuzzer targets (script/fuzz) build with clang 14 and its fuzzer runtime.
REGIE_FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)
REGIE_BENCH_PACKAGES=(wrk nginx-extras apache2 rclone util-linux radicale xandikos cyrus-imapd cyrus-caldav cyrus-admin sasl2-bin)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs whichever of the given Debian packages are missing (apt-get update only if needed).
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Node.js and npm: Debian's packages unless a Node.js with npm is already installed (a
# distribution of Node.js that bundles npm conflicts with Debian's npm package).
ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return 0; fi
  ensure_packages "${REGIE_WEB_PACKAGES[@]}"
}

# Builds the web workplace into web/dist (npm ci when the lock file changed). CMake copies it
# beside the binary (build/<preset>/share/regie/web), where `regie serve` finds it.
build_web() {
  [ -f "$REGIE_ROOT/web/package.json" ] || return 0
  ensure_node
  (
    cd "$REGIE_ROOT/web"
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error
    fi
    npm run --silent build
  )
}

# Runs a named stage and prints how long it took.
stage() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "==> $name"
  "$@"
  local rc=$?
  echo "==> $name: $((SECONDS - start))s (exit $rc)"
  return $rc
}

# Configures (if needed) and builds a CMake preset.
build_preset() {
  local preset="$1"
  shift
  cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" "$@"
}
