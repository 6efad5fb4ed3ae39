"""SIGTERM during a slow upload: the upload still completes with 201, the process exits 0, and
after a restart the file is intact."""
import hashlib
import os
import signal

import pytest

from regie_harness import SlowUpload


@pytest.mark.timeout(120)
def test_graceful_shutdown_finishes_upload(regie):
    parts = [os.urandom(64 * 1024) for _ in range(20)]
    body = b"".join(parts)
    upload = SlowUpload(regie, "/dav/files/admin/slow.bin", parts)  # ~2 s in all
    assert upload.started.wait(15), "upload did not start"
    regie.send_signal(signal.SIGTERM)
    r = upload.result()
    assert not isinstance(r, Exception), f"upload failed after SIGTERM: {r!r}"
    assert r.status_code == 201, r.status_code
    etag = r.headers.get("ETag")

    assert regie.wait(timeout=40) == 0, "regie must exit 0 after SIGTERM"

    regie.start()
    g = regie.get("/dav/files/admin/slow.bin")
    assert g.status_code == 200
    assert hashlib.sha256(g.content).hexdigest() == hashlib.sha256(body).hexdigest()
    assert g.headers.get("ETag") == etag
    assert not regie.wait_no_stray_blob_files()
