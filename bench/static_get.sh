#!/usr/bin/env bash
# Serves the same 4 KiB file from Regie (durable store, Basic authentication on, access log on)
# and from nginx (static file, access log on) on loopback, one core each for the server (core 0)
# and for wrk (core 1), 64 keep-alive connections, and prints the ratio of the medians of
# RUNS runs (default 5) of DURATION seconds (default 5). Also prints Regie's idle resident
# memory and its time from start to /readyz answering 200.
#
# Usage: bench/static_get.sh [RUNS] [DURATION]
set -euo pipefail
source "$(dirname "$0")/../script/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
cd "$REGIE_ROOT"
RUNS=${1:-5}
DURATION=${2:-5}
ensure_packages "${REGIE_BUILD_PACKAGES[@]}" "${REGIE_BENCH_PACKAGES[@]}" curl
script/build >/dev/null

bench_scratch
head -c 4096 /dev/urandom > "$work/file.bin"
chmod 644 "$work/file.bin"

# --- Regie
regie_port=$(free_port)
password=bench-password-1
start_ns=$(date +%s%N)
REGIE_ADMIN_PASSWORD=$password taskset -c 0 build/release/regie serve \
  --listen "127.0.0.1:$regie_port" --data "$work/regie-data" >"$work/regie-access.log" 2>"$work/regie.err" &
pids+=($!)
regie_pid=$!
for _ in $(seq 1 1000); do
  curl -sf "http://127.0.0.1:$regie_port/readyz" >/dev/null 2>&1 && break
  sleep 0.002
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 0.5
idle_rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$regie_pid/status")
curl -sf -u "admin:$password" -T "$work/file.bin" "http://127.0.0.1:$regie_port/dav/files/admin/file.bin" >/dev/null
auth="Authorization: Basic $(printf 'admin:%s' "$password" | base64)"
regie_url="http://127.0.0.1:$regie_port/dav/files/admin/file.bin"
cmp <(curl -sf -H "$auth" "$regie_url") "$work/file.bin"

# --- nginx
nginx_port=$(free_port)
mkdir -p "$work/nginx/root" && cp "$work/file.bin" "$work/nginx/root/"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/root;
  }
}
CONF
taskset -c 0 nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 500); do curl -sf "http://127.0.0.1:$nginx_port/file.bin" >/dev/null 2>&1 && break; sleep 0.01; done
cmp <(curl -sf "http://127.0.0.1:$nginx_port/file.bin") "$work/file.bin"

echo "== configuration"
echo "machine: $(nproc) cores; server pinned to core 0, wrk to core 1; ${RUNS} runs x ${DURATION}s; wrk -t1 -c64"
echo "regie $(build/release/regie version | cut -d' ' -f2): embedded SQLite (WAL, group commit) + local blobs (small files inline), Basic auth (login cache), access log to a file, defaults otherwise"
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'):"; sed 's/^/  /' "$work/nginx/nginx.conf"

rps() {  # prints requests/second of one wrk run
  taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'
}
regie_runs=()
nginx_runs=()
for i in $(seq 1 "$RUNS"); do
  regie_runs+=("$(rps -H "$auth" "$regie_url")")
  nginx_runs+=("$(rps "http://127.0.0.1:$nginx_port/file.bin")")
  echo "run $i: regie ${regie_runs[-1]} req/s, nginx ${nginx_runs[-1]} req/s"
done
regie_median=$(printf '%s\n' "${regie_runs[@]}" | median)
nginx_median=$(printf '%s\n' "${nginx_runs[@]}" | median)
echo "== results (4 KiB GET, 64 connections)"
echo "regie median: $regie_median req/s"
echo "nginx median: $nginx_median req/s"
awk -v r="$regie_median" -v n="$nginx_median" 'BEGIN {printf "ratio regie/nginx: %.2f (goal >= 0.70)\n", r/n}'
echo "regie idle RSS: $((idle_rss_kib / 1024)) MiB ($idle_rss_kib KiB; goal < 20 MiB)"
echo "regie start to /readyz 200: ${ready_ms} ms (goal < 200 ms; includes first-start account creation)"
grep -q " 200 " "$work/regie-access.log" || { echo "regie access log has no 200 lines"; exit 1; }
