"""The workload of test_crash_consistency: a model of the expected store and client threads that
drive it over HTTP.

Each worker owns a namespace (a folder under the admin's files, and name prefixes in the personal
calendar and the contacts book), so workers never race each other and each has at most one request
in flight at the kill. An operation is chosen from the worker's model of its namespace, which also
yields the expected status and the state after it (`Op.after`): an acknowledged operation (the
expected 2xx) moves the model to `after`; one in flight at the kill leaves two candidates, and the
restarted server must show exactly one of them.
"""
import collections
import hashlib
import http.client
import random
import re
import threading
import time
import xml.sax.saxutils

from caldav_util import event

FILES = "/dav/files/admin/"
CAL = "/dav/calendars/admin/personal/"
BOOK = "/dav/addressbooks/admin/contacts/"
NS = "urn:x-regie-crash"
PROP_NAMES = ("p0", "p1", "p2")
FILE_NAMES = tuple(f"f{i}" for i in range(5))
DIR_NAMES = tuple(f"d{i}" for i in range(3))
OBJECT_SLOTS = 4  # per worker: w<t>-e<k>.ics and w<t>-c<k>.vcf
INLINE_MAX = 8192  # [server] inline_blob_bytes default: up to this size no blob file is written
PIECE = 64 * 1024
WORDS = ("loan", "Städel", "archive", "Straße", "a&b", "<tag>", "x", "2026", "zoë", "ledger")

# kind "dir" (body None) or "file"; props: sorted ((name, value), ...) of dead properties in NS.
Node = collections.namedtuple("Node", "kind body props")
DIR = Node("dir", None, ())


class Aborted(Exception):
    """The test stopped a trickled upload: the server is already dead."""


def describe(node):
    if node is None:
        return "absent"
    props = f" props={dict(node.props)}" if node.props else ""
    if node.kind == "dir":
        return "folder" + props
    return f"{len(node.body)} bytes sha256={hashlib.sha256(node.body).hexdigest()[:12]}" + props


def diff(expected, observed, limit=12):
    """Human-readable differences between two {path: Node} maps."""
    out = []
    for path in sorted(set(expected) | set(observed)):
        want, got = expected.get(path), observed.get(path)
        if want == got:
            continue
        note = ""
        if want and got and want.kind == got.kind == "file" and want.body != got.body:
            same = next((i for i, (a, b) in enumerate(zip(want.body, got.body)) if a != b),
                        min(len(want.body), len(got.body)))
            note = f" (first {same} bytes agree)"
        out.append(f"{path}: expected {describe(want)}, found {describe(got)}{note}")
    return out[:limit] + ([f"... {len(out) - limit} more"] if len(out) > limit else [])


class Op:
    def __init__(self, kind, method, path, after, expect, body=b"", headers=None, trickle=False):
        self.kind, self.method, self.path, self.after = kind, method, path, after
        self.expect, self.body, self.headers, self.trickle = expect, body, headers or {}, trickle

    def removed_folders(self, before):
        """Folders of `before` that this operation deletes, moves away or overwrites (some may
        exist again afterwards: a MOVE or COPY onto a folder replaces it)."""
        gone = {p for p in before if p.endswith("/") and p not in self.after}
        if self.method in ("MOVE", "COPY") and self.headers["Destination"].endswith("/"):
            gone |= {p for p in before if p.endswith("/") and p in self.after and
                     p.startswith(self.headers["Destination"])}
        return gone

    def __repr__(self):
        dest = self.headers.get("Destination")
        return (f"{self.method} {self.path}" + (f" -> {dest}" if dest else "") +
                f" ({len(self.body)} bytes)")


class Namespace:
    def __init__(self, t):
        self.root = f"{FILES}w{t}/"
        self.cal_prefix = f"{CAL}w{t}-"
        self.book_prefix = f"{BOOK}w{t}-"

    def owns(self, path):
        return (path.startswith(self.root) and path != self.root) or \
            path.startswith(self.cal_prefix) or path.startswith(self.book_prefix)


def subtree(state, path):
    return [p for p in state if p == path or (path.endswith("/") and p.startswith(path))]


def random_text(rng, n_words):
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def file_body(rng):
    r = rng.random()
    if r < 0.04:
        n = 0
    elif r < 0.35:
        n = rng.randint(1, INLINE_MAX - 1)
    elif r < 0.45:
        n = rng.choice((INLINE_MAX - 1, INLINE_MAX, INLINE_MAX + 1, INLINE_MAX + 2))
    elif r < 0.88:
        n = rng.randint(INLINE_MAX + 1, 128 * 1024)
    else:
        n = rng.randint(256 * 1024, 2 << 20)
    return rng.randbytes(n)


def folded(name, text):
    """An iCalendar/vCard content line folded every 70 characters (RFC 5545 §3.1: 75 octets)."""
    line = f"{name}:{text}"
    return "\n ".join(line[i:i + 70] for i in range(0, len(line), 70)) + "\n"


def long_note(rng):
    """Usually a few words; sometimes enough text to push the object past the inline limit."""
    if rng.random() < 0.2:
        return "".join(rng.choice("abcdefghij0123456789") for _ in range(rng.randint(9000, 20000)))
    return random_text(rng, rng.randint(1, 6))  # an empty value is invalid


def choose_op(rng, ns, state):
    """A random operation that is valid on `state` (the worker's namespace)."""
    dirs = [p for p, n in state.items() if n.kind == "dir"]
    parents = [ns.root] + dirs
    items = [p for p in state if p.startswith(ns.root)]
    r = rng.random()
    if r < 0.28:
        return put_file(rng, state, rng.choice(parents) + rng.choice(FILE_NAMES))
    if r < 0.35:
        free = [ns.root + d + "/" for d in DIR_NAMES if ns.root + d + "/" not in state]
        if free:
            path = rng.choice(free)
            return Op("MKCOL", "MKCOL", path, {**state, path: DIR}, {201})
    if r < 0.43 and items:
        path = rng.choice(items)
        after = {p: n for p, n in state.items() if p not in subtree(state, path)}
        return Op("DELETE", "DELETE", path, after, {204})
    if r < 0.61 and items:
        return move_or_copy(rng, ns, state, parents, rng.choice(items),
                            "MOVE" if r < 0.53 else "COPY")
    if r < 0.71 and items:
        return proppatch(rng, state, rng.choice(items))
    if r < 0.85:
        return groupware_put(rng, state, ns.cal_prefix, "e", calendar_body)
    if r < 0.95:
        return groupware_put(rng, state, ns.book_prefix, "c", card_body)
    objects = [p for p in state if not p.startswith(ns.root)]
    if objects:
        path = rng.choice(objects)
        return Op("DELETE-object", "DELETE", path,
                  {p: n for p, n in state.items() if p != path}, {204})
    return put_file(rng, state, ns.root + rng.choice(FILE_NAMES))


def put_file(rng, state, path):
    body = file_body(rng)
    old = state.get(path)
    after = {**state, path: Node("file", body, old.props if old else ())}
    return Op("PUT", "PUT", path, after, {204} if old else {201}, body,
              {"Content-Type": "application/octet-stream"}, trickle=len(body) > 4 * PIECE)


def move_or_copy(rng, ns, state, parents, src, method):
    if src.endswith("/"):
        choices = [ns.root + d + "/" for d in DIR_NAMES if ns.root + d + "/" != src]
    else:
        choices = [p + f for p in parents for f in FILE_NAMES if p + f != src]
    dst = rng.choice(choices)
    # RFC 4918 §9.8.4/§9.9.3: with Overwrite: T the destination is deleted first; dead
    # properties travel with the resource (this server also copies them on COPY).
    gone = set(subtree(state, dst)) | (set(subtree(state, src)) if method == "MOVE" else set())
    after = {p: n for p, n in state.items() if p not in gone}
    after.update({dst + p[len(src):]: state[p] for p in subtree(state, src)})
    return Op(method, method, src, after, {204} if dst in state else {201},
              headers={"Destination": dst})


def proppatch(rng, state, path):
    props = dict(state[path].props)
    sets = {n: random_text(rng, rng.randint(1, 4))
            for n in rng.sample(PROP_NAMES, rng.randint(1, 2))}
    removes = [n for n in PROP_NAMES if n not in sets and rng.random() < 0.3]
    props.update(sets)
    for n in removes:
        props.pop(n, None)
    body = f'<?xml version="1.0" encoding="utf-8"?><d:propertyupdate xmlns:d="DAV:" xmlns:z="{NS}">'
    body += "<d:set><d:prop>" + "".join(
        f"<z:{n}>{xml.sax.saxutils.escape(v)}</z:{n}>" for n, v in sets.items()) + \
        "</d:prop></d:set>"
    if removes:
        body += "<d:remove><d:prop>" + "".join(f"<z:{n}/>" for n in removes) + \
            "</d:prop></d:remove>"
    body += "</d:propertyupdate>"
    after = {**state, path: state[path]._replace(props=tuple(sorted(props.items())))}
    return Op("PROPPATCH", "PROPPATCH", path, after, {207}, body.encode(),
              {"Content-Type": "application/xml; charset=utf-8"})


def calendar_body(rng, uid):
    day = rng.randint(10, 27)
    return event(uid, f"202603{day}T100000Z", f"202603{day + rng.randint(0, 1)}T230000Z",
                 summary=random_text(rng, rng.randint(1, 5)).replace("&", "and"),
                 extra=folded("DESCRIPTION", long_note(rng)))


def card_body(rng, uid):
    text = (f"BEGIN:VCARD\nVERSION:4.0\nUID:{uid}\nFN:{random_text(rng, 2)}\n" +
            folded("NOTE", long_note(rng)) + "END:VCARD\n")
    return text.replace("\n", "\r\n").encode()


def groupware_put(rng, state, prefix, letter, make_body):
    k = rng.randrange(OBJECT_SLOTS)
    ext, ctype = (".ics", "text/calendar") if letter == "e" else (".vcf", "text/vcard")
    path = f"{prefix}{letter}{k}{ext}"
    body = make_body(rng, "crash-" + path.rsplit("/", 1)[1])
    after = {**state, path: Node("file", body, ())}
    return Op("PUT-" + ("event" if letter == "e" else "card"), "PUT", path, after,
              {204} if path in state else {201}, body,
              {"Content-Type": ctype + "; charset=utf-8"})


PROPSTAT_STATUS_RE = re.compile(rb"<d:status>HTTP/1\.1 (\d{3})")


def send(conn, op, auth, stop):
    """Sends `op` on `conn` (a trickled body checks `stop` between pieces); (status, body)."""
    conn.putrequest(op.method, op.path, skip_accept_encoding=True)
    conn.putheader("Authorization", auth)
    for k, v in op.headers.items():
        conn.putheader(k, v)
    conn.putheader("Content-Length", str(len(op.body)))
    conn.endheaders()
    if op.trickle:
        for off in range(0, len(op.body), PIECE):
            if stop.is_set():
                raise Aborted()
            conn.send(op.body[off:off + PIECE])
            time.sleep(0.01)
    elif op.body:
        conn.send(op.body)
    resp = conn.getresponse()
    return resp.status, resp.read()


class Worker:
    """One client thread's namespace, model and per-cycle outcome."""

    def __init__(self, t, seed):
        self.t = t
        self.ns = Namespace(t)
        self.rng = random.Random(f"{seed}/worker{t}")
        self.state = {}
        self.replaced = set()  # folders removed since the last check; see Op.removed_folders
        self.acked = collections.Counter()
        self.pending = None
        self.failure = None  # (time, text) of an unexpected answer or a pre-kill error
        self.error_at = None
        self.thread = None

    def apply(self, op):
        self.replaced |= op.removed_folders(self.state)
        self.state = op.after

    def start(self, port, auth, stop, max_ops=5000):
        self.pending, self.failure, self.error_at = None, None, None
        self.thread = threading.Thread(target=self._run, args=(port, auth, stop, max_ops),
                                       daemon=True)
        self.thread.start()

    def _run(self, port, auth, stop, max_ops):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for _ in range(max_ops):
                if stop.is_set():
                    return
                op = choose_op(self.rng, self.ns, self.state)
                try:
                    status, body = send(conn, op, auth, stop)
                except (OSError, http.client.HTTPException, Aborted) as e:
                    self.pending, self.error_at = op, (time.monotonic(), repr(e))
                    return
                bad = [s for s in PROPSTAT_STATUS_RE.findall(body) if s != b"200"]
                if status not in op.expect or (op.method == "PROPPATCH" and bad):
                    self.failure = f"{op!r} answered {status} (expected {sorted(op.expect)}): " \
                                   f"{body[:300]!r}"
                    return
                self.apply(op)
                self.acked[op.kind] += 1
        finally:
            conn.close()
