#!/usr/bin/env bash
# The autonomy audit at batch scale: DOMAINS (default 1000) synthetic domains under .test, each
# its own zone on NSD (MX, SPF, DKIM, DMARC, verification TXT, autodiscover CNAME, A records spread
# over 127.0.0.0/8) plus a fake origin.asn.cymru.com, and a web server on port 80 with a home
# page that loads third-party resources. Everything runs inside `unshare --net` with only
# loopback. Prints the wall time of `regie audit --batch` for each --concurrency given, checks
# that every domain was audited (no error) with the expected findings, and exits 1 otherwise.
#
# Usage: bench/audit.sh [CONCURRENCY...]      (default: 16 64)
# Environment: REGIE_BENCH_DOMAINS (1000), REGIE_BENCH_WEB (1: fetch home pages; 0: --no-web),
# REGIE_BIN (default: script/build, then build/release/regie).
set -euo pipefail
source "$(dirname "$0")/../script/lib.sh"
cd "$REGIE_ROOT"
DOMAINS=${REGIE_BENCH_DOMAINS:-1000}
WEB=${REGIE_BENCH_WEB:-1}
[ $# -gt 0 ] || set -- 16 64
if [ -z "${REGIE_AUDIT_BENCH_INNER:-}" ]; then
  ensure_packages nsd ldnsutils util-linux iproute2 python3
  if [ -z "${REGIE_BIN:-}" ]; then
    script/build >/dev/null
    REGIE_BIN="$REGIE_ROOT/build/release/regie"
  fi
  export REGIE_BIN REGIE_AUDIT_BENCH_INNER=1
  exec unshare --net -- "$0" "$@"
fi

ip link set lo up
work=$(mktemp -d /var/tmp/regie-audit-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=5300

{
  cat <<CONF
server:
  ip-address: 127.0.0.1
  port: $port
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$work"
  zonelistfile: "$work/zone.list"
  xfrdfile: "$work/xfrd.state"
  pidfile: "$work/nsd.pid"
  logfile: "$work/nsd.log"
  server-count: 1
  do-ip6: no
remote-control:
  control-enable: no
CONF
  echo "domain,name,category" >"$work/batch.csv"
  {
    echo "\$ORIGIN asn.cymru.com."
    echo "\$TTL 300"
    echo "@ SOA ns1 hostmaster 1 3600 600 86400 300"
    echo "@ NS ns1"
    echo "ns1 A 127.0.0.53"
  } >"$work/asn.cymru.com.zone"
  asns=(8075 15169 16509 13335 16276 24940)
  for i in $(seq 1 "$DOMAINS"); do
    d=$(printf "org%04d.test" "$i")
    a="127.0.$((i / 250)).$((i % 250 + 2))"
    case $((i % 3)) in
      0) mx="0 ${d/./-}.mail.protection.outlook.com."; spf="include:spf.protection.outlook.com" ;;
      1) mx="1 aspmx.l.google.com."; spf="include:_spf.google.com" ;;
      2) mx="10 mail.$d."; spf="mx" ;;
    esac
    cat >"$work/$d.zone" <<ZONE
\$ORIGIN $d.
\$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1.$d.
ns1 A 127.0.0.53
@ MX $mx
mail A $a
@ TXT "v=spf1 $spf -all"
@ TXT "google-site-verification=bench$i"
@ A $a
www A $a
selector1._domainkey CNAME selector1-x._domainkey.x.onmicrosoft.com.
autodiscover CNAME autodiscover.outlook.com.
_dmarc TXT "v=DMARC1; p=none"
ZONE
    printf "zone:\n  name: %s\n  zonefile: %s.zone\n" "$d" "$d"
    echo "$d,Organisation $i,bench" >>"$work/batch.csv"
    IFS=. read -r o1 o2 o3 o4 <<<"$a"
    echo "$o4.$o3.$o2.$o1.origin TXT \"${asns[$((i % 6))]} | $a/32 | US | arin | 2026-01-01\"" \
      >>"$work/asn.cymru.com.zone"
  done
  printf "zone:\n  name: asn.cymru.com\n  zonefile: asn.cymru.com.zone\n"
} >"$work/nsd.conf"

nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do
  drill -p "$port" @127.0.0.1 org0001.test SOA 2>/dev/null | grep -q NOERROR && break
  sleep 0.1
done
mkdir "$work/www"
cat >"$work/www/index.html" <<'HTML'
<!doctype html><html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=X">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head>
<body><iframe src="https://www.youtube.com/embed/x"></iframe></body></html>
HTML
web=()
if [ "$WEB" = 1 ]; then
  python3 -m http.server 80 --bind 0.0.0.0 --directory "$work/www" >"$work/web.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.2/ && break; sleep 0.1; done
  web=(--allow-private-addresses)
else
  web=(--no-web)
fi

: >"$work/no-anchors.ds"  # The zones are unsigned; an empty anchor file means no validation.
echo "audit of $DOMAINS domains (web: $WEB), resolver NSD on 127.0.0.1:$port"
status=0
for c in "$@"; do
  start=$(date +%s.%N)
  rc=0
  "$REGIE_BIN" audit --json --batch "$work/batch.csv" --resolver "127.0.0.1:$port" \
    --trust-anchor "$work/no-anchors.ds" --concurrency "$c" --timeout 10 "${web[@]}" >"$work/out.json" || rc=$?
  end=$(date +%s.%N)
  check=$(python3 - "$work/out.json" "$DOMAINS" "$WEB" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
n, web = int(sys.argv[2]), sys.argv[3] == "1"
domains = report["domains"]
bad = [d["domain"] for d in domains if "error" in d]
few = [d["domain"] for d in domains if len(d["findings"]) < (8 if web else 5)]
print(f"{len(domains)} reports, {len(bad)} errors, {len(few)} with too few findings,"
      f" {sum(len(d['findings']) for d in domains)} findings")
sys.exit(0 if len(domains) == n and not bad and not few else 1)
PY
  ) || status=1
  printf "concurrency %4s: %6.1f s  (exit %s; %s)\n" "$c" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$rc" "$check"
done
exit $status
