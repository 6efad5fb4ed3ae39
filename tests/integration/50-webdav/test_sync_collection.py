"""sync-collection (RFC 6578) on file trees, driven by the change log: initial and incremental
syncs at level 1 and infinite, removals as 404, a folder moved deep in the tree reported with its
descendants, truncation with a continuing token, the client's limit, and invalid tokens."""
from dav_client import error_condition, parse_multistatus, q, sync_collection

BASE = "/dav/files/admin"


def sync(regie, path="/", **kw):
    r = sync_collection(regie, BASE + path, **kw)
    assert r.status_code == 207, (r.status_code, r.text)
    return parse_multistatus(r.content)


def test_initial_and_incremental_level_one(regie):
    regie.put(BASE + "/a.txt", b"a")
    regie.request("MKCOL", BASE + "/dir/")
    regie.put(BASE + "/dir/deep.txt", b"d")
    entries, token = sync(regie)
    assert set(entries) == {BASE + "/a.txt", BASE + "/dir/"}  # Members only, not below.
    assert q("getetag") in entries[BASE + "/a.txt"]["props"]
    assert token
    entries, same = sync(regie, token=token)
    assert entries == {} and same == token
    regie.put(BASE + "/a.txt", b"changed")
    regie.put(BASE + "/b.txt", b"b")
    regie.delete(BASE + "/dir/")
    regie.put(BASE + "/c.txt", b"c")
    regie.delete(BASE + "/c.txt")
    entries, token2 = sync(regie, token=token)
    assert {h: e["status"] for h, e in entries.items()} == {
        BASE + "/a.txt": None, BASE + "/b.txt": None, BASE + "/dir/": 404, BASE + "/c.txt": 404}
    assert token2 != token


def test_infinite_level_reports_a_moved_folder_with_its_descendants(regie):
    for path in ("/x/", "/x/y/", "/x/y/z/", "/target/"):
        assert regie.request("MKCOL", BASE + path).status_code == 201
    regie.put(BASE + "/x/y/z/file.txt", b"f")
    entries, token = sync(regie, level="infinite")
    assert BASE + "/x/y/z/file.txt" in entries
    r = regie.request("MOVE", BASE + "/x/y/", headers={"Destination": BASE + "/target/y2/"})
    assert r.status_code == 201
    entries, _ = sync(regie, token=token, level="infinite")
    assert entries[BASE + "/x/y/"]["status"] == 404  # A removed collection keeps its '/'.
    for href in (BASE + "/target/y2/", BASE + "/target/y2/z/", BASE + "/target/y2/z/file.txt"):
        assert href in entries and entries[href]["status"] is None, (href, sorted(entries))
    # Level 1 on the moved folder's new parent sees only its direct member.
    sub_entries, _ = sync(regie, path="/target/")
    assert set(sub_entries) == {BASE + "/target/y2/"}


def test_a_folder_replaced_since_the_token_makes_the_client_sync_again(regie):
    """The log holds one removal for a folder, not one per member: when something else takes the
    folder's place before the next sync, the server refuses the token so that the client does not
    keep the old members, and a sync from scratch lists the tree as it is."""
    for path in ("/x/", "/y/"):
        assert regie.request("MKCOL", BASE + path).status_code == 201
    regie.put(BASE + "/x/old.txt", b"old")
    regie.put(BASE + "/y/new.txt", b"new")
    _, token = sync(regie, level="infinite")
    r = regie.request("MOVE", BASE + "/y/", headers={"Destination": BASE + "/x/", "Overwrite": "T"})
    assert r.status_code == 204
    r = sync_collection(regie, BASE + "/", token=token, level="infinite")
    assert r.status_code == 403 and error_condition(r) == q("valid-sync-token")
    entries, _ = sync(regie, level="infinite")
    assert set(entries) == {BASE + "/x/", BASE + "/x/new.txt"}
    # Level 1 keeps the token: x/ is reported changed, all a members-only client holds.
    entries, _ = sync(regie, token=token)
    assert entries[BASE + "/x/"]["status"] is None


def test_truncation_and_client_limit(regie_factory):
    regie = regie_factory()
    _, token = sync(regie)
    for i in range(12):
        regie.put(f"{BASE}/f{i:02}.txt", b"x")
    r = sync_collection(regie, BASE + "/", token=token, limit=5)
    assert r.status_code == 207
    entries, next_token = parse_multistatus(r.content)
    assert entries[BASE + "/"]["status"] == 507  # Truncated: the request-URI carries 507.
    got = {h for h in entries if h != BASE + "/"}
    assert len(got) == 5
    while True:
        r = sync_collection(regie, BASE + "/", token=next_token, limit=5)
        more, next_token = parse_multistatus(r.content)
        got |= {h for h in more if h != BASE + "/"}
        if BASE + "/" not in more:
            break
    assert got == {f"{BASE}/f{i:02}.txt" for i in range(12)}
    # One change bigger than the client's limit cannot be split: 507 with the precondition.
    regie.request("MKCOL", BASE + "/big/")
    for i in range(4):
        regie.put(f"{BASE}/big/{i}.txt", b"x")
    r = sync_collection(regie, BASE + "/", level="infinite", token=next_token)
    _, t = parse_multistatus(r.content)
    regie.request("MOVE", BASE + "/big/", headers={"Destination": BASE + "/big2/"})
    # The removal of big/ fits; the next answer would be big2/ with its four files.
    r = sync_collection(regie, BASE + "/", level="infinite", token=t, limit=2)
    entries, t = parse_multistatus(r.content)
    assert entries[BASE + "/big/"]["status"] == 404 and entries[BASE + "/"]["status"] == 507
    r = sync_collection(regie, BASE + "/", level="infinite", token=t, limit=2)
    assert r.status_code == 507
    assert error_condition(r) == q("number-of-matches-within-limits")


def test_property_changes_are_reported(regie):
    regie.put(BASE + "/a.txt", b"a")
    _, token = sync(regie)
    body = (b"<?xml version='1.0'?><d:propertyupdate xmlns:d='DAV:' xmlns:z='urn:z'><d:set>"
            b"<d:prop><z:color>red</z:color></d:prop></d:set></d:propertyupdate>")
    assert regie.request("PROPPATCH", BASE + "/a.txt", data=body).status_code == 207
    entries, _ = sync(regie, token=token)
    assert set(entries) == {BASE + "/a.txt"}


def test_invalid_tokens(regie):
    regie.add_user("bob", password="bob-password-1")
    _, bobs = parse_multistatus(sync_collection(regie, "/dav/files/bob/", user="bob").content)
    regie.request("MKCOL", BASE + "/sub/")
    _, other_folder = sync(regie, path="/sub/")
    for token in ("garbage", "urn:regie:sync:1:999999", bobs, other_folder):
        r = sync_collection(regie, BASE + "/", token=token)
        assert r.status_code == 403, token
        assert error_condition(r) == q("valid-sync-token"), token
