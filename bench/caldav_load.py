#!/usr/bin/env python3
"""Load driver for bench/caldav.sh: one run of the CalDAV/CardDAV workloads against one server.
Standard library only (Debian's python3).

  caldav_load.py run --cal URL --book URL [--events N] [--cards N] [--concurrency C]
                     [--repeat R] [--metrics URL]
  caldav_load.py expected [--events N] [--cards N]

URLs are http://[user:pass@]host:port/path/ of a calendar and an address book that do not exist
yet: the run creates them (MKCALENDAR, extended MKCOL), uploads the generated events and vCards
with C parallel keep-alive clients (If-None-Match: *), then times each query R times. It prints one
line per measurement, "key seconds" (the median of the R repetitions; upload: once), or
"key WRONG:<what went wrong>" when any repetition returned the wrong number of results or an
error status. Counts are checked on every repetition; a fast wrong answer is no answer.

The dataset is deterministic: N VEVENTs spread over 2025 (UTC, one hour each), every 10th
recurring weekly (half of those for ever, half COUNT=10); N vCards 3.0 whose FN combine varied
first and last names (some non-ASCII). The expected counts come from the same data."""
import argparse
import base64
import datetime as dt
import http.client
import statistics
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

YEAR0 = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
MONTH = (dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc), dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc))
EVENT_LEN = dt.timedelta(hours=1)
TEXT_MATCH = "mart"  # Substring of FN for addressbook-query (ASCII, so every casemap agrees).
CHANGED = 10  # Objects changed between the two sync-collection reports.
MULTIGET = 100

FIRST = ["Anna", "Bernd", "Chloé", "David", "Elif", "François", "Grace", "Hiroshi", "Ingrid", "Jamal",
         "Katarzyna", "Liam", "María", "Noah", "Olga", "Pedro", "Quentin", "Rosa", "Søren", "Tomás",
         "Uma", "Viktor", "Wen", "Xavier", "Yusuf", "Zoë", "Amara", "Björn", "Camille", "Dmitri",
         "Emma", "Fatima", "Gustav", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Martha", "Nils",
         "Omar"]
LAST = ["Smith", "Müller", "García", "Martin", "Rossi", "Nowak", "Johansson", "Dubois", "Kowalski",
        "Novák", "Silva", "Yılmaz", "Nakamura", "Okafor", "Andersen", "Schmidt", "Martínez", "Brown",
        "Lefèvre", "Horváth", "Popescu", "Ivanova", "Jensen", "Costa", "Kim", "Nguyen", "Fischer",
        "Romano", "Bauer", "Petrov", "Wagner", "Lindqvist", "Moreau", "Hoffmann", "Marthaler",
        "Sato", "Weber", "Ortiz", "Virtanen", "Kaya", "Becker", "Ferrari", "Stewart"]


def fmt(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


def event_start(i, n):
    # Spread over the year, on a minute 7 past, never on a window boundary.
    return YEAR0 + dt.timedelta(minutes=(i * 525600 // n) // 60 * 60 + 7 + 60 * (i % 9))


def event_rrule(i):
    if i % 10 != 0:
        return None
    return "FREQ=WEEKLY" if i % 20 == 0 else "FREQ=WEEKLY;COUNT=10"


def event_name(i):
    return f"evt-{i:05}.ics"


def event_body(i, n, summary_suffix=""):
    s = event_start(i, n)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Regie//bench//EN", "BEGIN:VEVENT",
             f"UID:evt-{i:05}@bench.regie.test", "DTSTAMP:20250101T000000Z",
             f"DTSTART:{fmt(s)}", f"DTEND:{fmt(s + EVENT_LEN)}",
             f"SUMMARY:Meeting {i} with {FIRST[i % len(FIRST)]}{summary_suffix}",
             f"LOCATION:Room {i % 37}",
             f"DESCRIPTION:Agenda item {i}: review the plan\\, decide and write it down."]
    rule = event_rrule(i)
    if rule:
        lines.append(f"RRULE:{rule}")
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()


def event_in_window(i, n, window=MONTH):
    s = event_start(i, n)
    rule = event_rrule(i)
    count = 1 if rule is None else (10 if "COUNT" in rule else 60)
    for k in range(count):
        start = s + dt.timedelta(weeks=k)
        if start < window[1] and start + EVENT_LEN > window[0]:
            return True
    return False


def card_fn(i):
    return f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]}"


def card_name(i):
    return f"card-{i:05}.vcf"


def card_body(i):
    first, last = card_fn(i).split(" ", 1)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:card-{i:05}@bench.regie.test", f"FN:{first} {last}",
             f"N:{last};{first};;;", f"EMAIL;TYPE=INTERNET:{i}@example.org",
             f"TEL;TYPE=CELL:+49 30 {i:07}", f"ORG:Team {i % 23}", "END:VCARD", ""]
    return "\r\n".join(lines).encode()


def expected(n_events, n_cards):
    return {
        "calendar_query": sum(event_in_window(i, n_events) for i in range(n_events)),
        "multiget": min(MULTIGET, n_events),
        "sync_initial": n_events,
        "sync_recent": CHANGED,
        "addressbook_query": sum(TEXT_MATCH in card_fn(i).lower() for i in range(n_cards)),
    }


class Client:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path
        self.headers = {}
        if u.username:
            token = base64.b64encode(f"{urllib.parse.unquote(u.username)}:"
                                     f"{urllib.parse.unquote(u.password)}".encode()).decode()
            self.headers["Authorization"] = "Basic " + token
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
            try:
                self.conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
                r = self.conn.getresponse()
                data = r.read()
                if r.will_close:
                    self.conn.close()
                    self.conn = None
                return r.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise


DAV = "{DAV:}"
XML = {"Content-Type": "application/xml; charset=utf-8"}


def responses(body):
    """(href, status, props) per DAV:response of a multistatus; status of the 200 propstat or the
    response's own status."""
    out = []
    for resp in ET.fromstring(body).iter(DAV + "response"):
        href = urllib.parse.unquote(resp.findtext(DAV + "href", "").strip())
        status, props = resp.findtext(DAV + "status"), {}
        for ps in resp.findall(DAV + "propstat"):
            st = ps.findtext(DAV + "status", "")
            if " 200 " in st:
                status = st
                for p in ps.find(DAV + "prop"):
                    props[p.tag] = (p.text or "")
        out.append((href, status or "", props))
    return out


def member_hits(body, suffix, need_prop=None):
    """Members (hrefs ending in suffix) with a 200 status and, if asked, a non-empty property."""
    n = 0
    for href, status, props in responses(body):
        if href.endswith(suffix) and " 200 " in status:
            if need_prop is None or props.get(need_prop, "").strip():
                n += 1
    return n


def upload(url, objects, concurrency):
    """PUTs every (path, body, content type); returns seconds, or raises on an error status."""
    shards = [objects[k::concurrency] for k in range(concurrency)]
    errors = []

    def worker(shard):
        c = Client(url)
        try:
            for path, body, ctype in shard:
                status, data = c.request("PUT", path, body, {"Content-Type": ctype, "If-None-Match": "*"})
                if status not in (200, 201, 204):
                    errors.append(f"PUT {path}: {status} {data[:200]!r}")
                    return
        except Exception as e:  # noqa: BLE001 - reported as a wrong answer
            errors.append(f"PUT: {e!r}")

    threads = [threading.Thread(target=worker, args=(s,)) for s in shards]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(errors[0])
    return elapsed


def calendar_query_body():
    return (f'<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" '
            f'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter>'
            f'<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range '
            f'start="{fmt(MONTH[0])}" end="{fmt(MONTH[1])}"/></C:comp-filter></C:comp-filter>'
            f'</C:filter></C:calendar-query>').encode()


def multiget_body(paths):
    hrefs = "".join(f"<D:href>{p}</D:href>" for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget xmlns:D="DAV:" '
            f'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/>'
            f'</D:prop>{hrefs}</C:calendar-multiget>').encode()


def sync_body(token):
    tok = f"<D:sync-token>{token}</D:sync-token>" if token else "<D:sync-token/>"
    return (f'<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">{tok}'
            f'<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>').encode()


def addressbook_query_body():
    return (f'<?xml version="1.0" encoding="utf-8"?><C:addressbook-query xmlns:D="DAV:" '
            f'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><C:filter>'
            f'<C:prop-filter name="FN"><C:text-match match-type="contains">{TEXT_MATCH}'
            f'</C:text-match></C:prop-filter></C:filter></C:addressbook-query>').encode()


def sync_token(body):
    return ET.fromstring(body).findtext(DAV + "sync-token", "").strip()


def timed(client, repeat, method, path, body, headers, check):
    """Median seconds of `repeat` requests; check(status, body) returns None or what is wrong."""
    times, last = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        status, data = client.request(method, path, body, headers)
        times.append(time.perf_counter() - start)
        wrong = check(status, data)
        if wrong:
            return "WRONG:" + wrong, data
        last = data
    return f"{statistics.median(times):.6f}", last


def count_check(expect, suffix, need_prop=None):
    def check(status, data):
        if status != 207:
            return f"status {status} {data[:160]!r}".replace(" ", "_")
        try:
            got = member_hits(data, suffix, need_prop)
        except ET.ParseError as e:
            return f"unparsable_{e}".replace(" ", "_")
        return None if got == expect else f"got_{got}_expected_{expect}"
    return check


def ical_parses(metrics_url):
    if not metrics_url:
        return None
    c = Client(metrics_url)
    status, data = c.request("GET", c.path)
    for line in data.decode().splitlines():
        if line.startswith("regie_ical_parses_total"):
            return int(float(line.split()[-1]))
    return None


def run(args):
    exp = expected(args.events, args.cards)
    cal, book = Client(args.cal), Client(args.book)
    out = []

    def emit(key, value):
        out.append(f"{key} {value}")
        print(f"{key} {value}", flush=True)

    status, data = cal.request("MKCALENDAR", cal.path)
    if status != 201:
        raise SystemExit(f"MKCALENDAR {cal.path}: {status} {data[:300]!r}")
    mkcol = (b'<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" '
             b'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype>'
             b'<D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>')
    status, data = book.request("MKCOL", book.path, mkcol, XML)
    if status != 201:
        raise SystemExit(f"MKCOL {book.path}: {status} {data[:300]!r}")

    objects = []
    for i in range(max(args.events, args.cards)):
        if i < args.events:
            objects.append((cal.path + event_name(i), event_body(i, args.events), "text/calendar; charset=utf-8"))
        if i < args.cards:
            objects.append((book.path + card_name(i), card_body(i), "text/vcard; charset=utf-8"))
    try:
        emit("upload", f"{upload(args.cal, objects, args.concurrency):.6f}")
    except RuntimeError as e:
        emit("upload", "WRONG:" + str(e)[:300].replace(" ", "_"))

    parses0 = ical_parses(args.metrics)
    depth1 = {**XML, "Depth": "1"}
    depth0 = {**XML, "Depth": "0"}
    value, _ = timed(cal, args.repeat, "REPORT", cal.path, calendar_query_body(), depth1,
                     count_check(exp["calendar_query"], ".ics"))
    emit("calendar_query", value)

    step = max(1, args.events // MULTIGET)
    paths = [cal.path + event_name(i) for i in range(0, args.events, step)][:MULTIGET]
    value, _ = timed(cal, args.repeat, "REPORT", cal.path, multiget_body(paths), depth1,
                     count_check(exp["multiget"], ".ics", "{urn:ietf:params:xml:ns:caldav}calendar-data"))
    emit("multiget", value)

    value, data = timed(cal, args.repeat, "REPORT", cal.path, sync_body(None), depth0,
                        count_check(exp["sync_initial"], ".ics"))
    emit("sync_initial", value)
    token = sync_token(data) if not value.startswith("WRONG") else ""
    # Change CHANGED events that do not recur (summary only: the month's answer stays the same).
    changed = [i for i in range(1, args.events) if i % 10][:CHANGED]
    for i in changed:
        status, data = cal.request("PUT", cal.path + event_name(i), event_body(i, args.events, " (moved)"),
                                   {"Content-Type": "text/calendar; charset=utf-8"})
        if status not in (200, 201, 204):
            raise SystemExit(f"PUT {event_name(i)}: {status} {data[:300]!r}")
    if token:
        value, _ = timed(cal, args.repeat, "REPORT", cal.path, sync_body(token), depth0,
                         count_check(exp["sync_recent"], ".ics"))
    else:
        value = "WRONG:no_sync_token"
    emit("sync_recent", value)

    value, _ = timed(book, args.repeat, "REPORT", book.path, addressbook_query_body(), depth1,
                     count_check(exp["addressbook_query"], ".vcf"))
    emit("addressbook_query", value)
    parses1 = ical_parses(args.metrics)
    if parses0 is not None and parses1 is not None:
        emit("ical_parses_during_queries", parses1 - parses0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["run", "expected"])
    p.add_argument("--cal")
    p.add_argument("--book")
    p.add_argument("--events", type=int, default=10000)
    p.add_argument("--cards", type=int, default=10000)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--metrics")
    args = p.parse_args()
    if args.mode == "expected":
        for k, v in expected(args.events, args.cards).items():
            print(k, v)
    else:
        run(args)


if __name__ == "__main__":
    main()
