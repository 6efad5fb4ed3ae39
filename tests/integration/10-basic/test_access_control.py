"""Missing or bad credentials give 401 with a Basic challenge before any lookup; another user's
files answer 404 (not readable, not writable)."""


def challenge_ok(r):
    return r.headers.get("WWW-Authenticate", "").lower().startswith("basic realm=")


def test_unauthenticated_is_401_before_lookup(regie):
    assert regie.put("/dav/files/admin/private.txt", b"secret").status_code == 201
    for path in ("/dav/files/admin/private.txt", "/dav/files/admin/absent.txt",
                 "/dav/files/nosuchuser/x", "/remote.php/dav/files/admin/private.txt"):
        r = regie.get(path, user=None)
        assert r.status_code == 401, (path, r.status_code)
        assert challenge_ok(r), (path, r.headers)
        assert b"secret" not in r.content
    r = regie.put("/dav/files/admin/new.txt", b"anon", user=None)
    assert r.status_code == 401 and challenge_ok(r)
    assert regie.get("/dav/files/admin/new.txt").status_code == 404


def test_bad_password_is_401(regie):
    assert regie.put("/dav/files/admin/p.txt", b"secret").status_code == 201
    r = regie.get("/dav/files/admin/p.txt", password="wrong")
    assert r.status_code == 401 and challenge_ok(r), (r.status_code, r.headers)
    r = regie.get("/dav/files/admin/p.txt", user="nosuchuser", password="whatever")
    assert r.status_code == 401 and challenge_ok(r), (r.status_code, r.headers)


def test_other_users_files_are_404(regie):
    regie.add_user("bob")
    assert regie.put("/dav/files/admin/mine.txt", b"admin's").status_code == 201
    assert regie.put("/dav/files/bob/his.txt", b"bob's", user="bob").status_code == 201

    assert regie.get("/dav/files/admin/mine.txt", user="bob").status_code == 404
    assert regie.get("/dav/files/admin/absent.txt", user="bob").status_code == 404
    assert regie.head("/dav/files/admin/mine.txt", user="bob").status_code == 404
    w = regie.put("/dav/files/admin/mine.txt", b"overwritten by bob", user="bob")
    assert w.status_code in (403, 404), w.status_code
    assert regie.delete("/dav/files/admin/mine.txt", user="bob").status_code in (403, 404)
    assert regie.get("/dav/files/admin/mine.txt").content == b"admin's"
    assert regie.get("/dav/files/bob/his.txt", user="bob").content == b"bob's"
