"""PUT/GET of 0 B, 1 B and 1 MiB are byte-exact with matching ETag and Content-Length."""
import os

import pytest


@pytest.mark.parametrize("size", [0, 1, 1 << 20])
def test_roundtrip(regie_module, size):
    r = regie_module
    body = os.urandom(size)
    path = f"/dav/files/admin/size-{size}.bin"
    p = r.put(path, body)
    assert p.status_code == 201, p.status_code
    g = r.get(path)
    assert g.status_code == 200
    assert g.content == body
    assert g.headers.get("Content-Length") == str(size)
    assert g.headers.get("ETag") == p.headers.get("ETag")
    h = r.head(path)
    assert (h.status_code, h.headers.get("Content-Length")) == (200, str(size))


def test_chunked_upload(regie_module):
    r = regie_module
    parts = [os.urandom(n) for n in (1, 100, 65536, 7, 300_000)]
    p = r.put("/dav/files/admin/chunked.bin", data=iter(parts))  # Transfer-Encoding: chunked
    assert p.status_code == 201, p.status_code
    g = r.get("/dav/files/admin/chunked.bin")
    assert g.content == b"".join(parts)
    assert g.headers.get("ETag") == p.headers.get("ETag")
