#!/usr/bin/env bash
# CalDAV/CardDAV side by side: Regie, Radicale, Xandikos and Cyrus IMAP (cyrus-imapd with
# cyrus-caldav), all from Debian, on loopback in one run. Each server is pinned to core 0, the load
# driver (bench/caldav_load.py) to core 1; each server's configuration is printed.
#
# Dataset (generated deterministically by the driver): EVENTS VEVENTs over 2025, every 10th
# recurring weekly (half for ever, half COUNT=10), and CARDS vCards 3.0 with varied FN. Each run
# creates a fresh calendar and address book on every server and measures:
#   upload of all objects (PUT with If-None-Match: *, CONCURRENCY parallel keep-alive clients);
#   calendar-query VEVENT time-range over a fixed 30-day window (June 2025), getetag;
#   calendar-multiget of 100 hrefs with calendar-data;
#   sync-collection from an empty token, and from the token it returned after 10 events changed;
#   addressbook-query text-match "contains" on FN, getetag;
# each query REPEAT times (the run's value is their median), then deletes the collections. Every
# answer's number of results is checked against the dataset (recurring events with an instance in
# the window count): a wrong count is reported as WRONG instead of a time. At the end, each
# server's peak resident memory (VmHWM of the process and its children).
# Prints medians over RUNS runs, Regie's ratio to each server (other/regie: above 1 means Regie is
# faster) and whether the goals hold: every query 20x faster than the faster of Radicale and
# Xandikos and 3x faster than Cyrus, upload faster than all three, peak RSS under 100 MiB.
#
# Exit status: 0 if every answer was right, 1 if Regie answered wrong (or failed), 2 if only a
# reference server did.
#
# Usage: bench/caldav.sh [RUNS]        (default 5)
# Environment: REGIE_BENCH_EVENTS (10000), REGIE_BENCH_CARDS (= events), REGIE_BENCH_CONCURRENCY
# (4), REGIE_BENCH_REPEAT (5), REGIE_BIN (default: script/build, then build/release/regie).
set -euo pipefail
source "$(dirname "$0")/../script/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
cd "$REGIE_ROOT"
RUNS=${1:-5}
EVENTS=${REGIE_BENCH_EVENTS:-10000}
CARDS=${REGIE_BENCH_CARDS:-$EVENTS}
CONCURRENCY=${REGIE_BENCH_CONCURRENCY:-4}
REPEAT=${REGIE_BENCH_REPEAT:-5}
PY=/usr/bin/python3  # Debian's: Radicale and Xandikos live in its dist-packages.
ensure_packages "${REGIE_BENCH_PACKAGES[@]}" curl python3
if [ -z "${REGIE_BIN:-}" ]; then
  ensure_packages "${REGIE_BUILD_PACKAGES[@]}"
  script/build >/dev/null
  REGIE_BIN=build/release/regie
fi

bench_scratch
password=bench-password-1
declare -A url_cal url_book pid unavailable
servers=(regie radicale xandikos cyrus)
# REGIE_BENCH_SERVERS leaves out the servers it does not name (they show as not selected).
selected=" ${REGIE_BENCH_SERVERS:-${servers[*]}} "
for s in "${servers[@]}"; do [[ $selected == *" $s "* ]] || unavailable[$s]="not selected in REGIE_BENCH_SERVERS"; done

# --- Regie: durable store (fsync before every 201/204), Basic authentication, access log to a file.
if [ -z "${unavailable[regie]:-}" ]; then
port=$(free_port)
REGIE_ADMIN_PASSWORD=$password taskset -c 0 "$REGIE_BIN" serve --listen "127.0.0.1:$port" \
  --data "$work/regie-data" >"$work/regie-access.log" 2>"$work/regie.err" &
pids+=($!); pid[regie]=$!
url_cal[regie]="http://admin:$password@127.0.0.1:$port/dav/calendars/admin"
url_book[regie]="http://admin:$password@127.0.0.1:$port/dav/addressbooks/admin"
regie_metrics="http://127.0.0.1:$port/metrics"
wait_http "http://127.0.0.1:$port/readyz" || unavailable[regie]="did not start: $(tail -c 300 "$work/regie.err")"
fi

# --- Radicale: filesystem storage (its defaults, fsync included), htpasswd (plain) Basic auth.
if [ -z "${unavailable[radicale]:-}" ]; then
port=$(free_port)
mkdir -p "$work/radicale"
printf 'bench:%s\n' "$password" > "$work/radicale/users"
cat > "$work/radicale/config" <<CONF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $work/radicale/users
htpasswd_encryption = plain
[storage]
filesystem_folder = $work/radicale/collections
[logging]
level = warning
CONF
taskset -c 0 "$PY" -m radicale --config "$work/radicale/config" >"$work/radicale/log" 2>&1 &
pids+=($!); pid[radicale]=$!
url_cal[radicale]="http://bench:$password@127.0.0.1:$port/bench"
url_book[radicale]="http://bench:$password@127.0.0.1:$port/bench"
wait_http "http://127.0.0.1:$port/" || unavailable[radicale]="did not start: $(tail -c 300 "$work/radicale/log")"
fi

# --- Xandikos: git-backed storage; it has no authentication of its own (run behind a proxy).
port=$(free_port)
xandikos_cmd=(xandikos -d "$work/xandikos" -l 127.0.0.1 -p "$port" --defaults)
if [ -z "${unavailable[xandikos]:-}" ]; then
taskset -c 0 "$PY" "$(command -v xandikos)" "${xandikos_cmd[@]:1}" >"$work/xandikos.log" 2>&1 &
pids+=($!); pid[xandikos]=$!
url_cal[xandikos]="http://127.0.0.1:$port/user/calendars"
url_book[xandikos]="http://127.0.0.1:$port/user/contacts"
wait_http "http://127.0.0.1:$port/" || unavailable[xandikos]="did not start: $(tail -c 300 "$work/xandikos.log")"
fi

# --- Cyrus IMAP 3.6 with the caldav and carddav HTTP modules: master (started as root, runs as
# user cyrus) with one preforked httpd, SASL sasldb (PLAIN over Basic), an IMAP listener only to
# create the user's mailbox, which also creates the default calendar and address book.
start_cyrus() {
  local d="$work/cyrus" master=/usr/lib/cyrus/bin/master http_port imap_port
  [ -x "$master" ] || { echo "cyrus-imapd is not installed ($master missing)"; return 1; }
  [ -x /usr/lib/cyrus/bin/httpd ] || { echo "cyrus-caldav is not installed (no httpd)"; return 1; }
  command -v saslpasswd2 >/dev/null || { echo "sasl2-bin is not installed (no saslpasswd2)"; return 1; }
  id cyrus >/dev/null 2>&1 || { echo "no user cyrus"; return 1; }
  http_port=$(free_port); imap_port=$(free_port)
  mkdir -p "$d/config" "$d/spool" "$d/run/proc" "$d/run/lock" "$d/run/socket"
  cat > "$d/imapd.conf" <<CONF
configdirectory: $d/config
proc_path: $d/run/proc
mboxname_lockpath: $d/run/lock
defaultpartition: default
partition-default: $d/spool
servername: localhost
admins: cyrus
altnamespace: no
unixhierarchysep: no
hashimapspool: true
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $d/sasldb2
sasl_mech_list: PLAIN LOGIN
httpmodules: caldav carddav
httpallowcompress: no
lmtpsocket: $d/run/socket/lmtp
idlesocket: $d/run/socket/idle
notifysocket: $d/run/socket/notify
syslog_prefix: cyrus-bench
CONF
  cat > "$d/cyrus.conf" <<CONF
START {
  recover cmd="ctl_cyrusdb -C $d/imapd.conf -r"
}
SERVICES {
  imap cmd="imapd -C $d/imapd.conf" listen="127.0.0.1:$imap_port" prefork=0
  http cmd="httpd -C $d/imapd.conf" listen="127.0.0.1:$http_port" prefork=1
}
EVENTS {
  checkpoint cmd="ctl_cyrusdb -C $d/imapd.conf -c" period=30
}
CONF
  local u
  for u in cyrus bench; do
    printf '%s' "$password" | saslpasswd2 -p -c -f "$d/sasldb2" -u localhost "$u" || { echo "saslpasswd2 failed"; return 1; }
  done
  chown -R cyrus:mail "$d"
  (cd "$d" && exec taskset -c 0 "$master" -C "$d/imapd.conf" -M "$d/cyrus.conf" -p "$d/run/master.pid" -D \
    >"$d/master.log" 2>&1) &
  pids+=($!); pid[cyrus]=$!
  wait_http "http://127.0.0.1:$http_port/" || { echo "httpd did not answer: $(tail -c 300 "$d/master.log")"; return 1; }
  "$PY" - "$imap_port" "$password" <<'PY' || { echo "could not create user.bench over IMAP"; return 1; }
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login("cyrus", sys.argv[2])
typ, data = m.create("user.bench")
if typ != "OK":
    raise SystemExit(f"CREATE user.bench: {typ} {data}")
PY
  url_cal[cyrus]="http://bench:$password@127.0.0.1:$http_port/dav/calendars/user/bench"
  url_book[cyrus]="http://bench:$password@127.0.0.1:$http_port/dav/addressbooks/user/bench"
  curl -sf -o /dev/null -u "bench:$password" -X PROPFIND -H 'Depth: 0' "http://127.0.0.1:$http_port/dav/calendars/user/bench/" \
    || { echo "PROPFIND of the calendar home failed"; return 1; }
}
if [ -n "${unavailable[cyrus]:-}" ]; then :
elif ! start_cyrus >"$work/cyrus-reason"; then
  unavailable[cyrus]=$(tr '\n' ' ' <"$work/cyrus-reason")
  unavailable[cyrus]=${unavailable[cyrus]:-"could not be started"}
fi

# Resident memory of a server: its own process and its children (Cyrus' httpd and imapd).
tree_hwm_kib() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    for c in $(pgrep -P "$p" || true); do
      total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$c/status" 2>/dev/null || echo 0)))
    done
  done
  echo "$total"
}

echo "== configuration"
echo "machine: $(nproc) cores; servers pinned to core 0, load driver to core 1; $RUNS runs"
echo "dataset: $EVENTS events (every 10th weekly recurring), $CARDS vCards 3.0; upload with $CONCURRENCY parallel keep-alive clients; each query repeated $REPEAT times per run (median), medians over runs"
echo "expected results:" $(taskset -c 1 "$PY" bench/caldav_load.py expected --events "$EVENTS" --cards "$CARDS" | tr '\n' ' ')
[ -z "${unavailable[regie]:-}" ] && echo "regie $("$REGIE_BIN" version | cut -d' ' -f2) ($REGIE_BIN): regie serve --listen 127.0.0.1:PORT --data DIR; SQLite (WAL) + local blobs, durable before every 201/204, Basic auth (admin), access log to a file"
if [ -z "${unavailable[radicale]:-}" ]; then
  echo "radicale $("$PY" -c 'import radicale; print(radicale.VERSION)'): $PY -m radicale --config FILE; multifilesystem storage (its fsync defaults)"
  sed 's/^/  /' "$work/radicale/config"
fi
[ -z "${unavailable[xandikos]:-}" ] && echo "xandikos $(dpkg-query -W -f='${Version}' xandikos): ${xandikos_cmd[*]} (git storage, no authentication)"
if [ -z "${unavailable[cyrus]:-}" ]; then
  echo "cyrus $(dpkg-query -W -f='${Version}' cyrus-imapd): master -C imapd.conf -M cyrus.conf (httpd as user cyrus, caldav+carddav, SASL sasldb PLAIN, Basic auth)"
  echo "  imapd.conf:"; sed 's/^/    /' "$work/cyrus/imapd.conf"
  echo "  cyrus.conf:"; sed 's/^/    /' "$work/cyrus/cyrus.conf"
fi
for s in "${servers[@]}"; do
  [ -n "${unavailable[$s]:-}" ] && echo "$s: not available (${unavailable[$s]})"
done

declare -A results
wrong=()
metrics=(upload calendar_query multiget sync_initial sync_recent addressbook_query)
record() { results["$1,$2"]+="$3 "; }
for run in $(seq 1 "$RUNS"); do
  for s in "${servers[@]}"; do
    [ -n "${unavailable[$s]:-}" ] && continue
    start=$SECONDS
    extra=()
    [ "$s" = regie ] && extra=(--metrics "$regie_metrics")
    set +e
    out=$(taskset -c 1 "$PY" bench/caldav_load.py run --cal "${url_cal[$s]}/bench-r$run/" \
      --book "${url_book[$s]}/book-r$run/" --events "$EVENTS" --cards "$CARDS" \
      --concurrency "$CONCURRENCY" --repeat "$REPEAT" ${extra[@]+"${extra[@]}"} 2>"$work/driver-$s.err")
    rc=$?
    set -e
    for m in "${metrics[@]}"; do
      v=$(awk -v m="$m" '$1 == m {print $2}' <<<"$out")
      if [ -z "$v" ]; then v="WRONG:driver_failed_(exit_$rc):_$(tail -c 200 "$work/driver-$s.err" | tr ' \n' '__')"; fi
      if [[ $v == WRONG* ]]; then wrong+=("run $run $s $m: ${v#WRONG:}"); fi
      record "$s" "$m" "$v"
    done
    parses=$(awk '$1 == "ical_parses_during_queries" {print $2}' <<<"$out")
    [ -n "$parses" ] && record "$s" ical_parses "$parses"
    echo "run $run of $RUNS: $s done in $((SECONDS - start))s"
    # Untimed clean-up so that every run starts from the same state.
    for u in "${url_cal[$s]}/bench-r$run/" "${url_book[$s]}/book-r$run/"; do
      curl -s -o /dev/null -X DELETE "$u" || true
    done
  done
done

procs_note=()
for s in "${servers[@]}"; do
  [ -n "${unavailable[$s]:-}" ] && continue
  results["$s,hwm"]=$(awk -v k="$(tree_hwm_kib "${pid[$s]}")" 'BEGIN {printf "%.1f", k / 1024}')
  tree=$(pgrep -P "${pid[$s]}" || true)
  if [ -n "$tree" ]; then
    largest=$(for p in ${pid[$s]} $tree; do awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null; done | sort -g | tail -1)
    procs_note+=("$s: $(wc -w <<<"${pid[$s]} $tree") processes, largest VmHWM $((largest / 1024)) MiB (the sum counts shared pages once per process)")
  fi
done

# Median of a server's values for a metric; WRONG if any run was wrong, n/a if not run.
med() {
  local vals=${results[$1,$2]:-}
  if [ -n "${unavailable[$1]:-}" ] || [ -z "$vals" ]; then echo "n/a"
  elif grep -q WRONG <<<"$vals"; then echo "WRONG"
  else tr ' ' '\n' <<<"$vals" | grep -v '^$' | median; fi
}
num() { [[ $1 =~ ^[0-9.]+$ ]]; }
ratio() { if num "$1" && num "$2"; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b / a}'; else echo "-"; fi; }
echo "== results: $EVENTS events, $CARDS vCards, medians of $RUNS runs (seconds; ratios are other/regie: above 1 means Regie is faster)"
printf '%-22s %10s %10s %10s %10s   %9s %9s %9s   %s\n' workload regie radicale xandikos cyrus \
  "radicale/" "xandikos/" "cyrus/" goal
goals_missed=0
goals_uncompared=0
row() {
  local key=$1 label=$2 r a x c goal best
  r=$(med regie "$key"); a=$(med radicale "$key"); x=$(med xandikos "$key"); c=$(med cyrus "$key")
  if ! num "$r"; then goal="regie has no valid answer"
  elif [ "$key" = upload ]; then
    goal=$(awk -v r="$r" -v a="$a" -v x="$x" -v c="$c" 'BEGIN {
      ok = 1; seen = 0; n = split(a " " x " " c, v, " ")
      for (i = 1; i <= n; i++) if (v[i] ~ /^[0-9.]+$/) { seen++; if (v[i] <= r) ok = 0 }
      print !seen ? "n/a (nothing to compare)" : (ok ? "met (faster than all)" : "MISSED (faster than all)") }')
  else
    best=$(printf '%s\n' "$a" "$x" | grep -E '^[0-9.]+$' | sort -g | head -1 || true)
    goal=$(awk -v r="$r" -v b="${best:-}" -v c="$c" 'BEGIN {
      s = ""; ok = 1
      if (b != "") { if (b / r < 20) ok = 0; s = s sprintf("%.0fx vs faster of radicale/xandikos", b / r) }
      if (c ~ /^[0-9.]+$/) { if (c / r < 3) ok = 0; s = s sprintf(", %.0fx vs cyrus", c / r) }
      print (s == "" ? "n/a (nothing to compare)" : (ok ? "met (" : "MISSED (") s ")") }')
  fi
  [[ $goal == MISSED* || $goal == regie* ]] && goals_missed=1
  [[ $goal == n/a* ]] && goals_uncompared=1
  printf '%-22s %10s %10s %10s %10s   %9s %9s %9s   %s\n' "$label" "$r" "$a" "$x" "$c" \
    "$(ratio "$r" "$a")" "$(ratio "$r" "$x")" "$(ratio "$r" "$c")" "$goal"
}
row upload "upload all objects"
row calendar_query "calendar-query month"
row multiget "calendar-multiget 100"
row sync_initial "sync-collection empty"
row sync_recent "sync-collection recent"
row addressbook_query "addressbook-query FN"
hr=${results[regie,hwm]:-n/a}
goal=$(awk -v r="$hr" 'BEGIN {print (r ~ /^[0-9.]+$/ && r < 100) ? "met (under 100 MiB)" : "MISSED (under 100 MiB)"}')
[[ $goal == MISSED* ]] && goals_missed=1
printf '%-22s %10s %10s %10s %10s   %9s %9s %9s   %s\n' "peak RSS MiB" "$hr" "${results[radicale,hwm]:-n/a}" \
  "${results[xandikos,hwm]:-n/a}" "${results[cyrus,hwm]:-n/a}" "$(ratio "$hr" "${results[radicale,hwm]:-}")" \
  "$(ratio "$hr" "${results[xandikos,hwm]:-}")" "$(ratio "$hr" "${results[cyrus,hwm]:-}")" "$goal"
[ ${#procs_note[@]} -gt 0 ] && printf 'peak RSS of %s\n' "${procs_note[@]}"
[ -n "${results[regie,ical_parses]:-}" ] && echo "regie_ical_parses_total increase from the first query to the last (includes the 10 PUTs between the sync reports), per run: ${results[regie,ical_parses]}"
for s in "${servers[@]}"; do
  [ -n "${unavailable[$s]:-}" ] && echo "$s: not available (${unavailable[$s]})"
done
if [ $goals_missed = 1 ]; then echo "goals: not all met"
elif [ $goals_uncompared = 1 ]; then echo "goals: not all compared (a reference server did not run)"
else echo "goals: all met"; fi
if [ ${#wrong[@]} -gt 0 ]; then
  echo "== WRONG answers (a fast wrong answer is no answer):"
  printf '  %s\n' "${wrong[@]}" | sort -u
  if printf '%s\n' "${wrong[@]}" | grep -q '^run [0-9]* regie '; then exit 1; fi
  exit 2
fi
