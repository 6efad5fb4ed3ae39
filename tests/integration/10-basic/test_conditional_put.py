"""Preconditions on PUT (If-None-Match: *, If-Match) give 412 and leave the file alone; a PUT into
a missing parent folder gives 409."""


def test_if_none_match_star(regie):
    p = regie.put("/dav/files/admin/c.txt", b"original", headers={"If-None-Match": "*"})
    assert p.status_code == 201, "If-None-Match: * on a new path must create it"
    r = regie.put("/dav/files/admin/c.txt", b"clobber", headers={"If-None-Match": "*"})
    assert r.status_code == 412, r.status_code
    g = regie.get("/dav/files/admin/c.txt")
    assert (g.content, g.headers.get("ETag")) == (b"original", p.headers.get("ETag"))


def test_if_match(regie):
    p = regie.put("/dav/files/admin/m.txt", b"v1")
    assert p.status_code == 201
    r = regie.put("/dav/files/admin/m.txt", b"v2", headers={"If-Match": '"wrong"'})
    assert r.status_code == 412, r.status_code
    assert regie.get("/dav/files/admin/m.txt").content == b"v1"
    ok = regie.put("/dav/files/admin/m.txt", b"v3", headers={"If-Match": p.headers["ETag"]})
    assert ok.status_code == 204, ok.status_code
    assert regie.get("/dav/files/admin/m.txt").content == b"v3"
    new = regie.put("/dav/files/admin/absent.txt", b"x", headers={"If-Match": '"wrong"'})
    assert new.status_code == 412, new.status_code
    assert regie.get("/dav/files/admin/absent.txt").status_code == 404


def test_missing_parent_is_409(regie):
    r = regie.put("/dav/files/admin/nodir/x", b"orphan")
    assert r.status_code == 409, r.status_code
    assert regie.get("/dav/files/admin/nodir/x").status_code == 404
