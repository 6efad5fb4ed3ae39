#!/usr/bin/env bash
# WebDAV side by side: Regie, nginx-extras (dav + dav_ext), Apache mod_dav and `rclone serve
# webdav`, on loopback with the same workloads in one run. Each server is pinned to core 0, the
# load generators to core 1; each server's configuration is printed. Prints the median of RUNS
# runs (default 5) per workload and Regie's ratio to each server:
#   PUT 2,000 files of 4 KiB, sequential and 16 in parallel (files/s);
#   PROPFIND Depth 1 on a folder of 2,000 entries (requests/s and p99 latency; wrk, 16 conns);
#   GET of a 4 KiB file (requests/s; wrk, 64 conns);
#   PUT and GET of a 1 GiB file (MB/s);
#   fsyncs per PUT (strace over 200 PUTs) and each server's peak resident memory.
# Regie runs durable (fsync before 201) and with Basic authentication; the others as configured
# below (none of them fsyncs).
#
# Usage: bench/webdav.sh [RUNS] [DURATION]
set -euo pipefail
source "$(dirname "$0")/../script/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
cd "$REGIE_ROOT"
RUNS=${1:-5}
DURATION=${2:-5}
ensure_packages "${REGIE_BUILD_PACKAGES[@]}" "${REGIE_BENCH_PACKAGES[@]}" curl strace
script/build >/dev/null

bench_scratch
password=bench-password-1
declare -A url pid

# --- Regie: durable store, Basic authentication, access log to a file.
port=$(free_port)
REGIE_ADMIN_PASSWORD=$password taskset -c 0 build/release/regie serve --listen "127.0.0.1:$port" \
  --data "$work/regie-data" >"$work/regie-access.log" 2>"$work/regie.err" &
pids+=($!); pid[regie]=$!
url[regie]="http://admin:$password@127.0.0.1:$port/dav/files/admin"
wait_http "http://127.0.0.1:$port/readyz"

# --- nginx-extras: dav_methods and dav_ext, one worker, sendfile, access log.
port=$(free_port)
mkdir -p "$work/nginx/root" "$work/nginx/tmp" && chmod 777 "$work/nginx/root" "$work/nginx/tmp"
cat > "$work/nginx/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  sendfile on;
  keepalive_requests 1000000;
  client_max_body_size 0;
  client_body_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/nginx/root;
    dav_methods PUT DELETE MKCOL COPY MOVE;
    dav_ext_methods PROPFIND OPTIONS;
    create_full_put_path on;
  }
}
CONF
taskset -c 0 nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
pids+=($!); pid[nginx]=$!
url[nginx]="http://127.0.0.1:$port"
wait_http "${url[nginx]}/"

# --- Apache 2.4 mod_dav + mod_dav_fs: event MPM, one process of 64 threads, sendfile, access log.
port=$(free_port)
mkdir -p "$work/apache/root" "$work/apache/lock" && chmod 777 "$work/apache/root" "$work/apache/lock"
mods=/usr/lib/apache2/modules
cat > "$work/apache/httpd.conf" <<CONF
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule dav_module $mods/mod_dav.so
LoadModule dav_fs_module $mods/mod_dav_fs.so
ServerName localhost
Listen 127.0.0.1:$port
PidFile $work/apache/httpd.pid
ErrorLog $work/apache/error.log
LogFormat "%h %l %u %t \"%r\" %>s %b" common
CustomLog $work/apache/access.log common
User www-data
Group www-data
StartServers 1
ServerLimit 1
ThreadsPerChild 64
MaxRequestWorkers 64
KeepAliveTimeout 60
MaxKeepAliveRequests 0
EnableSendfile On
DocumentRoot $work/apache/root
DavLockDB $work/apache/lock/DavLock
<Directory $work/apache/root>
  Dav On
  Require all granted
</Directory>
CONF
taskset -c 0 apache2 -f "$work/apache/httpd.conf" -DFOREGROUND &
pids+=($!); pid[apache]=$!
url[apache]="http://127.0.0.1:$port"
wait_http "${url[apache]}/"

# --- rclone serve webdav on a plain directory.
port=$(free_port)
mkdir -p "$work/rclone/root"
taskset -c 0 rclone serve webdav "$work/rclone/root" --addr "127.0.0.1:$port" --config /dev/null \
  2>"$work/rclone/err.log" &
pids+=($!); pid[rclone]=$!
url[rclone]="http://127.0.0.1:$port"
wait_http "${url[rclone]}/"

servers=(regie nginx apache rclone)
load() { taskset -c 1 python3 bench/dav_load.py "$@"; }
mkcol() { curl -sf -X MKCOL "$1/" -o /dev/null; }
# Resident memory of a server: its own process and its children (nginx and Apache workers).
tree_hwm_kib() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

echo "== configuration"
echo "machine: $(nproc) cores; servers pinned to core 0, load generators to core 1; $RUNS runs"
echo "regie $(build/release/regie version | cut -d' ' -f2): SQLite (WAL, group commit) + local blobs (files up to 8 KiB inline in SQLite), durable before every 201/204, Basic auth, access log to a file"
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///') (nginx-extras): no auth, no fsync"; sed 's/^/  /' "$work/nginx/nginx.conf"
echo "apache $(apache2 -v | sed -n 's/.*Apache\///p' | cut -d' ' -f1): no auth, no fsync"; sed 's/^/  /' "$work/apache/httpd.conf"
echo "rclone $(rclone version | head -1 | cut -d' ' -f2): serve webdav, no auth, no fsync"

head -c 1073741824 /dev/urandom > "$work/big.bin"
curl -sf -T "$work/big.bin" "${url[regie]}/warm.bin" -o /dev/null  # Page cache and first blob.
curl -sf -X DELETE "${url[regie]}/warm.bin"
for s in "${servers[@]}"; do
  head -c 4096 /dev/urandom > "$work/small.bin"
  curl -sf -T "$work/small.bin" "${url[$s]}/small.bin" -o /dev/null
  mkcol "${url[$s]}/listing"
  load put "${url[$s]}/listing/" 2000 4096 1 >/dev/null
done

declare -A results
record() { results["$1,$2"]+="$3 "; }
propfind_lua="$work/propfind.lua"
cat > "$propfind_lua" <<'LUA'
wrk.method = "PROPFIND"
wrk.headers["Depth"] = "1"
wrk.headers["Content-Type"] = "application/xml"
wrk.body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/></d:prop></d:propfind>'
LUA
# wrk does not read credentials from URLs: Regie's go in a header.
declare -A wrk_header=([regie]="Authorization: Basic $(printf 'admin:%s' "$password" | base64)"
  [nginx]="X-Bench: 1" [apache]="X-Bench: 1" [rclone]="X-Bench: 1")
plain_url() { echo "${url[$1]}" | sed 's#//[^@/]*@#//#'; }

for run in $(seq 1 "$RUNS"); do
  for s in "${servers[@]}"; do
    mkcol "${url[$s]}/seq$run"; mkcol "${url[$s]}/par$run"
    record "$s" put_seq "$(load put "${url[$s]}/seq$run/" 2000 4096 1)"
    record "$s" put_par "$(load put "${url[$s]}/par$run/" 2000 4096 16)"
    out=$(taskset -c 1 wrk -t1 -c16 -d"${DURATION}s" --latency -s "$propfind_lua" \
      -H "${wrk_header[$s]}" "$(plain_url "$s")/listing/")
    record "$s" propfind "$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    record "$s" propfind_p99 "$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")"
    out=$(taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" -H "${wrk_header[$s]}" "$(plain_url "$s")/small.bin")
    record "$s" get "$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    record "$s" bigput "$(load bigput "${url[$s]}/big.bin" "$work/big.bin")"
    record "$s" bigget "$(load bigget "${url[$s]}/big.bin")"
    curl -sf -X DELETE "${url[$s]}/big.bin" -o /dev/null
    curl -sf -X DELETE "${url[$s]}/seq$run/" -o /dev/null; curl -sf -X DELETE "${url[$s]}/par$run/" -o /dev/null
  done
  echo "run $run of $RUNS done"
done

for s in "${servers[@]}"; do
  mkcol "${url[$s]}/traced"
  strace -f -qq -c -e trace=fsync,fdatasync,sync_file_range,syncfs -o "$work/strace-$s.txt" -p "${pid[$s]}" \
    $(pgrep -P "${pid[$s]}" | sed 's/^/-p /') &
  tracer=$!
  sleep 1
  load put "${url[$s]}/traced/" 200 4096 1 >/dev/null
  sleep 0.5
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  syncs=$(awk '$NF ~ /^(fsync|fdatasync|sync_file_range|syncfs)$/ {n += $4} END {print n + 0}' "$work/strace-$s.txt")
  results["$s,fsyncs"]=$(awk -v n="$syncs" 'BEGIN {printf "%.1f", n / 200}')
  results["$s,hwm"]=$(( $(tree_hwm_kib "${pid[$s]}") / 1024 ))
done

med() { tr ' ' '\n' <<<"${results[$1,$2]}" | grep -v '^$' | median; }
echo "== results (medians of $RUNS runs)"
printf '%-28s %10s %10s %10s %10s   %s\n' workload regie nginx apache rclone "regie/nginx regie/apache regie/rclone"
row() {
  local key=$1 label=$2 lower_is_better=${3:-0} r n a c
  r=$(med regie "$key"); n=$(med nginx "$key"); a=$(med apache "$key"); c=$(med rclone "$key")
  printf '%-28s %10s %10s %10s %10s   ' "$label" "$r" "$n" "$a" "$c"
  awk -v r="$r" -v n="$n" -v a="$a" -v c="$c" -v low="$lower_is_better" 'BEGIN {
    f = low ? 1 : 0
    printf "%.2f %.2f %.2f\n", (f ? n / r : r / n), (f ? a / r : r / a), (f ? c / r : r / c) }'
}
row put_seq "PUT 4KiB sequential files/s"
row put_par "PUT 4KiB x16 files/s"
row propfind "PROPFIND D1 2000 req/s"
row propfind_p99 "PROPFIND D1 p99 ms" 1
row get "GET 4KiB (64 conn) req/s"
row bigput "PUT 1 GiB MB/s"
row bigget "GET 1 GiB MB/s"
printf '%-28s %10s %10s %10s %10s\n' "fsyncs per PUT" "${results[regie,fsyncs]}" "${results[nginx,fsyncs]}" "${results[apache,fsyncs]}" "${results[rclone,fsyncs]}"
printf '%-28s %10s %10s %10s %10s\n' "peak RSS MiB" "${results[regie,hwm]}" "${results[nginx,hwm]}" "${results[apache,hwm]}" "${results[rclone,hwm]}"
echo "(ratios are regie/other for rates and other/regie for latency: above 1 means Regie is ahead)"
