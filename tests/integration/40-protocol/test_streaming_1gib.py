"""A 1 GiB PUT and GET stream byte-exact (hashed on both sides, never held in memory), the blob
lands under its SHA-256, and the server's peak RSS stays under 64 MiB."""
import hashlib
import http.client
import os

import pytest

from regie_harness import basic_auth_header

SIZE = 1 << 30
CHUNK = 1 << 20
RSS_LIMIT_KB = 64 * 1024


def chunks(seed_block):
    """1 GiB of distinct 1 MiB chunks, generated on the fly."""
    for i in range(SIZE // CHUNK):
        yield i.to_bytes(8, "big") + seed_block[8:]


@pytest.mark.timeout(200)
def test_one_gib_roundtrip(regie):
    auth = basic_auth_header("admin", regie.admin).split(": ", 1)[1].strip()
    seed = os.urandom(CHUNK)
    sent = hashlib.sha256()
    path = "/dav/files/admin/big.bin"

    conn = http.client.HTTPConnection("127.0.0.1", regie.port, timeout=120)
    try:
        conn.putrequest("PUT", path)
        conn.putheader("Authorization", auth)
        conn.putheader("Content-Length", str(SIZE))
        conn.endheaders()
        for chunk in chunks(seed):
            sent.update(chunk)
            conn.send(chunk)
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 201, resp.status
        etag = resp.getheader("ETag")
    finally:
        conn.close()
    digest = sent.hexdigest()

    got = hashlib.sha256()
    n = 0
    with regie.get(path, stream=True, timeout=(10, 120)) as g:
        assert g.status_code == 200
        assert g.headers.get("Content-Length") == str(SIZE)
        assert g.headers.get("ETag") == etag
        for chunk in g.iter_content(CHUNK):
            got.update(chunk)
            n += len(chunk)
    assert n == SIZE
    assert got.hexdigest() == digest, "downloaded bytes differ from uploaded bytes"

    blobs = regie.blob_paths(digest)
    assert len(blobs) == 1, f"no blob named {digest} under {regie.data_dir}/blobs/*/"
    assert blobs[0].stat().st_size == SIZE
    assert not regie.wait_no_stray_blob_files()

    peak = regie.proc_status("VmHWM")
    print(f"peak RSS after 1 GiB PUT and GET: {peak} kB")
    assert peak < RSS_LIMIT_KB, f"peak RSS {peak} kB >= {RSS_LIMIT_KB} kB"
