"""Path escapes (issue 6): from a path the attacker may use, every route of the server's route table
is asked for a victim's data with dot segments, encoded dots, double encoding, backslashes, NUL,
overlong and look-alike UTF-8, variants of the victim's login, a decomposed (NFD) spelling of the
victim's composed (NFC) folder, empty and dot segments, trailing dots, query and fragment tricks,
absolute-form targets and spellings of the route prefix. Every target goes out byte for byte on a
raw socket, so no HTTP library removes a dot segment before the server sees it.

What is expected of each request comes from reading its target literally: split at '/', each
segment percent-decoded once, as UTF-8.
- If no literal reading can be right (a '.' or '..' segment, an encoded '/', NUL, bad
  percent-encoding, invalid or overlong UTF-8), the server must refuse: 400, 403, 404 or 405.
- If the literal reading names something of the attacker's own (their tree, their principal,
  their account), the server may do whatever it does there. A file named '..\\vika.fiske' in
  mallory's tree is just a file name.
- Anything else, the victim's things or a login that does not exist, must be refused the same way;
  the web app's page for app addresses.
Always: no 5xx, no victim secret in the answer, and the victims' state unchanged after each case.
COPY and MOVE are also tried with these escapes in the Destination header, from the attacker's
own file.
"""
import re
import urllib.parse

import pytest

REFUSED = (400, 403, 404, 405)
ALLPROP = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>')
PROPPATCH = (b'<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" '
             b'xmlns:i="urn:x-regie-isolation"><d:set><d:prop><i:planted>x</i:planted></d:prop>'
             b"</d:set><d:remove><d:prop><i:label/></d:prop></d:remove></d:propertyupdate>")
LOCKINFO = (b'<?xml version="1.0"?><d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/>'
            b"</d:lockscope><d:locktype><d:write/></d:locktype></d:lockinfo>")
SYNC = (b'<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token/>'
        b"<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>")
HOST_SECRETS = ["root:x:0:", "SQLite format 3"]  # /etc/passwd and the metadata database.
BUILTIN_PATHS = [["healthz"], ["readyz"], ["metrics"], [".well-known", "caldav"],
                 [".well-known", "carddav"]]

# Every method reaches the route's handler through the same path parsing; these are the ones
# that read, create, delete and move (LOCK may create an empty resource).
FILE_METHODS = ["GET", "PROPFIND", "PUT", "DELETE", "MOVE", "LOCK"]
GROUPWARE_METHODS = ["GET", "PROPFIND", "PUT", "DELETE", "REPORT"]
PUBLIC_METHODS = ["GET", "POST", "DELETE"]


# Each route of the logged table: the attacker, the base the attacker may use, the victims'
# targets (a function of the world), and the methods tried. {me} is the attacker's login.
def victims_files(prefix):
    return lambda w: [f"{prefix}/{v.login}/{v.budget}" for v in w.victims.values()]


def victims_events(w):
    return [f"/dav/calendars/{v.login}/{v.event}" for v in w.victims.values()]


def victims_cards(w):
    return [f"/dav/addressbooks/{v.login}/{v.card}" for v in w.victims.values()]


ROUTES = {
    "/dav/files/": ("member", "/dav/files/{me}", victims_files("/dav/files"), FILE_METHODS),
    "/remote.php/dav/files/": ("member", "/remote.php/dav/files/{me}",
                               victims_files("/remote.php/dav/files"),
                               ["GET", "PUT", "DELETE"]),
    "/dav/calendars/": ("member", "/dav/calendars/{me}/personal",
                        victims_events, GROUPWARE_METHODS),
    "/dav/addressbooks/": ("member", "/dav/addressbooks/{me}/contacts",
                           victims_cards, GROUPWARE_METHODS),
    "/dav/principals/": ("member", "/dav/principals/{me}",
                         lambda w: [f"/dav/principals/{v.login}/" for v in w.victims.values()],
                         ["GET", "PROPFIND"]),
    "/dav/": ("member", "/dav/{me}", victims_files("/dav/files"), ["GET", "PROPFIND"]),
    "/pub/calendars/ (public)": ("member", "/pub/calendars", victims_events, PUBLIC_METHODS),
    "/api/v1/session/ (public)": ("member", "/api/v1/session", victims_files("/dav/files"),
                                  PUBLIC_METHODS),
    # The org-admin of A against organisation B's accounts (A's are theirs to manage).
    "/api/v1/": ("org-admin", "/api/v1/admin/users/{me}",
                 lambda w: [f"/api/v1/admin/users/{w.victim_b.login}/password",
                            f"/api/v1/admin/users/{w.admin_b}"],
                 ["GET", "PATCH", "POST"]),
    "/ (public)": ("member", "/assets",
                   lambda w: victims_files("/dav/files")(w) + ["/etc/passwd"], ["GET", "HEAD"]),
}
# Not in the logged table: the front end answers these paths itself.
BUILTIN_BASES = {"healthz": "/healthz", "well-known": "/.well-known/caldav"}

FAMILIES = ["dot-dot", "encoded-dots", "encoded-slashes", "double-encoding", "backslashes", "nul",
            "overlong-utf8", "unicode-lookalikes", "login-lookalikes", "nfc-nfd",
            "empty-and-dot-segments", "trailing-dots-and-spaces", "query-and-fragment",
            "absolute-form", "prefix-confusion"]


def segments(path):
    return [s for s in path.split("/") if s]


def escapes(family, own, target, world):
    """Raw request targets of `family` that, resolved naively from `own`, reach `target`."""
    o, t = segments(own), segments(target)
    common = 0
    while common < min(len(o), len(t)) and o[common] == t[common]:
        common += 1
    ups, rest = len(o) - common, t[common:]
    port = world.r.port

    def climb(dots="..", sep="/", lead="/", extra=0):
        return own + lead + sep.join([dots] * (ups + extra) + rest)

    login = next((v.login for v in world.victims.values() if v.login in t), None)
    if family == "dot-dot":
        return [climb(), own + "/./" + "/".join([".."] * ups + rest),
                own + "/x/" + "/".join([".."] * (ups + 1) + rest), climb(extra=4),
                own + "/" + "../" * (len(o) + 2) + "/".join(t)]
    if family == "encoded-dots":
        return [climb(d) for d in ("%2e%2e", "%2E%2E", ".%2e", "%2e.")] + [
            own + "/" + "%2e%2e/" * len(o) + "/".join(t)]
    if family == "encoded-slashes":
        return [climb(sep="%2f"), climb(sep="%2F", lead="%2f"), climb("%2e%2e", "%2f"),
                own + "/" + "..%2f" * ups + "/".join(rest)]
    if family == "double-encoding":
        return [climb("%252e%252e"), climb("%252e%252e", "%252f"),
                climb("%25%32%65%25%32%65"), climb("..", "%252f")]
    if family == "backslashes":
        return [climb(sep="\\"), climb(sep="%5c"), climb(sep="%5C", lead="%5c"),
                climb(sep="%255c"), own + "/" + "..\\" * ups + "/".join(rest)]
    if family == "nul":
        return [own + "/%00/" + "/".join([".."] * (ups + 1) + rest),
                own + "%00/" + "/".join([".."] * ups + rest), climb("..%00"),
                target + "%00", target.replace(login, login + "%00") if login else own + "%00",
                own + "/\x00/" + "/".join([".."] * (ups + 1) + rest)]
    if family == "overlong-utf8":
        return [climb(d) for d in ("%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae",
                                   "%f0%80%80%ae%f0%80%80%ae", "%c0%2e%c0%2e")] + [
            climb(sep=s) for s in ("%c0%af", "%e0%80%af", "%c1%9c", "%c0%5c")]
    if family == "unicode-lookalikes":
        # U+FF0E fullwidth full stop, U+2024 one dot leader, U+2215 division slash,
        # U+FF0F fullwidth solidus, U+2216 set minus (a backslash look-alike), %u escapes.
        return [climb("%EF%BC%8E%EF%BC%8E"), climb("%E2%80%A4%E2%80%A4"),
                climb(sep="%E2%88%95"), climb(sep="%EF%BC%8F"), climb(sep="%E2%88%96"),
                climb("%u002e%u002e"), climb(sep="%u2215")]
    if family == "login-lookalikes":
        if login is None:
            return [climb("..%E2%80%8B")]
        spellings = [login.upper(), login.title(), login.replace("k", "\u212a"),
                     login.replace("s", "\u017f"), login.replace("fi", "\ufb01"),
                     chr(ord(login[0]) + 0xFEE0) + login[1:], login + "\u0301",
                     login[:2] + "\u200b" + login[2:], login + ".", login + "..", login + " ",
                     login + "\t", "%" + login[0].encode().hex() + login[1:]]
        return [target.replace(login, urllib.parse.quote(s, safe="%"), 1)
                for s in dict.fromkeys(spellings) if s != login]
    if family == "nfc-nfd":
        if "/files/" not in target:
            return [climb("..%CC%88")]
        v = next(v for v in world.victims.values() if v.login == login)
        nfd = target.replace(v.budget, "Pru%CC%88fung/" + v.notes.split("/", 1)[1])
        nfkd = nfd.replace("Pru%CC%88fung", "PRU%CC%88FUNG")
        nfc_own = own + "/" + "/".join([".."] * ups) + "/" + "/".join(segments(nfd)[common:])
        return [nfd, nfkd, nfc_own, target.replace(v.budget, v.notes)]
    if family == "empty-and-dot-segments":
        return ["/" + target, target.replace("/", "//"), own + "//" + "/".join([".."] * ups + rest),
                own + "/.//" + "/".join([".."] * ups + rest), "/./" + target.lstrip("/"),
                target.replace(f"/{login}/", f"/./{login}/") if login else own + "/./"]
    if family == "trailing-dots-and-spaces":
        return [climb("..."), climb("...."), climb("..%20"), climb("%20.."), climb("..;"),
                own + ";/" + "/".join([".."] * ups + rest), climb("..%3b"), climb("..%09"),
                target.replace(login, login + "%2e") if login else own + "."]
    if family == "query-and-fragment":
        return [own + "/x?/" + "/".join([".."] * (ups + 1) + rest),
                own + "/x%3f/" + "/".join([".."] * (ups + 1) + rest),
                own + "/x#/" + "/".join([".."] * (ups + 1) + rest),
                own + "/%23/" + "/".join([".."] * (ups + 1) + rest), own + "?" + target]
    if family == "absolute-form":
        return [f"http://127.0.0.1:{port}{climb()}", f"http://127.0.0.1:{port}{target}",
                f"HTTP://127.0.0.1:{port}{target}", f"http://{login or 'x'}@127.0.0.1:{port}{own}",
                f"//127.0.0.1:{port}{target}"]
    if family == "prefix-confusion":
        first = t[0]
        return [target.replace(f"/{first}/", f"/{first.upper()}/", 1),
                target.replace(f"/{first}/", f"/{first}./", 1),
                target.replace(f"/{first}/", f"/{first}%2f", 1),
                target.replace(f"/{first}/", "/%" + first[0].encode().hex() + first[1:] + "/", 1),
                target.replace(f"/{first}/", f"/{first}%20/", 1),
                "/x/.." + target, "/%2e/" + target.lstrip("/")]
    raise AssertionError(family)


# ---- what a literal reading allows ----

def percent_decode(raw: bytes):
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i:i + 1] == b"%":
            pair = raw[i + 1:i + 3]
            if len(pair) != 2 or not re.fullmatch(rb"[0-9A-Fa-f]{2}", pair):
                return None
            out.append(int(pair, 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def literal_segments(target: bytes):
    """The target's segments read literally, None when no reading can be right, or the string
    'not a path' for a target that is neither a path nor in absolute form. The absolute form
    ("http://host/path", RFC 9112 §3.2.2) means its path."""
    path = target.split(b"?", 1)[0]
    absolute = re.match(rb"(?i)https?://[^/?]*", path)
    if absolute:
        path = path[absolute.end():] or b"/"
    if not path.startswith(b"/"):
        return "not a path"
    out = []
    for raw in path.split(b"/"):
        if not raw:
            continue
        decoded = percent_decode(raw)
        try:
            text = decoded.decode("utf-8") if decoded is not None else None
        except UnicodeDecodeError:
            text = None
        if text is None or text in (".", "..") or "/" in text or "\x00" in text:
            return None
        out.append(text)
    return out


def expectation(world, attacker, target: bytes):
    """'refused', 'page or refused' (the web app's page, or a refusal) or 'own' (anything)."""
    segs = literal_segments(target)
    if segs is None:
        return "refused"
    if segs == "not a path":
        return "page or refused"
    if segs in BUILTIN_PATHS:
        return "own"
    routes = sorted((segments(r.replace(" (public)", "")) for r in ROUTES), key=len,
                    reverse=True)
    route = next(r for r in routes if segs[:len(r)] == r)
    rest = segs[len(route):]
    if route in (["dav", "files"], ["remote.php", "dav", "files"], ["dav", "calendars"],
                 ["dav", "addressbooks"]):
        return "own" if rest[:1] == [attacker.login] else "refused"
    if route == ["dav", "principals"]:
        return "own" if rest == [attacker.login] else "refused"
    if route == ["dav"]:
        return "own" if not rest else "refused"
    if route == ["api", "v1"]:
        if rest[:2] == ["admin", "users"] and len(rest) >= 3:
            mine = {world.attacker, world.org_admin, world.sharee, world.victim_a.login}
            return "own" if attacker.login == world.org_admin and rest[2] in mine else "refused"
        return "own"  # The caller's own account, session, app passwords, organisation.
    if route == ["api", "v1", "session"]:
        return "own"
    if route == ["pub", "calendars"]:
        return "refused"  # No corpus target carries a real link's token.
    return "page or refused"


def judge(world, attacker, method, target: bytes, ans, request_text, expect=None):
    expect = expect or expectation(world, attacker, target)
    shown = (f"[{attacker.name}] {method} {target!r} ({expect}) -> {ans.status} "
             f"{ans.body[:160]!r}")
    problems = []
    if ans.status >= 500:
        problems.append("5xx: " + shown)
    leaks = world.leaked(request_text, ans.text(), remember=True)
    leaks += [s for s in HOST_SECRETS if s in ans.text()]
    if leaks:
        problems.append(f"LEAK {leaks}: {shown}")
    page = (ans.status == 200 and method in ("GET", "HEAD") and
            (ans.body == world.index_page or (method == "HEAD" and not ans.body)))
    if expect == "refused" and ans.status not in REFUSED:
        problems.append("not refused: " + shown)
    if expect == "page or refused" and ans.status not in REFUSED and not page:
        problems.append("neither refused nor the app page: " + shown)
    return problems


def method_request(world, attacker, method, kind):
    """Headers and body for `method`; COPY and MOVE copy to a name in the attacker's tree."""
    if method == "PROPFIND":
        return {"Depth": "0", "Content-Type": "application/xml"}, ALLPROP
    if method == "PROPPATCH":
        return {"Content-Type": "application/xml"}, PROPPATCH
    if method == "LOCK":
        return {"Content-Type": "application/xml", "Timeout": "Second-30"}, LOCKINFO
    if method == "REPORT":
        return {"Content-Type": "application/xml", "Depth": "1"}, SYNC
    if method in ("COPY", "MOVE"):
        return {"Destination": f"/dav/files/{attacker.login}/loot-{world.run}.txt"}, b""
    if method == "PUT":
        return {"Content-Type": "text/plain"}, b"planted by the attacker"
    if method in ("POST", "PATCH") and kind == "api":
        password = world.r.passwords[attacker.login]
        # A literal reading that names the org-admin themselves sets what is there already.
        return ({"Content-Type": "application/json"},
                b'{"quota": 7777}' if method == "PATCH" else
                b'{"password": "%s"}' % password.encode())
    return {}, b""


def attacker_for(attackers, role):
    return next(a for a in attackers if a.name == ("orgadmin-basic" if role == "org-admin"
                                                   else "member-basic"))


def case_id(value):
    return value.replace(" (public)", "").strip("/").replace("/", "_") or "app"


# ---- the tests ----

def test_every_route_of_the_server_has_an_escape_corpus(world):
    live = world.route_table()
    assert sorted(live) == sorted(ROUTES), (
        f"routes without an escape corpus: {sorted(set(live) - set(ROUTES))}; "
        f"corpus routes the server no longer has: {sorted(set(ROUTES) - set(live))}")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("route", list(ROUTES), ids=case_id)
def test_path_escapes_reach_nothing(world, attackers, route, family):
    assert route in world.route_table(), f"{route} has a corpus but the server has no such route"
    role, base, victim_targets, methods = ROUTES[route]
    attacker = attacker_for(attackers, role)
    own = base.format(me=attacker.login)
    kind = "api" if route == "/api/v1/" else "dav"
    problems = []
    targets = dict.fromkeys(e for t in victim_targets(world)
                            for e in escapes(family, own, t, world))
    for target in targets:
        raw = target.encode("utf-8")
        for method in methods:
            headers, body = method_request(world, attacker, method, kind)
            ans = attacker.send(method, raw, headers, body)
            problems += judge(world, attacker, method, raw, ans,
                              f"{target} {headers} {body.decode()}")
    world.fail_on(problems, f"{family} escapes on {route}")


@pytest.mark.parametrize("base", list(BUILTIN_BASES.values()), ids=list(BUILTIN_BASES))
def test_escapes_from_the_frontends_own_paths_reach_nothing(world, attackers, base):
    attacker = attacker_for(attackers, "member")
    problems = []
    for family in FAMILIES:
        for t in victims_files("/dav/files")(world):
            for target in escapes(family, base, t, world):
                raw = target.encode("utf-8")
                ans = attacker.send("GET", raw)
                problems += judge(world, attacker, "GET", raw, ans, target)
    world.assert_unchanged(f"escapes from {base}")
    if problems:
        pytest.fail(f"{len(problems)} problems:\n" + "\n".join(problems[:30]))


@pytest.mark.parametrize("method", ["COPY", "MOVE"])
@pytest.mark.parametrize("prefix", ["/dav/files", "/remote.php/dav/files"], ids=case_id)
def test_escapes_in_the_destination_of_copy_and_move_reach_nothing(world, attackers, prefix,
                                                                   method):
    """From the attacker's own file, a Destination that escapes into a victim's tree, a new name
    there or an existing file (Overwrite: T), is refused: 400, 403 (docs/access.md: another tree),
    404; 502 only for an authority that is not this server (documented for another host)."""
    attacker = attacker_for(attackers, "member")
    own = f"{prefix}/{attacker.login}"
    source = f"{own}/move-source-{world.run}.txt"
    source_exists = False
    problems = []
    for v in world.victims.values():
        for goal in (f"{prefix}/{v.login}/Projects/planted-{world.run}.txt",
                     f"{prefix}/{v.login}/{v.top}"):
            for family in FAMILIES:
                for destination in escapes(family, own, goal, world):
                    if "\x00" in destination or "\t" in destination or "#" in destination:
                        continue  # Not a header value any client could send.
                    if not source_exists:
                        made = world.r.put(source, b"the attacker's own", user=attacker.login)
                        assert made.status_code in (201, 204), made.status_code
                    headers = {"Destination": destination, "Overwrite": "T"}
                    ans = attacker.send(method, source, headers)
                    source_exists = method == "COPY" or ans.status >= 300
                    expect = destination_expectation(world, attacker, destination)
                    if expect == "other host" and ans.status == 502:
                        continue
                    problems += judge(world, attacker, method, destination.encode(), ans,
                                      f"{source} {headers}",
                                      expect="own" if expect == "own" else "refused")
    world.assert_unchanged(f"{method} escapes in Destination")
    if problems:
        pytest.fail(f"{len(problems)} problems:\n" + "\n".join(problems[:30]))


def destination_expectation(world, attacker, destination):
    parsed = urllib.parse.urlsplit(destination)
    if parsed.scheme or destination.startswith("//"):
        # Userinfo is no part of the host (RFC 3986 §3.2): the same server.
        if (parsed.hostname, parsed.port) != ("127.0.0.1", world.r.port):
            return "other host"
        destination = destination[destination.index(parsed.netloc) + len(parsed.netloc):]
    expect = expectation(world, attacker, destination.encode())
    return "own" if expect == "own" else "refused"
