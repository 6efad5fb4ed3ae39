#!/usr/bin/env bash
# Load: CONNECTIONS (default 1,000) concurrent keep-alive connections of a mixed WebDAV, CalDAV
# and CardDAV load (bench/wrk/mixed_dav.lua over data seeded by bench/wrk/seed.py) against the
# release binary for DURATION seconds (default 60), RUNS times (default 1). Regie runs durable,
# authenticated and with its access log on, pinned to core 0; wrk runs on core 1. Prints each
# run's requests per second, errors, p50/p90/p99 latency and the server's peak resident memory,
# then the medians. A failed request fails the script. The 15-second form of the same load is
# tests/integration/60-robustness/test_load_wrk.py.
#
# Usage: bench/load.sh [DURATION] [RUNS] [CONNECTIONS]
set -euo pipefail
source "$(dirname "$0")/../script/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
cd "$REGIE_ROOT"
DURATION=${1:-60}
RUNS=${2:-1}
CONNECTIONS=${3:-1000}
ensure_packages "${REGIE_BUILD_PACKAGES[@]}" "${REGIE_BENCH_PACKAGES[@]}" curl python3-requests
script/build >/dev/null
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((CONNECTIONS + 100)) ] || { echo "open-file limit too low for $CONNECTIONS connections"; exit 2; }

bench_scratch
port=$(free_port)
password=bench-password-1
REGIE_ADMIN_PASSWORD=$password taskset -c 0 build/release/regie serve \
  --listen "127.0.0.1:$port" --data "$work/regie-data" >"$work/access.log" 2>"$work/regie.err" &
pids+=($!)
regie_pid=$!
wait_http "http://127.0.0.1:$port/readyz"
echo "==> regie $(build/release/regie version) on core 0; effective configuration:"
build/release/regie config check --data "$work/regie-data" | sed 's/^/    /'
/usr/bin/python3 bench/wrk/seed.py "http://127.0.0.1:$port" admin "$password" 100 200 100
echo "==> wrk on core 1: $CONNECTIONS connections, 2 threads, ${DURATION}s, bench/wrk/mixed_dav.lua"

results=()
for run in $(seq 1 "$RUNS"); do
  out=$(REGIE_LOAD_USER=admin REGIE_LOAD_PASSWORD=$password taskset -c 1 wrk -t2 \
    "-c$CONNECTIONS" "-d${DURATION}s" --timeout 10s --latency -s bench/wrk/mixed_dav.lua \
    "http://127.0.0.1:$port")
  line=$(grep '^regie-load ' <<<"$out" | cut -d' ' -f2-)
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$regie_pid/status")
  summary=$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
errors = sum(r[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "bad_status"))
rps = r["requests"] / r["duration_us"] * 1e6
print("%.0f %d %.1f %.1f %.1f" % (rps, errors, r["p50_us"] / 1e3, r["p90_us"] / 1e3, r["p99_us"] / 1e3))' "$line")
  read -r rps errors p50 p90 p99 <<<"$summary"
  echo "run $run: $rps req/s, $errors failed, p50 $p50 ms, p90 $p90 ms, p99 $p99 ms, peak RSS $((hwm / 1024)) MiB"
  results+=("$rps $p50 $p99")
  if [ "$errors" -ne 0 ]; then echo "$out"; exit 1; fi
done
echo "==> medians of $RUNS: $(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median) req/s," \
  "p50 $(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median) ms," \
  "p99 $(printf '%s\n' "${results[@]}" | cut -d' ' -f3 | median) ms"
