"""The isolation matrix (issue 6): for every route in the server's own route table and every
method, the attackers of organisation A (mallory, a member, with Basic credentials and with her
browser session; oscar, an org-admin) try to reach the data of vika.fiske (same organisation, no
share) and of bruno.skov and bea.admin (organisation B). The server logs its route table at start;
a route that COVERAGE below does not know, or a covered route that went away, fails
test_every_route_of_the_server_is_covered, so a new route cannot ship without a row here.

The rule (docs/access.md, docs/api.md) as this file applies it:
- A victim's resource is not readable to the attacker, so it is 404, the answer a resource or a
  login that does not exist gets. That holds for every method, also those that would write: an
  attacker must not learn that a thing exists by trying to change it.
- A 405 is allowed only where the route serves no such method at all. It is then the same 405 for
  every path, existing or not, so it reveals nothing. OPTIONS may answer 200 with an empty body:
  it lists the route's methods, the same for every path.
- A 403 only where the documents say so: a COPY or MOVE whose Destination lies in another tree,
  the admin API for members ("members get 403"), and what only operators may do. In the
  attacker's own home, a name that only another user's share would fill (<name>_shared_by_<login>)
  answers what a name that fills nothing gets: 403 for the reserved name, 404, or 409 (no parent).
- Never 401 (the attackers are signed in), never 400 (every probe is a well-formed request), never
  5xx, and never 2xx. The one 2xx is the web app's page: the same static index.html for every
  app address, holding nothing.
Every probe of a group must get the same answer (status, headers that could tell something,
body), whether it names a victim's thing or nothing. No answer may contain a victim's secret
(contents, names, property values, tokens) unless the request itself sent it. After every case the
victims' state, as their own clients see it, must be unchanged. At the end the full snapshot
(bytes, properties, locks, shares, credentials) must match the one taken before the first case.
"""
import base64
import json
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable

import pytest

from caldav_util import CALDAV, CARDDAV, event

METHODS = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PROPFIND", "PROPPATCH", "MKCOL",
           "MKCALENDAR", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "POST", "PATCH", "ACL"]
# Headers whose value could tell an attacker something about what exists.
TELLING_HEADERS = ("content-type", "content-length", "allow", "dav", "location", "etag",
                   "last-modified", "lock-token", "content-disposition", "www-authenticate",
                   "set-cookie", "content-range", "accept-ranges")
CS = "http://calendarserver.org/ns/"
OC = "http://owncloud.org/ns"
DEAD_NS = "urn:x-regie-isolation"
JSON = {"Content-Type": "application/json"}
XML = {"Content-Type": "application/xml; charset=utf-8"}


@dataclass(frozen=True)
class Probe:
    target: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Group:
    """Requests that must all get the same answer, one that `allowed` accepts."""
    name: str
    allowed: Callable
    targets: list = field(default_factory=list)  # Sent with each of the method's variants.
    probes: list = field(default_factory=list)  # Sent as they are.


# ---- what each kind of group may answer ----

def empty_options(method, ans):
    return method == "OPTIONS" and ans.status == 200 and not ans.body


def unreadable(method, ans):
    return ans.status in (404, 405) or empty_options(method, ans)


def refused_in_own_space(method, ans):
    # A name in the attacker's own home that only another user's share would fill: whatever a
    # name that fills nothing gets (a MKCALENDAR there is 403, a PUT below it 404 or 409).
    return ans.status in (403, 404, 405, 409) or empty_options(method, ans)


def refused(method, ans):
    return ans.status in (403, 404, 405) or empty_options(method, ans)


def app_page_or_refused(world):
    def allowed(method, ans):
        if ans.status in (404, 405):
            return True
        page = ans.headers.get("content-type", "").startswith("text/html") and (
            ans.body == world.index_page or (method == "HEAD" and not ans.body))
        return ans.status == 200 and method in ("GET", "HEAD") and page
    return allowed


# ---- request bodies ----

def xml(text):
    return ('<?xml version="1.0" encoding="utf-8"?>' + text).encode()


ALLPROP = xml('<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>')
NAMED_PROPS = xml(
    f'<d:propfind xmlns:d="DAV:" xmlns:CS="{CS}" xmlns:C="{CALDAV}" xmlns:CR="{CARDDAV}" '
    f'xmlns:i="{DEAD_NS}"><d:prop><d:displayname/><d:getetag/><d:sync-token/><CS:getctag/>'
    "<CS:invite/><CS:publish-url/><d:lockdiscovery/><d:quota-used-bytes/><i:label/>"
    "<C:calendar-home-set/><CR:addressbook-home-set/><d:current-user-privilege-set/>"
    "<d:principal-URL/></d:prop></d:propfind>")
PROPPATCH = xml(
    f'<d:propertyupdate xmlns:d="DAV:" xmlns:i="{DEAD_NS}"><d:set><d:prop>'
    "<i:planted>by the attacker</i:planted><d:displayname>planted</d:displayname></d:prop>"
    "</d:set><d:remove><d:prop><i:label/></d:prop></d:remove></d:propertyupdate>")
MKCALENDAR = xml(f'<C:mkcalendar xmlns:d="DAV:" xmlns:C="{CALDAV}"><d:set><d:prop>'
                 "<d:displayname>planted</d:displayname></d:prop></d:set></C:mkcalendar>")
LOCKINFO = xml('<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope>'
               "<d:locktype><d:write/></d:locktype><d:owner>attacker</d:owner></d:lockinfo>")
SYNC = xml('<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level>'
           "<d:prop><d:getetag/><d:displayname/></d:prop></d:sync-collection>")
CALENDAR_QUERY = xml(
    f'<C:calendar-query xmlns:d="DAV:" xmlns:C="{CALDAV}"><d:prop><d:getetag/>'
    '<C:calendar-data/></d:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter '
    'name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>')
FREE_BUSY = xml(f'<C:free-busy-query xmlns:C="{CALDAV}"><C:time-range start="20260101T000000Z" '
                'end="20270101T000000Z"/></C:free-busy-query>')
CARD_QUERY = xml(
    f'<CR:addressbook-query xmlns:d="DAV:" xmlns:CR="{CARDDAV}"><d:prop><d:getetag/>'
    '<CR:address-data/></d:prop><CR:filter><CR:prop-filter name="FN"><CR:text-match '
    'collation="i;unicode-casemap" match-type="contains">contact</CR:text-match>'
    "</CR:prop-filter></CR:filter></CR:addressbook-query>")
PRINCIPAL_SEARCH = xml(
    '<d:principal-property-search xmlns:d="DAV:"><d:property-search><d:prop><d:displayname/>'
    "</d:prop><d:match>a</d:match></d:property-search><d:prop><d:displayname/>"
    "<d:principal-URL/></d:prop></d:principal-property-search>")
EXPAND = xml('<d:expand-property xmlns:d="DAV:"><d:property name="principal-URL">'
             '<d:property name="displayname"/></d:property></d:expand-property>')
PUBLISH = xml(f'<CS:publish-calendar xmlns:CS="{CS}"/>')
ACL = xml('<d:acl xmlns:d="DAV:"><d:ace><d:principal><d:all/></d:principal><d:grant>'
          "<d:privilege><d:all/></d:privilege></d:grant></d:ace></d:acl>")


def multiget(kind, hrefs):
    ns, tag, data = ((CALDAV, "calendar-multiget", "calendar-data") if kind == "calendars"
                     else (CARDDAV, "addressbook-multiget", "address-data"))
    refs = "".join(f"<d:href>{h}</d:href>" for h in hrefs)
    return xml(f'<X:{tag} xmlns:d="DAV:" xmlns:X="{ns}"><d:prop><d:getetag/><X:{data}/>'
               f"</d:prop>{refs}</X:{tag}>")


def share_with(principal, ns=CS, prefix="CS"):
    return xml(f'<{prefix}:share xmlns:D="DAV:" xmlns:{prefix}="{ns}"><{prefix}:set>'
               f"<D:href>{principal}</D:href><{prefix}:read-write/></{prefix}:set>"
               f"</{prefix}:share>")


def vcard(uid):
    return (f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:planted\r\nN:planted;;;;\r\n"
            "END:VCARD\r\n").encode()


def variants(world, attacker, method, kind, own_destination):
    """The (headers, body) pairs a method is tried with on a route of this kind."""
    w, a = world, attacker
    dav = kind in ("files", "calendars", "addressbooks", "principals")
    if method == "PUT":
        if kind == "calendars":
            return [({"Content-Type": "text/calendar"},
                     event(f"planted-{w.run}", "20260501T100000Z", "20260501T110000Z",
                           "planted"))]
        if kind == "addressbooks":
            return [({"Content-Type": "text/vcard"}, vcard(f"planted-{w.run}"))]
        if not dav:
            return [(JSON, b'{"planted": true}')]
        return [({"Content-Type": "text/plain"}, b"planted by the attacker")]
    if method == "PROPFIND":
        return [({"Depth": "1", **XML}, ALLPROP), ({"Depth": "0", **XML}, NAMED_PROPS)]
    if method == "PROPPATCH":
        return [(XML, PROPPATCH)]
    if method == "MKCALENDAR":
        return [(XML, MKCALENDAR)]
    if method in ("COPY", "MOVE"):
        return [({"Destination": own_destination, "Overwrite": "T"}, b"")]
    if method == "LOCK":
        return [({"Timeout": "Second-60", **XML}, LOCKINFO)]
    if method == "UNLOCK":
        return [({"Lock-Token": f"<{v.lock_token}>"}, b"") for v in w.victims.values()]
    if method == "REPORT":
        objects = {"calendars": [f"/dav/calendars/{v.login}/{v.event}" for v in w.victims.values()],
                   "addressbooks": [f"/dav/addressbooks/{v.login}/{v.card}"
                                    for v in w.victims.values()]}
        bodies = {"files": [SYNC],
                  "calendars": [SYNC, CALENDAR_QUERY, FREE_BUSY,
                                multiget("calendars", objects["calendars"])],
                  "addressbooks": [SYNC, CARD_QUERY,
                                   multiget("addressbooks", objects["addressbooks"])],
                  "principals": [PRINCIPAL_SEARCH, EXPAND]}.get(kind, [SYNC, PRINCIPAL_SEARCH])
        return [({"Depth": "1", **XML}, body) for body in bodies]
    if method == "POST":
        if not dav:
            return [(JSON, b"{}")]
        return [(XML, share_with(f"/dav/principals/{a.login}/")),
                (XML, share_with(f"/dav/principals/{a.login}/", OC, "o")),
                (XML, PUBLISH)]
    if method == "PATCH":
        return [(JSON, b'{"quota": 1, "disabled": true}')]
    if method == "ACL":
        return [(XML, ACL)]
    return [({}, b"")]


# ---- the coverage table: one group builder per route, as the server logs it ----

def file_groups(prefix):
    def build(w, method, a):
        targets = []
        for v in w.victims.values():
            base = f"{prefix}/{v.login}/"
            targets += [base, base + "Projects/", base + v.budget, base + v.locked, base + v.notes]
            if method in ("GET", "HEAD"):
                targets += [base + "?download=zip", base + "Projects/?download=zip"]
        targets += [f"{prefix}/{w.victim_a.login}/absent-{w.run}.txt",
                    f"{prefix}/{w.victim_a.login}/Absent-{w.run}/",
                    f"{prefix}/{w.nobody}/", f"{prefix}/{w.nobody}/Projects/budget.txt",
                    f"{prefix}/{w.nobody}/?download=zip"]
        groups = [Group("another user's tree, or none", unreadable, targets=targets)]
        if method in ("COPY", "MOVE"):
            va, vb = w.victim_a, w.victim_b
            destinations = [
                f"{prefix}/{va.login}/loot-{w.run}.txt", f"{prefix}/{va.login}/{va.top}",
                f"{prefix}/{vb.login}/Projects/loot-{w.run}.txt",
                f"{prefix}/{vb.login}/{vb.budget}",
                f"/remote.php/dav/files/{va.login}/loot-{w.run}.txt",
                f"/dav/files/{vb.login}/loot-{w.run}.txt",
                f"http://127.0.0.1:{w.r.port}{prefix}/{va.login}/loot-{w.run}.txt",
                f"/dav/calendars/{va.login}/personal/loot-{w.run}.ics",
                f"{prefix}/{w.nobody}/loot-{w.run}.txt"]
            groups.append(destination_group(f"{prefix}/{a.login}/own-{w.run}.txt", destinations))
        return groups
    return build


def destination_group(source, destinations):
    return Group("from the attacker's own file into another tree", refused,
                 probes=[Probe(source, {"Destination": d, "Overwrite": "T"})
                         for d in destinations])


def groupware_groups(kind):
    collection = "personal" if kind == "calendars" else "contacts"
    extension = "ics" if kind == "calendars" else "vcf"

    def build(w, method, a):
        targets = []
        for v in w.victims.values():
            home = f"/dav/{kind}/{v.login}/"
            obj = v.event if kind == "calendars" else v.card
            targets += [home, f"{home}{collection}/", home + obj, f"{home}directory/"]
            if kind == "calendars":
                targets.append(home + v.work_calendar)
        targets += [f"/dav/{kind}/{w.victim_a.login}/nothing-{w.run}/",
                    f"/dav/{kind}/{w.victim_a.login}/{collection}/absent-{w.run}.{extension}",
                    f"/dav/{kind}/{w.nobody}/", f"/dav/{kind}/{w.nobody}/{collection}/"]
        own = f"/dav/{kind}/{a.login}/"
        shared_names = [f"{collection}_shared_by_{v.login}" for v in w.victims.values()]
        shared_names.append(f"nothing-{w.run}_shared_by_{w.nobody}")
        if kind == "calendars":
            shared_names.append(f"work-{w.victim_a.tok}_shared_by_{w.victim_a.login}")
        groups = [
            Group("another user's home, or none", unreadable, targets=targets),
            Group("a share that was never made, in the attacker's home", refused_in_own_space,
                  targets=[f"{own}{n}/" for n in shared_names]),
            Group("an object below a share that was never made", refused_in_own_space,
                  targets=[f"{own}{n}/ev-{w.victim_a.tok}.{extension}" for n in shared_names]),
        ]
        if method in ("COPY", "MOVE"):
            va, vb = w.victim_a, w.victim_b
            destinations = [f"/dav/{kind}/{va.login}/{collection}/loot.{extension}",
                            f"/dav/{kind}/{vb.login}/{collection}/loot.{extension}",
                            f"/dav/files/{va.login}/loot-{w.run}.txt",
                            f"/dav/{kind}/{w.nobody}/{collection}/loot.{extension}"]
            groups.append(destination_group(f"{own}{collection}/own-{w.run}.{extension}",
                                            destinations))
        return groups
    return build


def principal_groups(w, method, a):
    logins = [w.victim_a.login, w.victim_b.login, w.admin_b, w.sharee, w.nobody]
    targets = [f"/dav/principals/{login}/" for login in logins] + [
        "/dav/principals/", f"/dav/principals/users/{w.victim_a.login}/",
        f"/dav/principals/groups/{w.group_a}/", f"/dav/principals/groups/{w.group_b}/",
        f"/dav/principals/{w.victim_a.login}/calendar-proxy-read/"]
    return [Group("another principal, or none", unreadable, targets=targets)]


def dav_root_groups(w, method, a):
    targets = [f"/dav/{w.victim_a.login}/", f"/dav/{w.victim_b.login}/", f"/dav/{w.nobody}/",
               f"/dav/{w.victim_a.login}/personal/", f"/dav/nothing-{w.run}/"]
    return [Group("below /dav/ where no route is", unreadable, targets=targets)]


def pub_groups(w, method, a):
    token = w.victim_a.pub_path.removeprefix("/pub/calendars/").removesuffix(".ics")
    guesses = ["/pub/calendars/" + "0" * 32 + ".ics", f"/pub/calendars/{token.upper()}.ics",
               f"/pub/calendars/{token[:-1]}.ics", f"/pub/calendars/{token}",
               f"/pub/calendars/{token}.ics/extra", "/pub/calendars/",
               f"/pub/calendars/{w.victim_a.login}/personal.ics",
               f"/pub/calendars/{w.victim_b.login}.ics", "/pub/calendars/personal.ics"]
    groups = [Group("a link that was never published", refused, targets=guesses)]
    if method not in ("GET", "HEAD"):
        # GET of the real link is the point of publishing; nothing else may do anything there.
        groups.append(Group("the real link, any other method", refused,
                            targets=[v.pub_path for v in w.victims.values()] +
                            ["/pub/calendars/" + "0" * 32 + ".ics"]))
    return groups


def session_groups(w, method, a):
    # The session itself is the caller's own (GET answers it, DELETE signs out): the victims'
    # logins below it must lead nowhere. Signing in with a victim's login is tried by
    # test_login_probes_cannot_tell_users_of_either_organisation_from_nobody.
    targets = [f"/api/v1/session/{login}" for login in
               (w.victim_a.login, w.victim_b.login, w.nobody)]
    return [Group("below the session", refused, targets=targets)]


def api_groups(w, method, a):
    org_admin = a.login == w.org_admin

    def body(value):
        return json.dumps(value).encode()

    groups = []
    orgs = [w.org_b, f"noorg-{w.run}"] + ([] if org_admin else [w.org_a])
    if method == "POST":
        probes = [Probe("/api/v1/admin/users", JSON, body({"login": f"planted-{w.run}", "org": o}))
                  for o in orgs]
    else:
        probes = [Probe(f"/api/v1/admin/users?org={o}", JSON, body({"quota": 1})) for o in orgs]
    groups.append(Group("the users of another organisation", refused, probes=probes))
    # An org-admin of A administers vika.fiske and sam by design; a member nobody.
    users = [w.victim_b.login, w.admin_b, "admin", w.nobody]
    if not org_admin:
        users += [w.victim_a.login, w.sharee]
    groups.append(Group("another user's account", refused, probes=[
        Probe(f"/api/v1/admin/users/{u}", JSON, body({"quota": 1, "disabled": True}))
        for u in users]))
    groups.append(Group("another user's password", refused, probes=[
        Probe(f"/api/v1/admin/users/{u}/password", JSON, body({"password": f"Planted-{w.run}"}))
        for u in users]))
    if not (org_admin and method in ("GET", "HEAD")):  # An org-admin lists their own org.
        groups.append(Group("organisations", refused, probes=[
            Probe("/api/v1/admin/orgs", JSON, body({"name": n, "quota": 1}))
            for n in (w.org_b, w.org_a, f"planted-{w.run}")]))
    groups.append(Group("app passwords by another user's label", refused, targets=[
        f"/api/v1/app-passwords/{label}" for label in ("vika-phone", "bruno-phone",
                                                       f"nolabel-{w.run}")]))
    return groups


def app_groups(w, method, a):
    page = app_page_or_refused(w)
    va, vb = w.victim_a.login, w.victim_b.login
    return [
        Group("the app's own addresses", page, targets=[
            f"/files/{va}/Projects/", f"/calendar/{vb}", f"/contacts/{va}/{w.victim_a.card}",
            f"/nothing-{w.run}"]),
        Group("reserved paths that no route serves", page, targets=[
            f"/pub/{va}/personal.ics", f"/pub/{w.nobody}/", f"/.well-known/{va}",
            f"/.well-known/{w.nobody}", f"/remote.php/dav/calendars/{vb}/"]),
        # Below /api/ every error is JSON (docs/api.md).
        Group("reserved /api/ paths that no route serves", page, targets=[
            f"/api/{va}/files", f"/api/{w.nobody}/files", f"/api/v2/users/{vb}"]),
        Group("assets that do not exist", page, targets=[
            f"/assets/{va}/{w.victim_a.budget}", f"/assets/{w.nobody}.js"]),
    ]


# Every route the server logs ("routes: ..." on stderr at start), exactly as logged, with the
# kind of its variants and the builder of its groups.
COVERAGE = {
    "/dav/files/": ("files", file_groups("/dav/files")),
    "/remote.php/dav/files/": ("files", file_groups("/remote.php/dav/files")),
    "/dav/calendars/": ("calendars", groupware_groups("calendars")),
    "/dav/addressbooks/": ("addressbooks", groupware_groups("addressbooks")),
    "/dav/principals/": ("principals", principal_groups),
    "/dav/": ("principals", dav_root_groups),
    "/pub/calendars/ (public)": ("pub", pub_groups),
    "/api/v1/session/ (public)": ("api", session_groups),
    "/api/v1/": ("api", api_groups),
    "/ (public)": ("app", app_groups),
}
# What the front end answers itself, before the route table: not in the logged table.
BUILTINS = ["/healthz", "/readyz", "/metrics", "/.well-known/caldav", "/.well-known/carddav"]


# ---- running a group ----

def own_destination(world, attacker, kind):
    if kind == "calendars":
        return f"/dav/calendars/{attacker.login}/personal/loot-{world.run}.ics"
    if kind == "addressbooks":
        return f"/dav/addressbooks/{attacker.login}/contacts/loot-{world.run}.vcf"
    return f"/dav/files/{attacker.login}/loot-{world.run}.txt"


def signature(ans, target):
    """What an answer tells: status, telling headers and body (an echo of the asked path aside)."""
    body = ans.body
    for form in {target, urllib.parse.unquote(target)}:
        body = body.replace(form.encode(), b"<target>")
    headers = {k: ans.headers.get(k) for k in TELLING_HEADERS}
    if body != ans.body:
        headers.pop("content-length")
    return ans.status, tuple(sorted(headers.items())), body


def shown(attacker, method, probe, ans):
    extra = {k: v for k, v in probe.headers.items() if k != "Content-Type"}
    return (f"[{attacker.name}] {method} {probe.target} {extra or ''}"
            f"{' body=' + repr(probe.body[:80]) if probe.body else ''} -> {ans.status} "
            f"{ans.body[:160]!r}")


def run_group(world, attacker, method, kind, group):
    probes = list(group.probes)
    for headers, body in variants(world, attacker, method, kind,
                                  own_destination(world, attacker, kind)):
        probes += [Probe(t, headers, body) for t in group.targets]
    problems = []
    by_variant = {}
    for probe in probes:
        ans = attacker.send(method, probe.target, probe.headers, probe.body)
        request_text = f"{probe.target} {probe.headers} {probe.body.decode('utf-8', 'replace')}"
        leaks = world.leaked(request_text, ans.text())
        if leaks:
            problems.append(f"LEAK {leaks}: {shown(attacker, method, probe, ans)}")
        if not group.allowed(method, ans):
            problems.append(f"STATUS not allowed ({group.name}): "
                            f"{shown(attacker, method, probe, ans)}")
        key = (tuple(sorted(probe.headers.items())), probe.body) if group.targets else ()
        by_variant.setdefault(key, []).append((probe, ans))
    for answers in by_variant.values():
        if len({signature(ans, p.target) for p, ans in answers}) > 1:
            problems.append(f"ANSWERS DIFFER ({group.name}), so they tell what exists:\n    " +
                            "\n    ".join(shown(attacker, method, p, ans) for p, ans in answers))
    return problems


def case_id(value):
    if isinstance(value, str) and value.startswith("/"):
        return value.replace(" (public)", "").strip("/").replace("/", "_") or "app"
    return str(value)


# ---- the tests ----

def test_every_route_of_the_server_is_covered(world):
    live = world.route_table()
    uncovered = [r for r in live if r not in COVERAGE]
    assert not uncovered, (f"routes without isolation coverage: {uncovered}; add a group "
                           "builder for each to COVERAGE in " + __file__)
    gone = [r for r in COVERAGE if r not in live]
    assert not gone, f"covered routes the server no longer has: {gone}; remove them from COVERAGE"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", list(COVERAGE), ids=case_id)
def test_attackers_get_neither_data_nor_changes(world, attackers, route, method):
    assert route in world.route_table(), f"{route} is covered here but the server has no such route"
    kind, build = COVERAGE[route]
    problems = []
    for attacker in attackers:
        for group in build(world, method, attacker):
            problems += run_group(world, attacker, method, kind, group)
    world.fail_on(problems, f"{method} on {route}")


@pytest.mark.parametrize("path", BUILTINS, ids=case_id)
def test_frontend_builtins_hold_no_victim_data(world, attackers, path):
    """The paths the front end answers before the route table (so not in the logged table): for
    every method, no victim data and no 5xx; the well-known paths always redirect to /dav/
    without asking who is calling (docs/access.md)."""
    problems = []
    for attacker in attackers:
        for method in METHODS:
            for suffix in ("", f"?user={world.victim_b.login}"):
                probe = Probe(path + suffix)
                ans = attacker.send(method, probe.target)
                if ans.status >= 500 or world.leaked(probe.target, ans.text()):
                    problems.append(shown(attacker, method, probe, ans))
                if path.startswith("/.well-known/") and ans.status != 301:
                    problems.append("not the documented redirect: " +
                                    shown(attacker, method, probe, ans))
    try:
        world.assert_unchanged(f"requests to {path}")
    except AssertionError as e:
        problems.append(str(e))
    if problems:
        pytest.fail("\n".join(problems[:30]))


# ---- what the matrix cannot express: probes from inside the attacker's own space ----

def by_name(attackers):
    return {a.name: a for a in attackers}


def multistatus_entries(body):
    root = ET.fromstring(body)
    out = {}
    for resp in root.findall("{DAV:}response"):
        status = resp.find("{DAV:}status")
        out[resp.find("{DAV:}href").text] = status.text if status is not None else "propstat"
    return out


def test_login_probes_cannot_tell_users_of_either_organisation_from_nobody(world, attackers):
    """A wrong password for a victim's login, by Basic or by signing in, answers exactly what a
    login that does not exist gets (docs/access.md: decided before any lookup). Two tries per
    victim stay below the failure throttle, which would otherwise lock the victims out."""
    mallory = by_name(attackers)["member-basic"]
    password = world.r.passwords[world.attacker]
    problems = []
    answers = []
    for login in (world.victim_a.login, world.victim_b.login, world.nobody):
        auth = basic_auth_value(login, password)
        probe = Probe(f"/dav/files/{login}/", {"Authorization": auth, "Depth": "0"})
        answers.append((probe, mallory.send("PROPFIND", probe.target, probe.headers)))
    signin = []
    for login in (world.victim_a.login, world.victim_b.login, world.nobody):
        body = json.dumps({"login": login, "password": password}).encode()
        probe = Probe("/api/v1/session", {**JSON, "X-Requested-With": "XMLHttpRequest"}, body)
        signin.append((probe, world.anonymous.send("POST", probe.target, probe.headers, body)))
    for group in (answers, signin):
        if len({signature(ans, "") for _, ans in group}) > 1 or group[0][1].status != 401:
            problems.append("answers differ or are not 401:\n    " + "\n    ".join(
                shown(mallory, "", p, ans) for p, ans in group))
        problems += [f"LEAK: {shown(mallory, '', p, ans)}" for p, ans in group
                     if world.leaked(str(p), ans.text())]
    world.assert_unchanged("login probes")
    if problems:
        pytest.fail("\n".join(problems))


def basic_auth_value(login, password):
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


@pytest.mark.parametrize("kind", ["calendars", "addressbooks"])
def test_multiget_on_the_attackers_own_collection_returns_no_victim_object(world, attackers,
                                                                           kind):
    """A multiget REPORT is allowed on one's own collection, and names its objects by href: hrefs
    into a victim's collection, also disguised as relative paths, answer like hrefs to nothing."""
    collection = "personal" if kind == "calendars" else "contacts"
    problems = []
    for a in attackers:
        own = f"/dav/{kind}/{a.login}/{collection}/"
        foreign = []
        for v in world.victims.values():
            obj = v.event if kind == "calendars" else v.card
            name = obj.split("/", 1)[1]
            foreign += [f"/dav/{kind}/{v.login}/{obj}", f"{own}../../{v.login}/{obj}",
                        f"{own}..%2f..%2f{v.login}%2f{collection}%2f{name}",
                        f"{own}{collection}_shared_by_{v.login}/{name}",
                        f"http://127.0.0.1:{world.r.port}/dav/{kind}/{v.login}/{obj}"]
        absent = [f"/dav/{kind}/{world.nobody}/{collection}/absent.ics", f"{own}absent-{world.run}"]
        body = multiget(kind, foreign + absent)
        ans = a.send("REPORT", own, {"Depth": "1", **XML}, body)
        if ans.status != 207:
            problems.append(f"[{a.name}] REPORT on own {own}: {ans.status} {ans.body[:200]!r}")
            continue
        if world.leaked(body.decode(), ans.text()):
            problems.append(f"[{a.name}] LEAK {world.leaked(body.decode(), ans.text())}")
        entries = multistatus_entries(ans.body)
        statuses = {entries.get(h, entries.get(urllib.parse.unquote(h), "absent from the answer"))
                    for h in foreign + absent}
        own_entries = [h for h in entries if f"own-{world.run}" in h]
        if len(statuses) != 1 or "404" not in next(iter(statuses)) or own_entries:
            problems.append(f"[{a.name}] foreign hrefs answer unlike absent ones: {entries}")
    world.assert_unchanged(f"{kind} multiget")
    if problems:
        pytest.fail("\n".join(problems))


def test_a_victims_sync_token_on_the_attackers_own_collections_tells_nothing(world, attackers):
    """Sync tokens name a sync root and a position: a victim's token used on the attacker's own
    tree or calendar answers like a token of a root that does not exist, and lists nothing of the
    victim's."""
    problems = []
    homes = {}
    for v in world.victims.values():
        tokens = world.last_fingerprint[v.login]
        homes[v.login] = [tokens["files-sync-token"]] + [
            props["{DAV:}sync-token"][1].split(">", 1)[1].split("<", 1)[0]
            for kind in ("calendars", "addressbooks")
            for props in tokens["homes"][kind].values() if "{DAV:}sync-token" in props and
            props["{DAV:}sync-token"][0].endswith("200 OK")]
    bogus = ["urn:regie:sync:999999:1", "urn:regie:sync:999999.999999:1"]
    for a in attackers:
        for own in (f"/dav/files/{a.login}/", f"/dav/calendars/{a.login}/personal/",
                    f"/dav/addressbooks/{a.login}/contacts/"):
            answers = []
            for token in [t for ts in homes.values() for t in ts] + bogus:
                body = SYNC.replace(b"<d:sync-token/>", f"<d:sync-token>{token}</d:sync-token>"
                                    .encode())
                answers.append((Probe(own, XML, body), a.send("REPORT", own, XML, body)))
            for probe, ans in answers:
                if ans.status >= 500 or world.leaked(probe.body.decode(), ans.text()):
                    problems.append(shown(a, "REPORT", probe, ans))
            if len({(ans.status, ans.body) for _, ans in answers}) > 1:
                problems.append(f"[{a.name}] foreign tokens answer unlike bogus ones on {own}:\n"
                                + "\n".join(shown(a, "REPORT", p, ans) for p, ans in answers))
    world.assert_unchanged("foreign sync tokens")
    if problems:
        pytest.fail("\n".join(problems[:20]))


def test_sharing_with_another_organisation_or_nobody_answers_alike(world, attackers):
    """Sharing one's own calendar or address book with a user or group of organisation B is
    refused exactly as sharing with nobody, so it cannot probe B's names; B's homes gain nothing
    (the check after the case sees their listings)."""
    vb = world.victim_b
    b_names = [f"/dav/principals/{vb.login}/", f"mailto:bruno.skov-{world.run}@bravo.example",
               f"principal:principals/users/{vb.login}",
               f"principal:principals/groups/{world.group_b}", f"/dav/principals/{world.admin_b}/"]
    nobody = [f"/dav/principals/{world.nobody}/", f"mailto:{world.nobody}@bravo.example",
              f"principal:principals/users/{world.nobody}",
              f"principal:principals/groups/nogroup-{world.run}"]
    problems = []
    for a in attackers:
        for kind, collection in (("calendars", "personal"), ("addressbooks", "contacts")):
            target = f"/dav/{kind}/{a.login}/{collection}/"
            for ns, prefix in ((CS, "CS"), (OC, "o")):
                answers = [(Probe(target, XML, share_with(h, ns, prefix)),
                            a.send("POST", target, XML, share_with(h, ns, prefix)))
                           for h in b_names + nobody]
                for probe, ans in answers:
                    if ans.status < 400 or ans.status >= 500:
                        problems.append("not refused: " + shown(a, "POST", probe, ans))
                if len({signature(ans, "") for _, ans in answers}) > 1:
                    problems.append("answers differ:\n    " + "\n    ".join(
                        shown(a, "POST", p, ans) for p, ans in answers))
    world.assert_unchanged("sharing with organisation B")
    if problems:
        pytest.fail("\n".join(problems[:20]))


def test_the_attackers_own_views_hold_nothing_of_organisation_b(world, attackers):
    """What the attackers may read by design: their directory (organisation A only), an
    org-admin's user and organisation lists (A only), their homes (no share that was not made),
    their own app passwords and session."""
    problems = []
    reads = [("REPORT", "/dav/addressbooks/{me}/directory/", {"Depth": "1", **XML},
              SYNC.replace(b"<d:displayname/>", b'<CR:address-data xmlns:CR="%s"/>'
                           % CARDDAV.encode())),
             ("PROPFIND", "/dav/calendars/{me}/", {"Depth": "1", **XML}, ALLPROP),
             ("PROPFIND", "/dav/addressbooks/{me}/", {"Depth": "1", **XML}, ALLPROP),
             ("PROPFIND", "/dav/files/{me}/", {"Depth": "1", **XML}, ALLPROP),
             ("PROPFIND", "/dav/", {"Depth": "0", **XML}, NAMED_PROPS),
             ("PROPFIND", "/dav/principals/{me}/", {"Depth": "0", **XML}, ALLPROP),
             ("GET", "/api/v1/session", {}, b""), ("GET", "/api/v1/app-passwords", {}, b""),
             ("GET", "/api/v1/mobileconfig", {}, b""), ("GET", "/api/v1/admin/orgs", {}, b""),
             ("GET", "/api/v1/admin/users", {}, b"")]
    for a in attackers:
        for method, path, headers, body in reads:
            target = path.format(me=a.login)
            ans = a.send(method, target, headers, body)
            probe = Probe(target, headers, body)
            if ans.status >= 500 or world.leaked(target, ans.text()):
                problems.append(f"LEAK {world.leaked(target, ans.text())}: "
                                f"{shown(a, method, probe, ans)}")
            for v in world.victims.values():
                if f"_shared_by_{v.login}" in ans.text():
                    problems.append("a share that was never made: " + shown(a, method, probe, ans))
            if "/api/v1/admin/" in target and ans.status == 200:
                orgs = {o.get("org", o.get("name")) for o in json.loads(ans.body)}
                if orgs != {world.org_a}:
                    problems.append(f"[{a.name}] {target} lists organisations {orgs}")
            if target.endswith("/directory/") and (ans.status != 207 or
                                                   world.victim_b.login in ans.text()):
                problems.append("directory: " + shown(a, method, probe, ans))
        # Directory entries of organisation A are expected, B's never (its login is a secret).
    world.assert_unchanged("the attackers' own reads")
    if problems:
        pytest.fail("\n".join(problems[:20]))


def test_a_victims_lock_token_unlocks_and_refreshes_nothing(world, attackers):
    """docs/access.md: another user's lock token in an If header unlocks nothing. Used on the
    attacker's own file, tagged with the victim's locked path, in UNLOCK or a LOCK refresh, the
    victim's token answers exactly like a made-up one, and the victim's lock stays (the check
    after the case compares lockdiscovery)."""
    va = world.victim_a
    locked = f"/dav/files/{va.login}/{va.locked}"
    bogus = "opaquelocktoken:00000000-0000-0000-0000-000000000000"
    problems = []
    for a in attackers:
        own = f"/dav/files/{a.login}/own-{world.run}.txt"
        cases = {
            "untagged If on an own PUT": [
                ("PUT", own, {"If": f"(<{t}>)"}, b"the attacker's own") for t in
                (va.lock_token, world.victim_b.lock_token, bogus)],
            "If tagged with the victim's path on an own PUT": [
                ("PUT", own, {"If": f"<{p}> (<{t}>)"}, b"the attacker's own") for p, t in
                ((locked, va.lock_token), (locked, bogus),
                 (f"/dav/files/{world.nobody}/x.txt", va.lock_token))],
            "UNLOCK of an own file": [
                ("UNLOCK", own, {"Lock-Token": f"<{t}>"}, b"") for t in (va.lock_token, bogus)],
            "LOCK refresh of an own file": [
                ("LOCK", own, {"If": f"(<{t}>)", "Timeout": "Second-5"}, b"")
                for t in (va.lock_token, bogus)],
            "LOCK refresh and UNLOCK of the victim's file": [
                ("LOCK", locked, {"If": f"(<{va.lock_token}>)"}, b""),
                ("LOCK", f"/dav/files/{world.nobody}/x.txt", {"If": f"(<{bogus}>)"}, b""),
                ("UNLOCK", locked, {"Lock-Token": f"<{va.lock_token}>"}, b""),
                ("UNLOCK", f"/dav/files/{world.nobody}/x.txt", {"Lock-Token": f"<{bogus}>"},
                 b"")],
        }
        for name, requests in cases.items():
            answers = [(m, Probe(t, h, b), a.send(m, t, h, b)) for m, t, h, b in requests]
            for m, probe, ans in answers:
                if ans.status >= 500 or world.leaked(str(probe), ans.text()):
                    problems.append(f"{name}: {shown(a, m, probe, ans)}")
                if m in ("LOCK", "UNLOCK") and ans.status < 300:
                    problems.append(f"{name}: not refused: {shown(a, m, probe, ans)}")
            if len({(ans.status, ans.body) for _, _, ans in answers}) > 1:
                problems.append(f"{name}: answers differ:\n    " + "\n    ".join(
                    shown(a, m, p, ans) for m, p, ans in answers))
    world.assert_unchanged("foreign lock tokens")
    if problems:
        pytest.fail("\n".join(problems[:20]))


def test_nothing_of_the_victims_changed_and_nothing_reached_the_attackers(world, attackers):
    """Last in this file: the full snapshot (bytes, properties, locks, shares, publications,
    credentials, groups) equals the one before the first case, and nothing the attackers own now
    holds a victim's secret (a refused COPY that copied anyway would show here)."""
    now = world.snapshot()
    if now != world.baseline:
        raise AssertionError("the victims' data changed during the matrix:\n" +
                             world.describe_change(world.baseline, now))
    found = []
    for login in (world.attacker, world.org_admin):
        for kind in ("files", "calendars", "addressbooks"):
            pending = [f"/dav/{kind}/{login}/"]
            while pending:
                path = pending.pop()
                r = world.r.request("PROPFIND", path, user=login, data=ALLPROP,
                                    headers={"Depth": "1", **XML})
                assert r.status_code == 207, (path, r.status_code)
                if world.leaked("", r.text):
                    found.append(f"{path}: {world.leaked('', r.text)}")
                for href in multistatus_entries(r.content):
                    if href.rstrip("/") == path.rstrip("/") or href.endswith("/directory/"):
                        continue
                    if href.endswith("/"):
                        pending.append(href)
                    else:
                        got = world.r.get(href, user=login)
                        if world.leaked("", got.text):
                            found.append(f"{href}: {world.leaked('', got.text)}")
    assert not found, "victim secrets in the attackers' own data:\n" + "\n".join(found)

