"""Names are stored byte-exact and come back in hrefs that round-trip; names equal under NFC
conflict; bad names are refused; no request, however encoded, escapes the user's tree."""
import unicodedata
import urllib.parse

from dav_client import href_path, listing

BASE = "/dav/files/admin"


def enc(name):
    return urllib.parse.quote(name, safe="")


def test_unicode_names_round_trip_byte_exact(regie):
    names = ["Straße.txt", "İstanbul ı.txt", "한국어 문서.txt", "🎭 theatre.txt",
             unicodedata.normalize("NFD", "Café NFD.txt"), "#hash%percent?query .txt",
             ".hidden", "trailing space .txt"]
    for i, name in enumerate(names):
        r = regie.put(f"{BASE}/{enc(name)}", str(i).encode())
        assert r.status_code == 201, (name, r.status_code)
    entries = listing(regie, BASE + "/")
    listed = {href_path(h).rsplit("/", 1)[-1] for h in entries if not h.endswith("/")}
    assert listed == set(names)  # Byte-exact: NFD stays NFD.
    for href in entries:
        if href.endswith("/"):
            continue
        # The href as given fetches the same bytes the name was stored with.
        name = href_path(href).rsplit("/", 1)[-1]
        assert regie.get(href).content == str(names.index(name)).encode()


def test_folder_names_with_special_characters(regie):
    name = "50% off #1 ?"
    assert regie.request("MKCOL", f"{BASE}/{enc(name)}/").status_code == 201
    assert regie.put(f"{BASE}/{enc(name)}/inside.txt", b"x").status_code == 201
    entries = listing(regie, f"{BASE}/{enc(name)}/")
    assert {href_path(h) for h in entries} == {f"{BASE}/{name}/", f"{BASE}/{name}/inside.txt"}


def test_nfc_equal_names_conflict(regie):
    nfc = unicodedata.normalize("NFC", "é.txt")
    nfd = unicodedata.normalize("NFD", "é.txt")
    assert nfc != nfd
    assert regie.put(f"{BASE}/{enc(nfc)}", b"composed").status_code == 201
    assert regie.put(f"{BASE}/{enc(nfd)}", b"decomposed").status_code == 409
    assert regie.request("MKCOL", f"{BASE}/{enc(nfd)}").status_code in (405, 409)
    assert regie.get(f"{BASE}/{enc(nfc)}").content == b"composed"
    # A rename onto the other form of the same name is a conflict too, unless overwriting.
    assert regie.put(f"{BASE}/other.txt", b"o").status_code == 201
    dest = {"Destination": f"{BASE}/{enc(nfd)}", "Overwrite": "F"}
    assert regie.request("MOVE", f"{BASE}/other.txt", headers=dest).status_code in (409, 412)


def test_bad_names_are_refused(regie):
    assert regie.put(f"{BASE}/{'a' * 256}", b"x").status_code == 400
    assert regie.put(f"{BASE}/{'a' * 255}", b"x").status_code == 201
    assert regie.put(f"{BASE}/bad%FF.txt", b"x").status_code == 400  # Invalid UTF-8.
    assert regie.put(f"{BASE}/nul%00.txt", b"x").status_code == 400
    assert regie.put(f"{BASE}/a%2Fb.txt", b"x").status_code == 400  # An encoded slash.


def test_path_escapes_never_leave_the_tree(regie):
    regie.add_user("bob", password="bob-password-1")
    assert regie.put("/dav/files/bob/secret.txt", b"bob's", user="bob").status_code == 201
    attempts = [
        f"{BASE}/../bob/secret.txt", f"{BASE}/%2e%2e/bob/secret.txt",
        f"{BASE}/%2E%2E%2Fbob%2Fsecret.txt", f"{BASE}/..%5Cbob%5Csecret.txt",
        f"{BASE}/.%2e/bob/secret.txt", f"{BASE}/%c0%ae%c0%ae/bob/secret.txt",
        "/dav/files/bob/secret.txt", "/remote.php/dav/files/bob/secret.txt",
        f"{BASE}/./../bob/secret.txt",
    ]
    for path in attempts:
        for method in ("GET", "PROPFIND", "DELETE"):
            r = regie.request(method, path, headers={"Depth": "0"})
            assert r.status_code in (400, 403, 404), (method, path, r.status_code)
            assert b"bob's" not in r.content
    dest = {"Destination": "/dav/files/bob/planted.txt"}
    assert regie.put(f"{BASE}/mine.txt", b"m").status_code == 201
    assert regie.request("COPY", f"{BASE}/mine.txt", headers=dest).status_code in (403, 404)
    assert regie.get("/dav/files/bob/planted.txt", user="bob").status_code == 404
    assert regie.get("/dav/files/bob/secret.txt", user="bob").content == b"bob's"
