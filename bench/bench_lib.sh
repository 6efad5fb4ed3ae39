# Shared by the benchmarks: a scratch folder that goes away at exit together with every server
# the script started (by PID), free loopback ports, medians. Source it after script/lib.sh.
# shellcheck shell=bash

# Makes $work (world-readable: nginx and Apache workers run as www-data) and the exit trap.
bench_scratch() {
  work=$(mktemp -d /var/tmp/regie-bench.XXXXXX)
  chmod 755 "$work"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 1000); do curl -s -o /dev/null "$1" && return 0; sleep 0.01; done; return 1; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
