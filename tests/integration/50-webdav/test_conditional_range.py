"""GET and HEAD with Range and If-Range, and the conditional headers on every method they apply
to (RFC 9110 §13, §14; RFC 4918 §9)."""
import email.utils
import os

BASE = "/dav/files/admin"
BODY = bytes(range(256)) * 40  # 10240 bytes


def put(regie):
    r = regie.put(BASE + "/data.bin", BODY)
    assert r.status_code == 201
    return r.headers["ETag"]


def test_ranges(regie):
    etag = put(regie)
    cases = {"bytes=0-99": (0, 100), "bytes=10000-": (10000, 240), "bytes=-10": (10230, 10),
             "bytes=10200-99999": (10200, 40)}
    for header, (first, length) in cases.items():
        r = regie.get(BASE + "/data.bin", headers={"Range": header})
        assert r.status_code == 206, header
        assert r.content == BODY[first:first + length], header
        assert r.headers["Content-Range"] == f"bytes {first}-{first + length - 1}/10240"
    r = regie.get(BASE + "/data.bin", headers={"Range": "bytes=20000-"})
    assert r.status_code == 416 and r.headers["Content-Range"] == "bytes */10240"
    # Several ranges: the whole body is a valid answer.
    r = regie.get(BASE + "/data.bin", headers={"Range": "bytes=0-1,5-6"})
    assert (r.status_code, r.content) == (200, BODY)
    # If-Range: a current ETag keeps the range, a stale one gets the whole body.
    r = regie.get(BASE + "/data.bin", headers={"Range": "bytes=0-9", "If-Range": etag})
    assert (r.status_code, r.content) == (206, BODY[:10])
    r = regie.get(BASE + "/data.bin", headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert (r.status_code, r.content) == (200, BODY)
    h = regie.head(BASE + "/data.bin", headers={"Range": "bytes=0-9"})
    assert h.status_code == 206 and h.headers["Content-Length"] == "10"


def test_ranges_of_a_large_file(regie):
    """A blob file's body over 64 KiB leaves by sendfile(2) on plain HTTP, from any offset."""
    body = os.urandom(3 << 20)
    assert regie.put(BASE + "/large.bin", body).status_code == 201
    g = regie.get(BASE + "/large.bin")
    assert (g.status_code, len(g.content), g.content == body) == (200, len(body), True)
    for first, last in ((0, 99_999), (1_000_001, 2_500_000), (len(body) - 70_000, len(body) - 1)):
        r = regie.get(BASE + "/large.bin", headers={"Range": f"bytes={first}-{last}"})
        assert r.status_code == 206, (first, last)
        assert r.content == body[first:last + 1], (first, last)
        assert r.headers["Content-Range"] == f"bytes {first}-{last}/{len(body)}"


def test_get_conditions(regie):
    etag = put(regie)
    g = regie.get(BASE + "/data.bin")
    modified = g.headers["Last-Modified"]
    later = email.utils.formatdate(email.utils.parsedate_to_datetime(modified).timestamp() + 60,
                                   usegmt=True)
    earlier = email.utils.formatdate(
        email.utils.parsedate_to_datetime(modified).timestamp() - 60, usegmt=True)
    assert regie.get(BASE + "/data.bin", headers={"If-None-Match": etag}).status_code == 304
    assert regie.get(BASE + "/data.bin", headers={"If-Match": '"other"'}).status_code == 412
    assert regie.get(BASE + "/data.bin", headers={"If-Modified-Since": modified}).status_code == 304
    assert regie.get(BASE + "/data.bin", headers={"If-Modified-Since": earlier}).status_code == 200
    assert regie.get(BASE + "/data.bin",
                     headers={"If-Unmodified-Since": earlier}).status_code == 412
    assert regie.get(BASE + "/data.bin", headers={"If-Unmodified-Since": later}).status_code == 200
    # If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.1.3).
    r = regie.get(BASE + "/data.bin", headers={"If-None-Match": '"x"', "If-Modified-Since": later})
    assert r.status_code == 200


def test_write_conditions(regie):
    etag = put(regie)
    dest = {"Destination": BASE + "/copy.bin"}
    assert regie.put(BASE + "/data.bin", b"new", headers={"If-Match": '"x"'}).status_code == 412
    assert regie.put(BASE + "/data.bin", b"new", headers={"If-None-Match": "*"}).status_code == 412
    assert regie.delete(BASE + "/data.bin", headers={"If-Match": '"x"'}).status_code == 412
    assert regie.request("MOVE", BASE + "/data.bin",
                         headers={**dest, "If-Match": '"x"'}).status_code == 412
    assert regie.get(BASE + "/data.bin").content == BODY
    assert regie.request("COPY", BASE + "/data.bin",
                         headers={**dest, "If-Match": etag}).status_code == 201
    assert regie.put(BASE + "/new.bin", b"n", headers={"If-None-Match": "*"}).status_code == 201
    assert regie.delete(BASE + "/data.bin", headers={"If-Match": etag}).status_code == 204
    # The WebDAV If header with an entity tag (RFC 4918 §10.4).
    etag = regie.put(BASE + "/f.txt", b"1").headers["ETag"]
    assert regie.put(BASE + "/f.txt", b"2", headers={"If": '(["wrong"])'}).status_code == 412
    assert regie.put(BASE + "/f.txt", b"2", headers={"If": f"([{etag}])"}).status_code == 204
    assert regie.put(BASE + "/f.txt", b"3", headers={"If": "(<urn:x> [bad"}).status_code == 400
