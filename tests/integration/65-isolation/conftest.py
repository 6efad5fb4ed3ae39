"""The world of the isolation tests: one `regie serve` per test module with two organisations, the
attackers of organisation A, and the victims of A and B with real data made through their own
credentials. Also: the victims' state as their own clients see it, raw requests that no HTTP
library normalises, and the leak check every attacked answer must pass.

Organisation A (alphaorg): mallory (member, the attacker), oscar (org-admin, the attacker of the
admin API), vika.fiske (member, the victim in the same organisation, sharing with sam and with a
group of A), sam (member, a sharee, so that share rows exist). Organisation B (bravoorg):
bruno.skov (member, the victim in another organisation) and bea.admin (org-admin of B, sharee
through a group of B). Each victim has folders and files (one in a folder with a composed NFC
name) with dead properties, a file locked by them, an event in `personal` (shared, published),
a second calendar, a card in `contacts`, an app password and a signed-in browser session.
"""
import re
import secrets
import socket
import time
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest

from caldav_util import CALDAV, event
from regie_harness import Regie, basic_auth_header
from web_util import Browser, signed_in

ORG_A, ORG_B = "alphaorg", "bravoorg"
ATTACKER, ORG_ADMIN, SHAREE = "mallory", "oscar", "sam"
VICTIM_A, VICTIM_B, ADMIN_B = "vika.fiske", "bruno.skov", "bea.admin"
# Per run, so that a marker found in a response cannot be a coincidence.
RUN = secrets.token_hex(5)
NOBODY = f"nobody-{RUN}"  # A login that does not exist, for the existence comparisons.
GROUP_A, GROUP_B = f"press-{RUN}", f"crew-{RUN}"
DEAD_NS = "urn:x-regie-isolation"
CS = "http://calendarserver.org/ns/"
NFC_FOLDER = "Pr\u00fcfung"  # Made composed (NFC); the attack corpus asks for it decomposed.
ROUTE_LINE = re.compile(r"\] routes: (.*)$")
INFO_TIMEOUT = 10.0


def enc(segment):
    return urllib.parse.quote(segment, safe="")


@dataclass
class Victim:
    login: str
    org: str
    password: str = ""
    tok: str = ""
    lock_token: str = ""
    app_password: str = ""
    pub_path: str = ""
    browser: Browser = None
    # Strings that only the victim's data holds: none may ever reach an attacker.
    secret_texts: list = field(default_factory=list)

    # Paths of the victim's things (percent-encoded, as sent).
    @property
    def budget(self):
        return f"Projects/budget-{self.tok}.txt"

    @property
    def locked(self):
        return f"Projects/locked-{self.tok}.txt"

    @property
    def notes(self):
        return f"{enc(NFC_FOLDER)}/notes-{self.tok}.md"

    @property
    def top(self):
        return f"top-{self.tok}.txt"

    @property
    def event(self):
        return f"personal/ev-{self.tok}.ics"

    @property
    def work_calendar(self):
        return f"work-{self.tok}/"

    @property
    def card(self):
        return f"contacts/card-{self.tok}.vcf"


class World:
    """The server, its accounts and the victims' data; see the module docstring."""

    org_a, org_b, attacker, org_admin, sharee = ORG_A, ORG_B, ATTACKER, ORG_ADMIN, SHAREE
    admin_b, group_a, group_b, run, nobody = ADMIN_B, GROUP_A, GROUP_B, RUN, NOBODY

    def __init__(self, regie: Regie):
        self.r = regie
        self.victims = {}
        self.attacker_session = None
        self.anonymous = None
        self.index_page = b""
        self.baseline = None  # The full snapshot right after the build.
        self.last_fingerprint = None
        self.sent_by_attackers = set()
        self._secret_forms = None
        self.last_rows_written = None
        self.last_locks = None

    @property
    def victim_a(self) -> Victim:
        return self.victims[VICTIM_A]

    @property
    def victim_b(self) -> Victim:
        return self.victims[VICTIM_B]

    # ---- set-up ----

    def build(self):
        r = self.r
        r.cli_ok("org", "add", ORG_A, "--domain", "alpha.example")
        r.cli_ok("org", "add", ORG_B, "--domain", "bravo.example", "--quota", "1GiB")
        r.add_user(ATTACKER, org=ORG_A, email="mallory@alpha.example")
        r.add_user(ORG_ADMIN, org=ORG_A, role="org-admin", email="oscar@alpha.example")
        r.add_user(SHAREE, org=ORG_A)
        r.add_user(VICTIM_A, org=ORG_A, email="vika.fiske@alpha.example")
        r.add_user(VICTIM_B, org=ORG_B, email=f"bruno.skov-{RUN}@bravo.example")
        r.add_user(ADMIN_B, org=ORG_B, role="org-admin", email=f"bea-{RUN}@bravo.example")
        r.cli_ok("group", "add", GROUP_A, "--org", ORG_A)
        r.cli_ok("group", "add-member", GROUP_A, SHAREE)
        r.cli_ok("group", "add", GROUP_B, "--org", ORG_B)
        r.cli_ok("group", "add-member", GROUP_B, ADMIN_B)
        for login, org in ((VICTIM_A, ORG_A), (VICTIM_B, ORG_B)):
            self.victims[login] = self._victim_data(login, org)
        self.r.cli_ok("share", "add", VICTIM_A, "calendar", "personal", SHAREE, "--read-write")
        self.r.cli_ok("share", "add", VICTIM_A, "addressbook", "contacts", GROUP_A)
        self.r.cli_ok("share", "add", VICTIM_B, "calendar", "personal", GROUP_B)
        # The victim in B is known to B's directory and admin listing by name and e-mail: those
        # are B's secrets. Organisation A's directory shows vika.fiske to A by design.
        self.victims[VICTIM_B].secret_texts += [
            VICTIM_B, f"bruno.skov-{RUN}@bravo.example", ADMIN_B, f"bea-{RUN}@bravo.example",
            GROUP_B]
        # The attackers' own things, the sources of COPY and MOVE towards the victims.
        for login in (ATTACKER, ORG_ADMIN):
            ok(r.put(f"/dav/files/{login}/own-{RUN}.txt", b"the attacker's own", user=login), 201)
            ok(r.put(f"/dav/calendars/{login}/personal/own-{RUN}.ics",
                     event(f"own-{RUN}", "20260401T100000Z", "20260401T110000Z", "own"),
                     user=login, headers={"Content-Type": "text/calendar"}), 201)
            ok(r.put(f"/dav/addressbooks/{login}/contacts/own-{RUN}.vcf",
                     vcard(f"own-{RUN}", "A friend"), user=login,
                     headers={"Content-Type": "text/vcard"}), 201)
        r.cli_ok("app-password", "add", ATTACKER, "--label", "attacker-phone")
        self.attacker_session = signed_in(r, ATTACKER)
        page = r.get("/", user=None)
        ok(page, 200)
        self.index_page = page.content
        self.anonymous = Attacker(self, "anonymous", None)
        self.baseline = self.snapshot()
        self.last_fingerprint = self.fingerprint()
        self.last_rows_written, self.last_locks = self.rows_written(), self._locks()
        return self

    def _victim_data(self, login, org):
        r = self.r
        v = Victim(login=login, org=org, password=r.passwords[login],
                   tok=f"{login.split('.')[0]}-{RUN}")
        base = f"/dav/files/{login}/"
        dav = dict(user=login)
        ok(r.request("MKCOL", base + "Projects/", **dav), 201)
        ok(r.put(base + v.budget, f"budget of {v.tok}: 1234".encode(), **dav), 201)
        ok(r.put(base + v.locked, f"locked text of {v.tok}".encode(), **dav), 201)
        ok(r.request("MKCOL", base + enc(NFC_FOLDER) + "/", **dav), 201)
        ok(r.put(base + v.notes, f"notes of {v.tok}".encode(), **dav), 201)
        ok(r.put(base + v.top, f"top of {v.tok}".encode(), **dav), 201)
        for path, label in ((v.budget, f"label-{v.tok}"), ("Projects/", f"folder-label-{v.tok}")):
            ok(r.request("PROPPATCH", base + path, data=proppatch_set(label), **dav), 207)
        lock = r.request("LOCK", base + v.locked, data=LOCKINFO.replace(b"OWNER", v.tok.encode()),
                         headers={"Timeout": "Second-3600", "Content-Type": "application/xml"},
                         **dav)
        ok(lock, 200)
        v.lock_token = lock.headers["Lock-Token"].strip("<>")
        cal = f"/dav/calendars/{login}/"
        ok(r.put(cal + v.event, event(f"ev-{v.tok}", "20260310T100000Z", "20260310T110000Z",
                                      f"meeting-{v.tok}"),
                 headers={"Content-Type": "text/calendar"}, **dav), 201)
        ok(r.request("MKCALENDAR", cal + v.work_calendar,
                     data=mkcalendar(f"work calendar {v.tok}"), **dav), 201)
        ok(r.put(f"/dav/addressbooks/{login}/{v.card}", vcard(f"card-{v.tok}", f"contact-{v.tok}"),
                 headers={"Content-Type": "text/vcard"}, **dav), 201)
        v.pub_path = r.cli_ok("publish", login, "personal").stdout.strip()
        assert v.pub_path.startswith("/pub/calendars/"), v.pub_path
        out = r.cli_ok("app-password", "add", login, "--label", f"{login.split('.')[0]}-phone")
        v.app_password = re.search(r"app password: (\S+)", out.stdout).group(1)
        v.browser = signed_in(r, login)
        pub_token = v.pub_path.removeprefix("/pub/calendars/").removesuffix(".ics")
        v.secret_texts = [
            # Contents and property values.
            f"budget of {v.tok}", f"label-{v.tok}", f"folder-label-{v.tok}",
            f"locked text of {v.tok}", f"notes of {v.tok}", f"top of {v.tok}", f"meeting-{v.tok}",
            f"contact-{v.tok}", f"work calendar {v.tok}",
            # Names.
            f"budget-{v.tok}", f"locked-{v.tok}", f"notes-{v.tok}", f"top-{v.tok}", f"ev-{v.tok}",
            f"card-{v.tok}", f"work-{v.tok}",
            # Tokens and credentials.
            v.lock_token, pub_token, v.app_password, v.password, v.browser.csrf]
        return v

    # ---- what the server says about itself ----

    def route_table(self):
        """The routes `regie serve` logged at start, as logged ("/dav/files/", "/ (public)")."""
        deadline = time.monotonic() + INFO_TIMEOUT
        while True:
            for line in list(self.r.err_lines):
                m = ROUTE_LINE.search(line)
                if m:
                    return [s.strip() for s in m.group(1).split(",")]
            if time.monotonic() > deadline:
                pytest.fail(f"no 'routes:' line on stderr; stderr={self.r.err_lines[-10:]}")
            time.sleep(0.05)

    # ---- the victims' state, through their own credentials ----

    def snapshot(self):
        """Everything the victims can see of their data (and the operator of the accounts): every
        file's properties (dead ones and locks included) and bytes, every calendar and address
        book with its sharees, publication, etags and objects, the sync tokens, the credentials
        (password, app password, web session), shares and groups."""
        state = {}
        for v in self.victims.values():
            s = {"files": self._walk_files(v),
                 "calendars": self._walk_groupware(v, "calendars"),
                 "addressbooks": self._walk_groupware(v, "addressbooks"),
                 "files-sync-token": self.sync_token(f"/dav/files/{v.login}/", v.login),
                 "credentials": self._credentials(v)}
            pub = self.r.get(v.pub_path, user=None)
            s["published"] = (pub.status_code, pub.content)
            s["app passwords"] = self.r.cli_ok("app-password", "list", v.login).stdout
            s["shares"] = {kind: self.r.cli_ok("share", "list", v.login, kind, name).stdout
                           for kind, name in (("calendar", "personal"),
                                              ("addressbook", "contacts"))}
            state[v.login] = s
        state["accounts"] = self._accounts()
        state["groups"] = self.r.cli_json("group", "list")
        return state

    def fingerprint(self):
        """What any change of the victims' data moves: the sync tokens of their trees, calendars
        and address books, their locks, credentials and accounts."""
        state = {}
        for v in self.victims.values():
            homes = {}
            for kind in ("calendars", "addressbooks"):
                r = self.r.request("PROPFIND", f"/dav/{kind}/{v.login}/", user=v.login,
                                   data=COLLECTION_PROPS,
                                   headers={"Depth": "1", "Content-Type": "application/xml"})
                ok(r, 207)
                homes[kind] = multistatus_props(r.content)
            state[v.login] = {"files-sync-token": self.sync_token(f"/dav/files/{v.login}/",
                                                                  v.login),
                              "homes": homes, "credentials": self._credentials(v)}
        state["locks"] = self._locks()
        state["accounts"] = self._accounts()
        return state

    @staticmethod
    def describe_change(before, now):
        return describe_change(before, now)

    def assert_unchanged(self, what):
        """Checks that the victims' state is the one after the previous case (so that only the case
        that changed something fails) and that the server still answers. Stored data changes only
        with metadata rows written (regie_store_rows_written_total, which reads, sign-ins and
        refusals leave alone) and locks live in memory: while neither moved, the fingerprint of
        the previous case still holds."""
        self.healthy()
        rows, locks = self.rows_written(), self._locks()
        if rows == self.last_rows_written and locks == self.last_locks:
            return
        now = self.fingerprint()
        before, self.last_fingerprint = self.last_fingerprint, now
        self.last_rows_written, self.last_locks = rows, locks
        if now != before:
            raise AssertionError(f"{what} changed the victims' data:\n" +
                                 describe_change(before, now))

    def fail_on(self, problems, what):
        """Ends a case: fails with its problems and any change it made to the victims' data."""
        try:
            self.assert_unchanged(what)
        except AssertionError as e:
            problems.append(str(e))
        if problems:
            pytest.fail(f"{len(problems)} problems:\n" + "\n".join(problems[:30]))

    def rows_written(self):
        text = self.r.get("/metrics", user=None).text
        return int(re.search(r"^regie_store_rows_written_total (\d+)$", text, re.M).group(1))

    def _locks(self):
        out = {}
        for v in self.victims.values():
            r = self.r.request("PROPFIND", f"/dav/files/{v.login}/{v.locked}", user=v.login,
                               data=LOCK_PROPS, headers={"Depth": "0"})
            ok(r, 207)
            out[v.login] = multistatus_props(r.content)
        return out

    def _credentials(self, v):
        def works(**auth):
            return self.r.request("PROPFIND", f"/dav/principals/{v.login}/", user=v.login,
                                  headers={"Depth": "0"}, **auth).status_code
        session = v.browser.get("/api/v1/session")
        return {"password": works(), "app password": works(password=v.app_password),
                "web session": (session.status_code, session.content)}

    def _accounts(self):
        users = ok(self.r.get("/api/v1/admin/users"), 200)
        orgs = ok(self.r.get("/api/v1/admin/orgs"), 200)
        # The attackers' own accounts may change under their own hands (usage, a quota an
        # org-admin sets on themselves): everybody else's must not.
        mine = {ATTACKER, ORG_ADMIN}
        out = {"users": sorted((u["login"], u["org"], u["role"], u["email"], u["display_name"],
                                u["quota"], u["disabled"], u["used"])
                               for u in users.json() if u["login"] not in mine)}
        out["orgs"] = sorted((o["name"], tuple(o["domains"]), o["quota"], o["users"],
                              o["disabled"], None if o["name"] == ORG_A else o["used"])
                             for o in orgs.json())
        return out

    def _walk_files(self, v):
        out = {}
        pending = [f"/dav/files/{enc(v.login)}/"]
        while pending:
            path = pending.pop()
            r = self.r.request("PROPFIND", path, user=v.login, data=ALLPROP,
                               headers={"Depth": "1", "Content-Type": "application/xml"})
            ok(r, 207)
            for href, props in multistatus_props(r.content).items():
                if href.endswith("/"):
                    out[href] = props
                    if href != urllib.parse.unquote(path):
                        pending.append(urllib.parse.quote(href))
                else:
                    body = self.r.get(urllib.parse.quote(href), user=v.login)
                    out[href] = dict(props, bytes=(body.status_code, body.content))
        return out

    def _walk_groupware(self, v, kind):
        home = f"/dav/{kind}/{v.login}/"
        r = self.r.request("PROPFIND", home, user=v.login, data=COLLECTION_PROPS,
                           headers={"Depth": "1", "Content-Type": "application/xml"})
        ok(r, 207)
        out = {"home": multistatus_props(r.content)}
        for href in out["home"]:
            if href == home:
                continue
            listing = self.r.request("PROPFIND", href, user=v.login, data=COLLECTION_PROPS,
                                     headers={"Depth": "1", "Content-Type": "application/xml"})
            ok(listing, 207)
            members = multistatus_props(listing.content)
            for obj in members:
                if not obj.endswith("/"):
                    got = self.r.get(urllib.parse.quote(obj), user=v.login)
                    members[obj] = dict(members[obj], body=(got.status_code, got.content))
            out[href] = members
        return out

    def sync_token(self, path, login):
        body = (b'<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token/>'
                b"<d:sync-level>infinite</d:sync-level><d:prop><d:getetag/></d:prop>"
                b"</d:sync-collection>")
        r = self.r.request("REPORT", path, user=login, data=body,
                           headers={"Content-Type": "application/xml"})
        ok(r, 207)
        token = ET.fromstring(r.content).find("{DAV:}sync-token")
        return token.text if token is not None else None

    # ---- checks of attacked answers ----

    def leaked(self, request_text, response_text, remember=False):
        """The victim secrets found in a response, leaving out those the request itself sent (an
        error that echoes the asked path reveals nothing). With `remember`, also those that any
        earlier remembered request sent: a name the attacker used for a file of their own may
        come back in their own listings."""
        if self._secret_forms is None:
            self._secret_forms = [(f"{v.login}: {s!r}", s, {s, enc(s), urllib.parse.quote(s)})
                                  for v in self.victims.values() for s in v.secret_texts]
        found = []
        for label, secret, forms in self._secret_forms:
            if remember and secret not in self.sent_by_attackers and any(
                    f in request_text for f in forms):
                self.sent_by_attackers.add(secret)
            if remember and secret in self.sent_by_attackers:
                continue
            if any(f in response_text and f not in request_text for f in forms):
                found.append(label)
        return found

    def healthy(self):
        assert self.r.running(), f"regie died; stderr={self.r.err_lines[-20:]}"
        assert self.r.get("/healthz", user=None).status_code == 200


def ok(response, status):
    assert response.status_code == status, (response.request.method, response.request.url,
                                            response.status_code, response.text[:300])
    return response


def vcard(uid, name):
    return (f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\n"
            f"EMAIL:{uid}@example.org\r\nEND:VCARD\r\n").encode()


def proppatch_set(label):
    return (f'<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:i="{DEAD_NS}">'
            f"<d:set><d:prop><i:label>{label}</i:label></d:prop></d:set></d:propertyupdate>"
            ).encode()


def mkcalendar(name):
    return (f'<?xml version="1.0"?><C:mkcalendar xmlns:d="DAV:" xmlns:C="{CALDAV}"><d:set>'
            f"<d:prop><d:displayname>{name}</d:displayname></d:prop></d:set></C:mkcalendar>"
            ).encode()


LOCKINFO = (b'<?xml version="1.0"?><d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/>'
            b"</d:lockscope><d:locktype><d:write/></d:locktype><d:owner>OWNER</d:owner>"
            b"</d:lockinfo>")
ALLPROP = b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>'
COLLECTION_PROPS = (f'<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:CS="{CS}">'
                    "<d:prop><d:displayname/><d:resourcetype/><d:getetag/><d:sync-token/>"
                    "<CS:getctag/><CS:invite/><CS:publish-url/></d:prop></d:propfind>").encode()
LOCK_PROPS = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:lockdiscovery/>'
              b"<d:getetag/></d:prop></d:propfind>")


def describe_change(before, now, path=""):
    """The first differences between two snapshots, as readable lines."""
    if isinstance(before, dict) and isinstance(now, dict):
        lines = []
        for key in sorted(set(before) | set(now), key=str):
            if before.get(key) != now.get(key):
                if key not in before or key not in now:
                    lines.append(f"{path}/{key}: {before.get(key)!r:.300} -> "
                                 f"{now.get(key)!r:.300}")
                else:
                    lines.append(describe_change(before[key], now[key], f"{path}/{key}"))
        return "\n".join(lines[:10])
    return f"{path}: {before!r:.300} -> {now!r:.300}"


def multistatus_props(content):
    """{href: {"{ns}name": text of the property, status-aware}} with lock timeouts left out (they
    count down) and lock tokens kept (a lock that went or came is a change)."""
    root = ET.fromstring(content)
    out = {}
    for resp in root.findall("{DAV:}response"):
        href = urllib.parse.unquote(resp.find("{DAV:}href").text)
        props = {}
        for ps in resp.findall("{DAV:}propstat"):
            status = ps.find("{DAV:}status").text
            for prop in ps.find("{DAV:}prop"):
                for timeout in prop.iter("{DAV:}timeout"):
                    timeout.text = ""
                props[prop.tag] = (status, ET.tostring(prop, encoding="unicode"))
        out[href] = props
    return out


# ---- raw requests ----

@dataclass
class RawAnswer:
    status: int
    headers: dict
    body: bytes
    raw: bytes

    def text(self):
        return self.raw.decode("utf-8", "replace")


def raw_request(port, method, target: bytes, headers: dict, body: bytes = b"",
                timeout=10.0) -> RawAnswer:
    """One request with `target` sent byte for byte (no client normalises it), on its own
    connection; reads to the close and undoes chunked transfer coding."""
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1:%d" % port,
             b"Connection: close"]
    for k, v in headers.items():
        lines.append(f"{k}: {v}".encode())
    if body or method in ("PUT", "POST", "PATCH", "PROPFIND", "PROPPATCH", "REPORT", "LOCK"):
        lines.append(b"Content-Length: %d" % len(body))
    payload = b"\r\n".join(lines) + b"\r\n\r\n" + body
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    data = b""
    deadline = time.monotonic() + timeout
    try:
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    head, sep, rest = data.partition(b"\r\n\r\n")
    assert sep, f"{method} {target!r}: no complete response (got {data[:200]!r})"
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", status_line)
    assert m, f"{method} {target!r}: not an HTTP response: {status_line!r}"
    hdrs = {}
    for line in header_lines:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding", "").lower() == "chunked":
        rest = dechunk(rest)
    return RawAnswer(int(m.group(1)), hdrs, rest, data)


def dechunk(data):
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2:]
    return out


class Attacker:
    """One way of being mallory or oscar: Basic credentials, or mallory's browser session with
    its CSRF token (the cookie authenticates /dav/ too); no login: no credentials at all."""

    def __init__(self, world, name, login, session=None):
        self.world, self.name, self.login, self.session = world, name, login, session

    def headers(self):
        if self.login is None:
            return {}
        if self.session is None:
            return {"Authorization": basic_auth_header(
                self.login, self.world.r.passwords[self.login]).split(": ", 1)[1].strip()}
        return {"Cookie": f"regie_session={self.session.cookie()}",
                "X-Requested-With": "XMLHttpRequest", "X-CSRF-Token": self.session.csrf}

    def send(self, method, target, headers=None, body=b""):
        target = target.encode("latin-1") if isinstance(target, str) else target
        return raw_request(self.world.r.port, method, target, {**self.headers(), **(headers or {})},
                           body)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    r = Regie(tmp_path_factory.mktemp("isolation"))
    r.start()
    try:
        w = World(r).build()
        yield w
    finally:
        r.close()


@pytest.fixture(scope="module")
def attackers(world):
    return [Attacker(world, "member-basic", ATTACKER),
            Attacker(world, "member-session", ATTACKER, session=world.attacker_session),
            Attacker(world, "orgadmin-basic", ORG_ADMIN)]
