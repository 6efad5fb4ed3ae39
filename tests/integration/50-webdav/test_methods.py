"""MKCOL, PUT, DELETE, COPY and MOVE: every status and precondition RFC 4918 names for them,
checked with plain HTTP requests, and that a refused request changes nothing."""
from dav_client import error_condition, listing, q

BASE = "/dav/files/admin"


def req(regie, method, path, **kw):
    return regie.request(method, BASE + path, **kw)


def names(regie, path="/"):
    return {href.rsplit("/", 2)[-2] if href.endswith("/") else href.rsplit("/", 1)[-1]
            for href in listing(regie, BASE + path) if href.rstrip("/") != (BASE + path).rstrip("/")}


def test_options_advertises_classes_1_2_3(regie):
    r = req(regie, "OPTIONS", "/")
    assert r.status_code == 200
    assert [c.strip() for c in r.headers["DAV"].split(",")][:3] == ["1", "2", "3"]
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    assert {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"} <= allow


def test_mkcol_statuses(regie):
    assert req(regie, "MKCOL", "/docs/").status_code == 201
    assert req(regie, "MKCOL", "/docs/").status_code == 405  # Exists.
    assert req(regie, "MKCOL", "/missing/child/").status_code == 409  # No parent.
    r = req(regie, "MKCOL", "/withbody/", data=b"<x/>", headers={"Content-Type": "text/xml"})
    assert r.status_code == 415
    assert req(regie, "PUT", "/file.txt", data=b"x").status_code == 201
    assert req(regie, "MKCOL", "/file.txt").status_code == 405  # A file is there.
    assert names(regie) == {"docs", "file.txt"}


def test_put_statuses(regie):
    assert req(regie, "PUT", "/nofolder/a.txt", data=b"x").status_code == 409
    assert req(regie, "MKCOL", "/dir/").status_code == 201
    assert req(regie, "PUT", "/dir", data=b"x").status_code == 405  # Onto a folder.
    r = req(regie, "PUT", "/part.bin", data=b"abc", headers={"Content-Range": "bytes 0-2/10"})
    assert r.status_code == 400
    assert req(regie, "GET", "/part.bin").status_code == 404
    assert req(regie, "PUT", "/empty.txt", data=b"").status_code == 201
    g = req(regie, "GET", "/empty.txt")
    assert (g.status_code, g.content) == (200, b"")


def test_delete_is_recursive_and_frees_the_names(regie):
    assert req(regie, "MKCOL", "/tree/").status_code == 201
    assert req(regie, "MKCOL", "/tree/sub/").status_code == 201
    assert req(regie, "PUT", "/tree/sub/deep.txt", data=b"deep").status_code == 201
    assert req(regie, "PUT", "/tree/top.txt", data=b"top").status_code == 201
    assert req(regie, "DELETE", "/tree/", headers={"Depth": "0"}).status_code == 400
    assert req(regie, "GET", "/tree/sub/deep.txt").status_code == 200
    assert req(regie, "DELETE", "/tree/").status_code == 204
    assert req(regie, "GET", "/tree/sub/deep.txt").status_code == 404
    assert req(regie, "PROPFIND", "/tree/", headers={"Depth": "0"}).status_code == 404
    assert req(regie, "DELETE", "/tree/").status_code == 404
    assert req(regie, "DELETE", "/").status_code == 403  # The home folder stays.


def test_copy_and_move_statuses(regie):
    dest = lambda p: {"Destination": regie.base_url + BASE + p}  # noqa: E731
    assert req(regie, "PUT", "/a.txt", data=b"alpha").status_code == 201
    assert req(regie, "COPY", "/a.txt", headers=dest("/b.txt")).status_code == 201
    assert req(regie, "COPY", "/a.txt", headers=dest("/b.txt")).status_code == 204
    r = req(regie, "COPY", "/a.txt", headers={**dest("/b.txt"), "Overwrite": "F"})
    assert r.status_code == 412
    assert req(regie, "COPY", "/a.txt", headers=dest("/a.txt")).status_code == 403
    assert req(regie, "COPY", "/a.txt", headers=dest("/none/x.txt")).status_code == 409
    assert req(regie, "COPY", "/missing.txt", headers=dest("/x.txt")).status_code == 404
    assert req(regie, "COPY", "/a.txt").status_code == 400  # No Destination.
    other = {"Destination": "http://elsewhere.example" + BASE + "/c.txt"}
    assert req(regie, "COPY", "/a.txt", headers=other).status_code == 502
    # A path-only Destination is fine too (RFC 4918 §10.3).
    assert req(regie, "MOVE", "/b.txt", headers={"Destination": BASE + "/c.txt"}).status_code == 201
    assert req(regie, "GET", "/b.txt").status_code == 404
    assert req(regie, "GET", "/c.txt").content == b"alpha"
    assert req(regie, "MOVE", "/c.txt", headers=dest("/a.txt")).status_code == 204
    assert names(regie) == {"a.txt"}


def test_folder_copy_depth_and_move_into_itself(regie):
    dest = lambda p: {"Destination": regie.base_url + BASE + p}  # noqa: E731
    for path in ("/src/", "/src/inner/"):
        assert req(regie, "MKCOL", path).status_code == 201
    assert req(regie, "PUT", "/src/inner/f.txt", data=b"f").status_code == 201
    assert req(regie, "COPY", "/src/", headers={**dest("/shallow/"), "Depth": "0"}).status_code == 201
    assert names(regie, "/shallow/") == set()
    assert req(regie, "COPY", "/src/", headers=dest("/full/")).status_code == 201
    assert req(regie, "GET", "/full/inner/f.txt").content == b"f"
    assert req(regie, "MOVE", "/src/", headers=dest("/src/inner/x/")).status_code == 403
    assert req(regie, "MOVE", "/src/", headers={**dest("/m/"), "Depth": "0"}).status_code == 400
    assert req(regie, "MOVE", "/src/", headers=dest("/moved/")).status_code == 201
    assert req(regie, "GET", "/moved/inner/f.txt").content == b"f"
    # Overwriting a folder with a file replaces the whole folder.
    assert req(regie, "PUT", "/file.txt", data=b"file").status_code == 201
    assert req(regie, "MOVE", "/file.txt", headers=dest("/full/")).status_code == 204
    assert req(regie, "GET", "/full").content == b"file"
    assert req(regie, "GET", "/full/inner/f.txt").status_code == 404


def test_propfind_infinity_is_refused_with_its_precondition(regie):
    r = req(regie, "PROPFIND", "/", headers={"Depth": "infinity"})
    assert r.status_code == 403
    assert error_condition(r) == q("propfind-finite-depth")
    r = req(regie, "PROPFIND", "/")  # No Depth header means infinity (RFC 4918 §9.1).
    assert r.status_code == 403


def test_propfind_infinity_when_allowed(regie_factory):
    regie = regie_factory(config="[dav]\nallow_propfind_infinity = true\n")
    for path in ("/a/", "/a/b/"):
        assert req(regie, "MKCOL", path).status_code == 201
    assert req(regie, "PUT", "/a/b/c.txt", data=b"c").status_code == 201
    hrefs = set(listing(regie, BASE + "/", depth="infinity"))
    assert hrefs == {BASE + "/", BASE + "/a/", BASE + "/a/b/", BASE + "/a/b/c.txt"}


def test_malformed_xml_bodies_are_400_and_change_nothing(regie):
    assert req(regie, "PUT", "/a.txt", data=b"x").status_code == 201
    bodies = [
        b"<d:propfind xmlns:d='DAV:'><d:prop>",  # Unbalanced.
        b"<propfind><prop/></propfind>",  # Wrong namespace.
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><d:propfind xmlns:d='DAV:'>"
        b"<d:prop><d:x>&a;</d:x></d:prop></d:propfind>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
        b"<d:propertyupdate xmlns:d='DAV:'><d:set><d:prop><z>&e;</z></d:prop></d:set>"
        b"</d:propertyupdate>",
        b"<d:propertyupdate xmlns:d='DAV:'>" + b"<a>" * 500 + b"</a>" * 500 + b"</d:propertyupdate>",
    ]
    for body in bodies:
        for method in ("PROPFIND", "PROPPATCH", "LOCK"):
            r = req(regie, method, "/a.txt", data=body, headers={"Depth": "0"})
            assert r.status_code == 400, (method, body[:40], r.status_code)
    r = req(regie, "PROPFIND", "/a.txt", headers={"Depth": "0"})
    assert r.status_code == 207 and b"passwd" not in r.content and b"aaaa" not in r.content
    big = b"<d:propfind xmlns:d='DAV:'><d:prop>" + b"<d:x/>" * 300000 + b"</d:prop></d:propfind>"
    assert req(regie, "PROPFIND", "/a.txt", data=big, headers={"Depth": "0"}).status_code == 413
    assert regie.get("/healthz", user=None).status_code == 200


def test_proppatch_is_all_or_nothing(regie):
    assert req(regie, "PUT", "/a.txt", data=b"x").status_code == 201
    body = (b"<?xml version='1.0'?><d:propertyupdate xmlns:d='DAV:' xmlns:z='urn:z'>"
            b"<d:set><d:prop><z:color>red</z:color></d:prop></d:set>"
            b"<d:set><d:prop><d:getetag>forged</d:getetag></d:prop></d:set>"
            b"</d:propertyupdate>")
    r = req(regie, "PROPPATCH", "/a.txt", data=body)
    assert r.status_code == 207
    assert b"cannot-modify-protected-property" in r.content
    assert b"424" in r.content  # z:color failed because of the other update.
    entry = listing(regie, BASE + "/a.txt", depth="0", names=(("urn:z", "color"),))
    assert q("color", "urn:z") in entry[BASE + "/a.txt"]["missing"]
    good = body.replace(b"<d:set><d:prop><d:getetag>forged</d:getetag></d:prop></d:set>", b"")
    assert req(regie, "PROPPATCH", "/a.txt", data=good).status_code == 207
    entry = listing(regie, BASE + "/a.txt", depth="0", names=(("urn:z", "color"),))
    assert entry[BASE + "/a.txt"]["props"][q("color", "urn:z")].text == "red"


def test_http10_gets_a_close_delimited_multistatus(regie):
    import base64
    auth = base64.b64encode(f"admin:{regie.admin}".encode()).decode()
    status, headers, body = regie.raw(
        b"PROPFIND /dav/files/admin/ HTTP/1.0\r\nHost: x\r\nDepth: 0\r\n"
        b"Authorization: Basic " + auth.encode() + b"\r\n\r\n")
    assert status == 207
    assert "transfer-encoding" not in {k.lower() for k in headers}
    assert body.startswith(b"<?xml") and body.rstrip().endswith(b"</d:multistatus>")


def test_locked_resource_names_its_lock_root(regie):
    assert req(regie, "MKCOL", "/locked/").status_code == 201
    body = (b"<?xml version='1.0'?><d:lockinfo xmlns:d='DAV:'><d:lockscope><d:exclusive/>"
            b"</d:lockscope><d:locktype><d:write/></d:locktype></d:lockinfo>")
    r = req(regie, "LOCK", "/locked/", data=body, headers={"Depth": "infinity"})
    assert r.status_code == 200, r.status_code
    token = r.headers["Lock-Token"]
    r = req(regie, "PUT", "/locked/new.txt", data=b"x")
    assert r.status_code == 423
    assert error_condition(r) == q("lock-token-submitted")
    assert b"<d:href>/dav/files/admin/locked/</d:href>" in r.content
    assert req(regie, "PUT", "/locked/new.txt", data=b"x",
               headers={"If": f"({token})"}).status_code == 201
