"""A file's life: PUT creates (201) or replaces (204) with an ETag; GET/HEAD return the bytes and
headers; DELETE removes it; the /remote.php/dav alias reaches the same files."""
import email.utils
import os
import re

ETAG_RE = re.compile(r'^"[0-9a-f]+"$')


def test_put_get_head_replace_delete(regie):
    body = os.urandom(5000)
    p = regie.put("/dav/files/admin/report.txt", body,
                  headers={"Content-Type": "text/plain; charset=utf-8"})
    assert p.status_code == 201, p.status_code
    etag = p.headers.get("ETag")
    assert etag and ETAG_RE.match(etag), etag

    g = regie.get("/dav/files/admin/report.txt")
    assert g.status_code == 200
    assert g.content == body
    assert g.headers.get("ETag") == etag
    assert g.headers.get("Content-Length") == str(len(body))
    assert g.headers.get("Content-Type") == "text/plain; charset=utf-8"
    assert email.utils.parsedate_to_datetime(g.headers["Last-Modified"]) is not None

    h = regie.head("/dav/files/admin/report.txt")
    assert h.status_code == 200
    assert h.content == b""
    for name in ("ETag", "Content-Length", "Content-Type", "Last-Modified"):
        assert h.headers.get(name) == g.headers.get(name), name

    body2 = b"second version"
    p2 = regie.put("/dav/files/admin/report.txt", body2)
    assert p2.status_code == 204, p2.status_code
    etag2 = p2.headers.get("ETag")
    assert etag2 and ETAG_RE.match(etag2) and etag2 != etag, (etag, etag2)
    g2 = regie.get("/dav/files/admin/report.txt")
    assert (g2.status_code, g2.content, g2.headers.get("ETag")) == (200, body2, etag2)
    # Sent without a type: the type follows from the name.
    assert g2.headers.get("Content-Type") == "text/plain; charset=utf-8"

    d = regie.delete("/dav/files/admin/report.txt")
    assert d.status_code == 204, d.status_code
    assert regie.get("/dav/files/admin/report.txt").status_code == 404
    assert regie.head("/dav/files/admin/report.txt").status_code == 404


def test_content_type_follows_the_name_when_none_was_sent(regie):
    assert regie.put("/dav/files/admin/blob.bin", b"\x00\x01").status_code == 201
    assert regie.get("/dav/files/admin/blob.bin").headers.get("Content-Type") == \
        "application/octet-stream"
    assert regie.put("/dav/files/admin/Scan 01.PDF", b"%PDF-1.7").status_code == 201
    assert regie.get("/dav/files/admin/Scan%2001.PDF").headers.get("Content-Type") == \
        "application/pdf"
    # A type the client sent wins over the name.
    assert regie.put("/dav/files/admin/notes.pdf", b"x",
                     headers={"Content-Type": "text/markdown"}).status_code == 201
    assert regie.get("/dav/files/admin/notes.pdf").headers.get("Content-Type") == "text/markdown"


def test_remote_php_alias(regie):
    p = regie.put("/remote.php/dav/files/admin/alias.txt", b"via alias")
    assert p.status_code == 201, p.status_code
    g = regie.get("/dav/files/admin/alias.txt")
    assert (g.status_code, g.content) == (200, b"via alias")
    assert g.headers.get("ETag") == p.headers.get("ETag")
    g2 = regie.get("/remote.php/dav/files/admin/alias.txt")
    assert (g2.status_code, g2.content) == (200, b"via alias")
    assert regie.delete("/remote.php/dav/files/admin/alias.txt").status_code == 204
    assert regie.get("/dav/files/admin/alias.txt").status_code == 404
