"""Blobs live at DATA/blobs/<org>/ab/cd/<sha256>; each file's SHA-256 equals its name, and
nothing else (no temp files) remains under DATA/blobs. Files up to [server] inline_blob_bytes
(8 KiB) live in the database instead: no blob file at all."""
import os

from regie_harness import HEX64_RE, sha256_file, sha256_hex


def test_blobs_are_content_addressed(regie):
    bodies = [os.urandom(n) for n in (10, 4096, 300_000)]
    for i, body in enumerate(bodies):
        assert regie.put(f"/dav/files/admin/b{i}", body).status_code == 201
    for i, body in enumerate(bodies):
        digest = sha256_hex(body)
        found = regie.blob_paths(digest)
        assert regie.get(f"/dav/files/admin/b{i}").content == body
        if len(body) <= 8192:
            assert found == [], f"small blob {digest} should be inline, found {found}"
            continue
        assert len(found) == 1, f"blob {digest} not at blobs/<org>/{digest[:2]}/{digest[2:4]}/"
        assert found[0].read_bytes() == body
    for p in (regie.data_dir / "blobs").rglob("*"):
        if p.is_file():
            assert HEX64_RE.match(p.name), p
            assert sha256_file(p) == p.name, f"{p} does not hash to its name"
    assert not regie.wait_no_stray_blob_files()


def test_inline_can_be_switched_off(regie_factory):
    regie = regie_factory(config="[server]\ninline_blob_bytes = 0\n")
    body = os.urandom(100)
    assert regie.put("/dav/files/admin/small", body).status_code == 201
    assert len(regie.blob_paths(sha256_hex(body))) == 1
