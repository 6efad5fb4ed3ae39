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
  nsd ldnsutils iproute2 util-linux unzip
)
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
