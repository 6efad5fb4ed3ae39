"""[http] max_upload_bytes bounds every upload, declared or chunked: larger ones get 413 and
leave nothing behind, smaller ones are stored."""
import os


def chunks(data, size=1024):
    for i in range(0, len(data), size):
        yield data[i:i + size]


def test_uploads_over_max_upload_bytes_are_413(regie_factory):
    regie = regie_factory(env={"REGIE_HTTP_MAX_UPLOAD_BYTES": "8KiB"})
    fits = os.urandom(8 * 1024)
    assert regie.put("/dav/files/admin/fits", fits).status_code == 201
    too_big = os.urandom(8 * 1024 + 1)
    declared = regie.put("/dav/files/admin/declared", too_big)
    assert declared.status_code == 413, declared.status_code
    chunked = regie.put("/dav/files/admin/chunked", chunks(too_big))
    assert chunked.status_code == 413, chunked.status_code
    for name in ("declared", "chunked"):
        assert regie.get(f"/dav/files/admin/{name}").status_code == 404
    assert regie.get("/dav/files/admin/fits").content == fits
    assert not regie.wait_no_stray_blob_files()
