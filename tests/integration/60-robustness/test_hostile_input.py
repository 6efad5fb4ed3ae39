"""Hostile input (issue 6, item 4) against the real server.

- XML bombs get a fast 400 from every method that reads an XML body (PROPFIND, PROPPATCH, LOCK and
  REPORT on files; PROPFIND, PROPPATCH and REPORT on a calendar and an address book; MKCALENDAR,
  extended MKCOL, the CS:share POST; PROPFIND on a principal and on /dav/): billion laughs,
  quadratic blow-up, external general and parameter entities and an external DTD (a local
  listener proves nothing is fetched), nesting 30,000 deep. The server's peak memory stays put,
  nothing is stored (store counters and listings unchanged), and the same bodies without the bomb
  succeed, so the 400s came from the bombs.
- XML bodies over [http] max_xml_body_bytes get 413 from each of those methods, declared or
  chunked, and store nothing.
- HTTP framing: a transfer coding other than a lone `chunked` is refused and stores nothing;
  malformed chunk sizes are 400, not 408; a trailer field or a header field over 64 KiB does not
  kill the server; chunk extensions and trailers cannot grow its memory without bound. Hostile
  JSON on the public sign-in endpoint gets 400/413.
- Slow clients: 50 connections trickling a header are closed after the timeout; a stalled header
  is cut at idle_timeout, as docs/configuration.md says, even under a long read_timeout; uploads
  and XML bodies that trickle or stall end (408 or a close) after read_timeout and leave nothing;
  a client that stops reading a download is cut off. Throughout, a normal client is answered
  within a second.
- Brute force, beyond 40-protocol/test_login_throttling.py: spraying one password over many
  accounts from one address is throttled by [auth] address_failures; the web sign-in is throttled
  like Basic auth.
- TLS, beyond 40-protocol/test_tls.py, with openssl s_client: TLS 1.0 and 1.1 get a
  protocol_version alert while 1.2 and 1.3 negotiate; NULL, anonymous and MD5 suites are refused;
  TLS 1.2 accepts only forward-secret AEAD suites, and a default client gets ECDHE with AES-GCM or
  ChaCha20-Poly1305.

Proven elsewhere: a header block over max_header_bytes and many headers get 431
(40-protocol/test_header_limit.py); a URI over max_uri_bytes gets 414 (test_uri_limit.py); an
upload over max_upload_bytes gets 413 (10-basic/test_max_upload.py); PROPFIND Depth infinity gets
403 propfind-finite-depth (50-webdav/test_methods.py); per-account throttling with Retry-After
(test_login_throttling.py); the XML parser's refusals, element count included
(tests/unit/formats/xml_element_test.cc). Constant-time comparison of secrets is not timed here:
a shared machine cannot prove it without flaking (see src/base/crypto.cc ConstantTimeEqual).
"""
import gzip
import os
import re
import select
import socket
import subprocess
import threading
import time

import pytest

from caldav_util import CALDAV, CARDDAV
from regie_harness import Regie, basic_auth_header, need_tool, raw_exchange, read_response

XML = {"Content-Type": "application/xml; charset=utf-8"}
XML_LIMIT = 256 * 1024  # [http] max_xml_body_bytes for the XML tests: small bodies, fast runs
FILES = "/dav/files/admin"
CAL = "/dav/calendars/admin/personal/"
BOOK = "/dav/addressbooks/admin/contacts/"
CS = "http://calendarserver.org/ns/"
TRUSTING = '[http]\ntrusted_proxies = ["127.0.0.1"]\n'

# Short timeouts for the slow-client tests; a closure must come within TIMEOUT_S + MARGIN_S.
SHORT_TIMEOUTS = {"REGIE_HTTP_IDLE_TIMEOUT": "2s", "REGIE_HTTP_READ_TIMEOUT": "2s"}
TIMEOUT_S = 2.0
MARGIN_S = 2.0
PROMPT_S = 1.0  # a normal client's answer while others attack


# ---- XML bodies ----

def _prop_probe(text):
    return f'<d:prop><d:getetag/><z:probe xmlns:z="urn:z">{text}</z:probe></d:prop>'


# (label, method, path, headers, body with @T@ where the text goes, statuses of the clean body).
# Every body is one a client really sends; @T@ sits where character data is allowed.
XML_TARGETS = [
    ("PROPFIND file", "PROPFIND", FILES + "/a.txt", {"Depth": "0"},
     '<d:propfind xmlns:d="DAV:">' + _prop_probe("@T@") + "</d:propfind>", (207,)),
    ("PROPPATCH file", "PROPPATCH", FILES + "/a.txt", {},
     '<d:propertyupdate xmlns:d="DAV:" xmlns:z="urn:z"><d:set><d:prop><z:note>@T@</z:note>'
     "</d:prop></d:set></d:propertyupdate>", (207,)),
    ("LOCK file", "LOCK", FILES + "/lockme.txt", {},
     '<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope><d:locktype>'
     "<d:write/></d:locktype><d:owner>@T@</d:owner></d:lockinfo>", (200, 201)),
    ("REPORT sync-collection", "REPORT", FILES + "/", {},
     '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level>' +
     _prop_probe("@T@") + "</d:sync-collection>", (207,)),
    ("PROPFIND calendar", "PROPFIND", CAL, {"Depth": "0"},
     '<d:propfind xmlns:d="DAV:">' + _prop_probe("@T@") + "</d:propfind>", (207,)),
    ("PROPPATCH calendar", "PROPPATCH", CAL, {},
     '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>@T@</d:displayname>'
     "</d:prop></d:set></d:propertyupdate>", (207,)),
    ("REPORT calendar-query", "REPORT", CAL, {"Depth": "1"},
     f'<C:calendar-query xmlns:d="DAV:" xmlns:C="{CALDAV}">' + _prop_probe("@T@") +
     '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>', (207,)),
    ("MKCALENDAR", "MKCALENDAR", "/dav/calendars/admin/bombcal/", {},
     f'<C:mkcalendar xmlns:d="DAV:" xmlns:C="{CALDAV}"><d:set><d:prop>'
     "<d:displayname>@T@</d:displayname></d:prop></d:set></C:mkcalendar>", (201,)),
    ("POST CS:share", "POST", CAL, {},
     f'<CS:share xmlns:d="DAV:" xmlns:CS="{CS}"><CS:set><d:href>mailto:bob@museum.example'
     "</d:href><CS:summary>@T@</CS:summary></CS:set></CS:share>", (200,)),
    ("PROPFIND address book", "PROPFIND", BOOK, {"Depth": "0"},
     '<d:propfind xmlns:d="DAV:">' + _prop_probe("@T@") + "</d:propfind>", (207,)),
    ("PROPPATCH address book", "PROPPATCH", BOOK, {},
     '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>@T@</d:displayname>'
     "</d:prop></d:set></d:propertyupdate>", (207,)),
    ("REPORT addressbook-query", "REPORT", BOOK, {"Depth": "1"},
     f'<CR:addressbook-query xmlns:d="DAV:" xmlns:CR="{CARDDAV}">' + _prop_probe("@T@") +
     '<CR:filter><CR:prop-filter name="FN"/></CR:filter></CR:addressbook-query>', (207,)),
    ("extended MKCOL", "MKCOL", "/dav/addressbooks/admin/bombbook/", {},
     f'<d:mkcol xmlns:d="DAV:" xmlns:CR="{CARDDAV}"><d:set><d:prop><d:resourcetype>'
     "<d:collection/><CR:addressbook/></d:resourcetype><d:displayname>@T@</d:displayname>"
     "</d:prop></d:set></d:mkcol>", (201,)),
    ("POST address book share", "POST", BOOK, {},
     f'<CS:share xmlns:d="DAV:" xmlns:CS="{CS}"><CS:set><d:href>mailto:bob@museum.example'
     "</d:href><CS:summary>@T@</CS:summary></CS:set></CS:share>", (200,)),
    ("PROPFIND principal", "PROPFIND", "/dav/principals/admin/", {"Depth": "0"},
     '<d:propfind xmlns:d="DAV:">' + _prop_probe("@T@") + "</d:propfind>", (207,)),
    ("PROPFIND /dav/", "PROPFIND", "/dav/", {"Depth": "0"},
     '<d:propfind xmlns:d="DAV:">' + _prop_probe("@T@") + "</d:propfind>", (207,)),
]


def xml_body(template, text, prolog=""):
    return ('<?xml version="1.0" encoding="utf-8"?>' + prolog + template.replace("@T@", text)
            ).encode()


def xml_bombs(port):
    """name -> (prolog, text for @T@). Each body stays under XML_LIMIT, so only the bomb is bad."""
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    big = "a" * (16 * 1024)
    refs = (XML_LIMIT - len(big) - 4096) // 3
    url = f"http://127.0.0.1:{port}"
    return {
        "billion laughs": (f"<!DOCTYPE b [{laughs}]>", "&lol9;"),  # 10^9 "lol": 3 GB
        "quadratic blow-up": (f'<!DOCTYPE b [<!ENTITY a "{big}">]>', "&a;" * refs),  # 1.3 GB
        "external file entity": ('<!DOCTYPE b [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                                 "&e;"),
        "external http entity": (f'<!DOCTYPE b [<!ENTITY e SYSTEM "{url}/entity">]>', "&e;"),
        "external parameter entity": (
            f'<!DOCTYPE b [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>', "&e;"),
        "external DTD": (f'<!DOCTYPE b SYSTEM "{url}/b.dtd">', "&e;"),
        "nesting 30,000 deep": ("", "<n>" * 30_000 + "</n>" * 30_000),
    }


class Listener:
    """A TCP port on 127.0.0.1 that answers nothing and counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self):
        n = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return n
            conn.close()
            n += 1

    def close(self):
        self.sock.close()


def metrics(regie):
    # A fresh connection: under a 2 s idle_timeout a kept-alive one may be closing as it is used.
    with regie.session() as session:
        text = regie.get("/metrics", user=None, session=session).text
    return {name: int(value) for name, value in
            re.findall(r"^(regie_[a-z_]+) (\d+)$", text, re.M)}


def stored_state(regie):
    """What a change would show: the store's write counters and Depth 1 allprop listings of the
    collections the XML targets touch (dead properties, display names, locks and shares)."""
    m = metrics(regie)
    state = {k: m[k] for k in ("regie_store_rows_written_total", "regie_blob_bytes_written_total")}
    for user, path in (("admin", FILES + "/"), ("admin", "/dav/calendars/admin/"),
                       ("admin", "/dav/addressbooks/admin/"), ("bob", "/dav/calendars/bob/"),
                       ("bob", "/dav/addressbooks/bob/")):
        r = regie.request("PROPFIND", path, user=user, headers={"Depth": "1"})
        assert r.status_code == 207, (path, r.status_code)
        state[path] = r.content
    return state


@pytest.fixture(scope="module")
def xml_regie(tmp_path_factory):
    r = Regie(tmp_path_factory.mktemp("xml"),
              env={"REGIE_HTTP_MAX_XML_BODY_BYTES": str(XML_LIMIT)})
    r.start()
    r.add_user("bob", email="bob@museum.example")
    assert r.put(FILES + "/a.txt", b"alpha").status_code == 201
    # Warm-up: both logins verified once (Argon2 costs 19 MiB a hash) and every home made, so
    # the memory and counters measured afterwards see only what the bombs do.
    for user, path in (("admin", CAL), ("admin", BOOK), ("bob", "/dav/calendars/bob/"),
                       ("bob", "/dav/addressbooks/bob/"), ("admin", "/dav/principals/admin/")):
        assert r.request("PROPFIND", path, user=user, headers={"Depth": "0"}).status_code == 207
    yield r
    r.close()


@pytest.mark.timeout(120)
def test_xml_bombs_are_refused_by_every_xml_method_without_expansion_fetch_or_change(xml_regie):
    r = xml_regie
    listener = Listener()
    try:
        before = stored_state(r)
        peak_kib = r.proc_status("VmHWM")
        failures = []
        for bomb, (prolog, text) in xml_bombs(listener.port).items():
            for label, method, path, headers, template, _ in XML_TARGETS:
                body = xml_body(template, text, prolog)
                assert len(body) <= XML_LIMIT, (bomb, len(body))
                started = time.monotonic()
                resp = r.request(method, path, data=body, headers={**XML, **headers},
                                 timeout=(5, 30))
                took = time.monotonic() - started
                if resp.status_code != 400 or took > 2.0 or b"root:" in resp.content:
                    failures.append(f"{bomb} -> {label}: {resp.status_code} in {took:.2f}s "
                                    f"{resp.content[:100]!r}")
        assert not failures, "\n".join(failures)
        fetched = listener.connections()
        assert fetched == 0, f"the server connected {fetched} times to an external entity's URL"
    finally:
        listener.close()
    grew_mib = (r.proc_status("VmHWM") - peak_kib) / 1024
    assert grew_mib < 16, f"peak memory grew by {grew_mib:.0f} MiB while refusing XML bombs"
    assert r.running() and r.get("/healthz", user=None).status_code == 200
    assert stored_state(r) == before, "a refused XML bomb changed what is stored"

    # The same bodies without a bomb are accepted, so each 400 above came from the bomb alone;
    # and their effects show in stored_state, so the comparison above could see a change.
    for label, method, path, headers, template, ok in XML_TARGETS:
        resp = r.request(method, path, data=xml_body(template, "plain"),
                         headers={**XML, **headers})
        assert resp.status_code in ok, (label, resp.status_code, resp.text[:200])
    assert stored_state(r) != before


@pytest.mark.timeout(60)
def test_xml_bodies_over_max_xml_body_bytes_get_413_declared_or_chunked(xml_regie):
    r = xml_regie
    auth = basic_auth_header("admin", r.admin)
    before = stored_state(r)
    failures = []
    for label, method, path, headers, template, _ in XML_TARGETS:
        body = xml_body(template, "a" * XML_LIMIT)
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\n{auth}{extra}"
                "Content-Type: application/xml\r\n").encode()
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 16384]), body[i:i + 16384])
                           for i in range(0, len(body), 16384)) + b"0\r\n\r\n"
        for framing, payload in (
                ("declared", head + b"Content-Length: %d\r\n\r\n" % len(body) + body),
                ("chunked", head + b"Transfer-Encoding: chunked\r\n\r\n" + chunked)):
            status = raw_exchange("127.0.0.1", r.port, payload, timeout=10)[0]
            if status != 413:
                failures.append(f"{label} ({framing}): {status}")
    assert not failures, "\n".join(failures)
    assert stored_state(r) == before, "an XML body refused with 413 changed what is stored"


# ---- HTTP framing and JSON ----

def chunk(data):
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)


@pytest.mark.timeout(60)
def test_transfer_codings_other_than_chunked_are_refused_and_store_nothing(regie):
    """RFC 9112 §6.3: a request whose Transfer-Encoding does not end in chunked has no knowable
    length and MUST get 400 and a close; §6.1: a coding the server does not implement (gzip)
    gets 501. Guessing instead stores a wrong file and reads the rest as a next request."""
    auth = basic_auth_header("admin", regie.admin).encode()
    cases = {
        "gzip": (b"Transfer-Encoding: gzip\r\n", b"abc"),
        "chunked-then-gzip": (b"Transfer-Encoding: chunked, gzip\r\n", chunk(b"abc")),
        "gzip-then-chunked": (b"Transfer-Encoding: gzip, chunked\r\n",
                              chunk(gzip.compress(b"abc"))),
        "identity": (b"Transfer-Encoding: identity\r\n", b"abc"),
        "unknown-with-length": (b"Transfer-Encoding: xchunked\r\nContent-Length: 3\r\n", b"abc"),
        "length-and-chunked": (b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
                               chunk(b"abc")),
    }
    failures = []
    for name, (headers, body) in cases.items():
        path = f"/dav/files/admin/te-{name}"
        status = regie.raw(b"PUT %s HTTP/1.1\r\nHost: x\r\n%s%s\r\n%s"
                           % (path.encode(), auth, headers, body))[0]
        stored = regie.get(path).status_code
        if status not in (400, 501) or stored != 404:
            failures.append(f"{name}: PUT {status}, then GET {stored}")
    assert not failures, "\n".join(failures)
    assert regie.get("/healthz", user=None).status_code == 200


def test_malformed_chunk_sizes_are_400_not_408(regie):
    """A chunk size that is not hex, or overflows 64 bits, is a malformed request (400); a 408
    tells the client it was too slow, and a client may retry it as it is."""
    auth = basic_auth_header("admin", regie.admin).encode()
    failures = []
    for name, body in (("not-hex", b"zz\r\nabc\r\n0\r\n\r\n"),
                       ("overflow", b"fffffffffffffffffffffff\r\nabc\r\n0\r\n\r\n")):
        path = f"/dav/files/admin/chunk-{name}"
        status = regie.raw(b"PUT %s HTTP/1.1\r\nHost: x\r\n%sTransfer-Encoding: chunked\r\n\r\n%s"
                           % (path.encode(), auth, body))[0]
        if status != 400:
            failures.append(f"{name}: {status}")
        assert regie.get(path).status_code == 404, name
    assert not failures, "\n".join(failures)


def sign_in_head(chunked=True):
    return (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"X-Requested-With: XMLHttpRequest\r\n" +
            (b"Transfer-Encoding: chunked\r\n\r\n" if chunked else b""))


@pytest.mark.parametrize("target", ["public sign-in", "upload"])
def test_a_trailer_field_over_64kib_does_not_kill_the_server(regie, target):
    """Beast stores a field in at most 64 KiB and throws past that; a trailer is not held to
    max_header_bytes, so one request with a 70 KB trailer field must not end the process."""
    trailer = b"0\r\nX-Pad: " + b"p" * 70_000 + b"\r\n\r\n"
    if target == "public sign-in":  # no credentials needed
        payload = sign_in_head() + b"2\r\n{}\r\n" + trailer
    else:
        payload = (b"PUT /dav/files/admin/trailer.bin HTTP/1.1\r\nHost: x\r\n" +
                   basic_auth_header("admin", regie.admin).encode() +
                   b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n" + trailer)
    try:
        status = regie.raw(payload, timeout=10)[0]
    except AssertionError as e:  # no answer at all
        status = str(e)
    time.sleep(0.3)
    assert regie.running(), (f"one request with a 70 KB trailer field killed the server "
                             f"(answer: {status}); stderr: {regie.err_lines[-3:]}")
    assert status in (400, 413, 431), status
    assert regie.get("/healthz", user=None).status_code == 200
    assert regie.get("/dav/files/admin/trailer.bin").status_code == 404


@pytest.mark.timeout(60)
def test_a_header_field_over_64kib_under_a_raised_limit_does_not_kill_the_server(regie_factory):
    """max_header_bytes may be raised past 64 KiB (docs/configuration.md sets no ceiling); a
    single field that long must then get an answer, not end the process."""
    r = regie_factory(env={"REGIE_HTTP_MAX_HEADER_BYTES": "256KiB"})
    try:
        status = r.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70_000 +
                       b"\r\nConnection: close\r\n\r\n")[0]
    except AssertionError as e:
        status = str(e)
    time.sleep(0.3)
    assert r.running(), (f"a 70 KB header field killed the server (answer: {status}); "
                         f"stderr: {r.err_lines[-3:]}")
    assert status in (200, 431), status


@pytest.mark.timeout(60)
def test_chunk_extensions_and_trailers_cannot_grow_memory_without_bound(regie):
    """Without credentials, a client streams 96 MiB into one chunk-size line (as a chunk
    extension) and then into one trailer; the server must refuse or drop it, not buffer it."""
    peak_kib = regie.proc_status("VmHWM")
    piece = b"p" * (1 << 20)
    sent = {}
    for name, prefix in (("chunk extension", b"1;ext="), ("trailer", b"0\r\nX-Pad: ")):
        s = socket.create_connection(("127.0.0.1", regie.port), timeout=10)
        sent[name] = 0
        try:
            s.sendall(sign_in_head() + b"2\r\n{}\r\n" + prefix)
            while sent[name] < 96 * len(piece):
                s.sendall(piece)
                sent[name] += len(piece)
        except OSError:
            pass  # refused early: what should happen
        finally:
            s.close()
        time.sleep(0.3)
        assert regie.running(), f"the server died during the {name}: {regie.err_lines[-3:]}"
    grew_mib = (regie.proc_status("VmHWM") - peak_kib) / 1024
    assert grew_mib < 32, (f"peak memory grew by {grew_mib:.0f} MiB while an anonymous client "
                           f"sent {sent} bytes of chunk extension and trailer")
    assert regie.get("/healthz", user=None).status_code == 200


def test_hostile_json_on_the_public_sign_in_is_refused(regie):
    deep = regie.raw(sign_in_head(chunked=False) +
                     b"Content-Length: 60000\r\n\r\n" + b"[" * 60_000)
    assert deep[0] == 400, deep[:1]
    big = b'{"login":"' + b"a" * 70_000 + b'","password":"x"}'
    over = regie.raw(sign_in_head(chunked=False) + b"Content-Length: %d\r\n\r\n" % len(big) + big)
    assert over[0] == 413, over[:1]
    assert regie.get("/healthz", user=None).status_code == 200


# ---- slow clients ----

class Prober:
    """From a background thread, every 0.1 s: GET /healthz on a fresh connection and GET a file
    with credentials on a kept-alive one; records (what, status or error, seconds)."""

    def __init__(self, regie, path):
        self.results = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(regie, path), daemon=True)
        self._thread.start()

    def _run(self, regie, path):
        session = regie.session()
        health = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        calls = (("healthz", lambda: regie.raw(health, timeout=5)[0]),
                 ("file", lambda: regie.get(path, session=session, timeout=(5, 5)).status_code))
        try:
            while not self._stop.is_set():
                for what, call in calls:
                    started = time.monotonic()
                    try:
                        status = call()
                    except Exception as e:  # recorded and reported by check()
                        status = repr(e)
                    self.results.append((what, status, time.monotonic() - started))
                self._stop.wait(0.1)
        finally:
            session.close()

    def check(self):
        self._stop.set()
        self._thread.join(timeout=15)
        counts = {w: sum(1 for r in self.results if r[0] == w) for w in ("healthz", "file")}
        assert min(counts.values()) >= 5, f"too few probes to judge: {counts}"
        slow = [r for r in self.results if r[1] != 200 or r[2] > PROMPT_S]
        assert not slow, f"a normal client was not served promptly during the attack: {slow[:5]}"


def drive(socks, trickles, limit_s, interval=0.25, start=None):
    """Every `interval` s sends each socket that has had no answer the next byte of its trickle
    (None: send nothing), and reads what the server sends. Returns ({i: seconds from `start`
    (default: now) until the server closed socket i}, {i: bytes received}) once all are closed
    or `limit_s` has passed since `start`."""
    start = time.monotonic() if start is None else start
    closed, got, pos = {}, {i: b"" for i in range(len(socks))}, [0] * len(socks)
    index = {s.fileno(): i for i, s in enumerate(socks)}
    next_send = start + interval
    while len(closed) < len(socks) and time.monotonic() - start < limit_s:
        still = [s for i, s in enumerate(socks) if i not in closed]
        wait = max(0.0, next_send - time.monotonic())
        readable, _, _ = select.select(still, [], [], wait)
        for s in readable:
            i = index[s.fileno()]
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                got[i] += data
            else:
                closed[i] = time.monotonic() - start
        if time.monotonic() >= next_send:
            next_send += interval
            for i, s in enumerate(socks):
                if i in closed or got[i] or trickles[i] is None:
                    continue
                t = trickles[i]
                try:
                    s.send(t[pos[i] % len(t):pos[i] % len(t) + 1])
                except OSError:
                    closed[i] = time.monotonic() - start
                pos[i] += 1
    return closed, got


def wait_open_connections(regie, good, timeout=5.0):
    """Whether /metrics' count of open connections satisfies `good` within `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        n = metrics(regie)["regie_http_open_connections"]
        if good(n):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


@pytest.mark.timeout(60)
def test_slowloris_headers_are_closed_by_the_timeout_while_others_are_served(regie_factory):
    r = regie_factory(env=SHORT_TIMEOUTS)
    assert r.put("/dav/files/admin/probe.txt", b"probe").status_code == 201  # caches the login
    base = metrics(r)["regie_http_open_connections"]
    socks = [socket.create_connection(("127.0.0.1", r.port), timeout=5) for _ in range(50)]
    try:
        for s in socks:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        sent = time.monotonic()
        prober = Prober(r, "/dav/files/admin/probe.txt")
        assert wait_open_connections(r, lambda n: n >= base + 50), \
            f"the server does not hold the 50 slow connections (open before: {base})"
        # A byte every 0.25 s: never a stall longer than the timeout, so only a deadline on the
        # whole header can end these.
        closed, _ = drive(socks, [b"X-Slow: " + b"s" * 200] * 50, TIMEOUT_S + MARGIN_S + 1,
                          start=sent)
        prober.check()
    finally:
        for s in socks:
            s.close()
    assert len(closed) == 50, f"{50 - len(closed)} trickling headers still open after " \
                              f"{TIMEOUT_S + MARGIN_S + 1:.0f}s"
    assert max(closed.values()) <= TIMEOUT_S + MARGIN_S, sorted(closed.values())[-5:]
    assert min(closed.values()) >= TIMEOUT_S - 0.5, \
        f"closed before the timeout, so not by it: {sorted(closed.values())[:5]}"
    assert wait_open_connections(r, lambda n: n <= base), \
        f"the server still counts the slow connections as open: {metrics(r)}"


@pytest.mark.timeout(60)
def test_a_stalled_request_head_is_cut_at_idle_timeout_not_read_timeout(regie_factory):
    """docs/configuration.md: idle_timeout bounds the wait for the next request's head to its end,
    read_timeout a stalled body. With a long read_timeout a half-sent head must still end at
    idle_timeout (one deadline, which bytes arriving do not push back)."""
    r = regie_factory(env={"REGIE_HTTP_IDLE_TIMEOUT": "2s", "REGIE_HTTP_READ_TIMEOUT": "30s"})
    socks = [socket.create_connection(("127.0.0.1", r.port), timeout=5) for _ in range(5)]
    try:
        for s in socks:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ")
        closed, _ = drive(socks, [None] * 5, TIMEOUT_S + MARGIN_S)
        assert len(closed) == 5, (
            f"{5 - len(closed)} of 5 request heads stalled for {TIMEOUT_S + MARGIN_S:.0f}s, "
            f"twice idle_timeout, and are still open: the head is held to read_timeout (30s)")
    finally:
        for s in socks:
            s.close()


def slow_body_request(regie, kind, i):
    """(path or None, head and first part of the body, trickle) of a request whose body
    never completes: a declared upload, a chunked upload or a PROPFIND body."""
    auth = basic_auth_header("admin", regie.admin)
    if kind == "xml":
        return None, (f"PROPFIND /dav/files/admin/ HTTP/1.1\r\nHost: x\r\n{auth}Depth: 0\r\n"
                      "Content-Type: application/xml\r\nContent-Length: 4096\r\n\r\n"
                      '<d:propfind xmlns:d="DAV:">').encode(), b" "
    path = f"/dav/files/admin/slow-{i}.bin"
    first = os.urandom(16 * 1024)
    if kind == "length":
        return path, (f"PUT {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 1048576\r\n\r\n"
                      ).encode() + first, b"b"
    return path, (f"PUT {path} HTTP/1.1\r\nHost: x\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
                  ).encode() + b"%x\r\n%s\r\n" % (len(first), first), b"1\r\nb\r\n"


@pytest.mark.timeout(60)
def test_slow_bodies_are_cut_after_read_timeout_leave_nothing_and_others_are_served(
        regie_factory):
    r = regie_factory(env=SHORT_TIMEOUTS)
    assert r.put("/dav/files/admin/probe.txt", b"probe").status_code == 201  # caches the login
    requests_ = [slow_body_request(r, ("length", "chunked", "xml")[i % 3], i) for i in range(18)]
    # Half trickle a byte every 0.25 s, half stall: either way the body never arrives.
    trickles = [trickle if i % 2 == 0 else None for i, (_, _, trickle) in enumerate(requests_)]
    socks = []
    try:
        for _, first, _ in requests_:
            s = socket.create_connection(("127.0.0.1", r.port), timeout=5)
            s.sendall(first)
            socks.append(s)
        sent = time.monotonic()
        prober = Prober(r, "/dav/files/admin/probe.txt")
        closed, got = drive(socks, trickles, TIMEOUT_S + MARGIN_S + 1, start=sent)
        prober.check()
    finally:
        for s in socks:
            s.close()
    failures = []
    for i, (path, _, _) in enumerate(requests_):
        # A 408 or a close without an answer: both end the request; any other answer would mean
        # the server took a body it never received.
        answered = got[i] and not got[i].startswith(b"HTTP/1.1 408 ")
        when = closed.get(i)
        if answered or when is None or not TIMEOUT_S - 0.5 <= when <= TIMEOUT_S + MARGIN_S:
            failures.append(f"#{i} {'trickling' if trickles[i] else 'stalled'} "
                            f"{path or 'PROPFIND'}: {got[i][:40]!r}, closed at {when}")
    assert not failures, "\n".join(failures)
    with r.session() as session:
        for path, _, _ in requests_:
            if path:
                assert r.get(path, session=session).status_code == 404, \
                    f"a partial upload was stored: {path}"
    assert not r.wait_no_stray_blob_files(), "temp files left by the cut uploads"


@pytest.mark.timeout(60)
def test_a_client_that_stops_reading_a_download_is_cut_off(regie_factory):
    r = regie_factory(env=SHORT_TIMEOUTS)
    size = 24 << 20  # far more than the kernel buffers on both sides hold
    assert r.put("/dav/files/admin/big.bin", os.urandom(1 << 20) * 24).status_code == 201
    assert r.put("/dav/files/admin/probe.txt", b"probe").status_code == 201
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", r.port))
        s.sendall(b"GET /dav/files/admin/big.bin HTTP/1.1\r\nHost: x\r\n" +
                  basic_auth_header("admin", r.admin).encode() + b"\r\n")
        prober = Prober(r, "/dav/files/admin/probe.txt")
        time.sleep(TIMEOUT_S + MARGIN_S)  # reading nothing
        prober.check()
        received, ended = 0, False
        while True:
            try:
                data = s.recv(1 << 20)
            except ConnectionResetError:
                ended = True
                break
            except socket.timeout:
                break
            if not data:
                ended = True
                break
            received += len(data)
    finally:
        s.close()
    assert ended and received < size, (
        f"the server still streamed to a client that read nothing for "
        f"{TIMEOUT_S + MARGIN_S:.0f}s: {received} of {size} bytes arrived afterwards")


# ---- brute force ----

def xff(addr):
    return {"X-Forwarded-For": addr}


def assert_throttled(resp):
    assert resp.status_code == 429, resp.status_code
    assert resp.headers.get("Retry-After", "").isdigit(), resp.headers
    assert int(resp.headers["Retry-After"]) > 0


@pytest.mark.timeout(90)
def test_password_spraying_from_one_address_is_throttled(regie_factory):
    """One guess per account never reaches account_failures (5), but address_failures counts
    every failure from the address: past it, that address is refused for every account."""
    r = regie_factory(config=TRUSTING, env={"REGIE_AUTH_ADDRESS_FAILURES": "8"})
    r.add_user("carol")
    r.add_user("dave")

    def propfind(login, addr, password=None):
        return r.request("PROPFIND", f"/dav/files/{login}/", user=login, password=password,
                         headers={"Depth": "0", **xff(addr)})

    logins = ["admin", "carol", "dave"] + [f"guess{i}" for i in range(5)]
    for login in logins:
        assert propfind(login, "10.7.7.7", password="Summer2024!").status_code == 401, login
    assert_throttled(propfind("carol", "10.7.7.7"))  # the right password, a sprayed account
    r.add_user("erin")
    assert_throttled(propfind("erin", "10.7.7.7"))  # an account never guessed at
    assert propfind("carol", "10.7.7.8").status_code == 207  # the people elsewhere still work


@pytest.mark.timeout(90)
def test_web_sign_in_is_throttled_like_basic_auth(regie_factory):
    r = regie_factory(config=TRUSTING)
    r.add_user("mila")

    def sign_in(password, addr):
        with r.session() as s:
            return s.post(r.base_url + "/api/v1/session", timeout=30,
                          json={"login": "mila", "password": password},
                          headers={"X-Requested-With": "XMLHttpRequest", **xff(addr)})

    for i in range(5):
        assert sign_in(f"wrong-{i}", "10.8.8.8").status_code == 401
    right = sign_in(r.passwords["mila"], "10.8.8.8")
    assert_throttled(right)
    assert "Set-Cookie" not in right.headers
    assert sign_in(r.passwords["mila"], "10.8.8.9").status_code == 200


# ---- TLS ----

@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    openssl = need_tool("openssl")
    root = tmp_path_factory.mktemp("tls")
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    r = Regie(root / "server", config=f'[tls]\ncert = "{cert}"\nkey = "{key}"\n')
    r.ca_file = cert
    r.start()
    yield r, openssl
    r.close()


def s_client(openssl, port, *args):
    """One handshake; returns ((protocol, cipher) or None, everything the client printed)."""
    p = subprocess.run([openssl, "s_client", "-brief", "-connect", f"127.0.0.1:{port}", *args],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    out = p.stdout + p.stderr
    protocol = re.search(r"^Protocol version: (\S+)", out, re.M)
    cipher = re.search(r"^Ciphersuite: (\S+)", out, re.M)
    if "CONNECTION ESTABLISHED" not in out or not protocol or not cipher:
        return None, out
    return (protocol.group(1), cipher.group(1)), out


def tls12_suites(openssl, spec):
    """{name: (kx, au, enc, mac)} of the TLS 1.2 (and older) suites this openssl can offer for
    `spec`; PSK and SRP suites are left out (a client without a PSK or SRP identity cannot offer
    them)."""
    out = subprocess.run([openssl, "ciphers", "-v", spec], capture_output=True, text=True,
                         timeout=30).stdout
    suites = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 6 or fields[1] == "TLSv1.3":
            continue
        kv = dict(f.split("=", 1) for f in fields[2:] if "=" in f)
        if "PSK" in kv["Kx"] or "SRP" in kv["Kx"]:
            continue
        suites[fields[0]] = (kv["Kx"], kv["Au"], kv["Enc"], kv["Mac"])
    return suites


def modern(suite):
    kx, au, _, mac = suite
    return kx in ("ECDH", "DH") and au in ("RSA", "ECDSA", "DSS") and mac == "AEAD"


def accepted_suites(openssl, port, names):
    """Every suite of `names` the server accepts with TLS 1.2 (one handshake per acceptance)."""
    offered, accepted = list(names), []
    while offered:
        got, out = s_client(openssl, port, "-tls1_2", "-cipher", ":".join(offered) + ":@SECLEVEL=0")
        if got is None:
            # The server's own refusal, not a client that could not offer the suites.
            assert "alert handshake failure" in out, out[-400:]
            break
        accepted.append(got[1])
        offered = [n for n in offered if n != got[1]]
    return accepted


def test_tls10_and_11_get_a_protocol_version_alert_while_12_and_13_negotiate(tls_server):
    r, openssl = tls_server
    for flag in ("-tls1", "-tls1_1"):
        got, out = s_client(openssl, r.port, flag, "-cipher", "DEFAULT:@SECLEVEL=0")
        if "no protocols available" in out:
            msg = f"this openssl cannot offer {flag}, so the test proves nothing"
            if os.environ.get("CI") == "true":
                pytest.fail(msg)
            pytest.skip(msg)
        assert got is None, f"{flag} negotiated {got}"
        assert "alert protocol version" in out, out[-400:]
    for flag, version in (("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")):
        got, out = s_client(openssl, r.port, flag)
        assert got is not None and got[0] == version, out[-400:]


def test_null_anonymous_and_md5_suites_are_refused(tls_server):
    """RC4, 3DES, DES and EXPORT are not even in this OpenSSL build (the server links the same
    libssl); what a client can still offer of the broken families must get a handshake
    failure."""
    r, openssl = tls_server
    broken = tls12_suites(openssl, "eNULL:aNULL:MD5:RC4:3DES:DES:EXPORT:@SECLEVEL=0")
    assert broken, "this openssl offers none of the broken suites: the test would prove nothing"
    accepted = accepted_suites(openssl, r.port, broken)
    assert not accepted, f"broken TLS 1.2 suites accepted: {accepted}"


def test_tls12_accepts_only_forward_secret_aead_suites(tls_server):
    """No static RSA key exchange (no forward secrecy), no CBC with SHA-1/SHA-2 MACs, nothing
    short of ECDHE/DHE with AES-GCM, AES-CCM or ChaCha20-Poly1305."""
    r, openssl = tls_server
    suites = tls12_suites(openssl, "ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    weak = sorted(n for n, s in suites.items() if not modern(s))
    assert len(weak) > 20, f"too few weak suites to offer: {weak}"
    accepted = accepted_suites(openssl, r.port, weak)
    assert not accepted, f"TLS 1.2 suites without forward secrecy or AEAD accepted: {accepted}"


def test_default_clients_negotiate_ecdhe_with_aead(tls_server):
    r, openssl = tls_server
    suites = tls12_suites(openssl, "ALL:@SECLEVEL=0")
    got, out = s_client(openssl, r.port, "-tls1_2")
    assert got is not None, out[-400:]
    assert got[1].startswith("ECDHE-") and modern(suites[got[1]]), got
    got, out = s_client(openssl, r.port, "-tls1_3")
    assert got is not None and got[1] in (
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"), got
