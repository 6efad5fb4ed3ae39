"""While a SIGTERM drain waits for an upload in flight, the server never reports ready: /readyz
gets 503 or no connection at all (new connections are refused); the upload still completes."""
import os
import signal
import socket
import time

import pytest

from regie_harness import SlowUpload, read_response


def readyz_status(port, partial_sock=None):
    """503/200/... or None when the connection is refused or closed without an answer."""
    try:
        s = partial_sock or socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return None
    try:
        s.sendall(b"\r\n" if partial_sock else b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        return read_response(s, timeout=10)[0]
    except (OSError, AssertionError):
        return None
    finally:
        s.close()


@pytest.mark.timeout(120)
def test_not_ready_while_draining(regie):
    assert readyz_status(regie.port) == 200
    parts = [os.urandom(16 * 1024) for _ in range(30)]
    upload = SlowUpload(regie, "/dav/files/admin/draining.bin", parts, started_after=0)  # ~3 s
    probe = socket.create_connection(("127.0.0.1", regie.port), timeout=10)
    probe.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")  # headers not finished yet
    time.sleep(0.5)
    regie.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    try:
        assert readyz_status(regie.port, partial_sock=probe) in (503, None)
        assert readyz_status(regie.port) in (503, None), "fresh /readyz during a drain"
    finally:
        r = upload.result()
    assert not isinstance(r, Exception) and r.status_code == 201, r


@pytest.mark.timeout(60)
def test_drain_delay_keeps_serving_with_readyz_503(regie_factory):
    """With [http] drain_delay a load balancer sees /readyz 503 while requests still succeed;
    after the delay the server stops and exits 0."""
    regie = regie_factory(env={"REGIE_HTTP_DRAIN_DELAY": "2s"})
    assert regie.put("/dav/files/admin/still.txt", b"here").status_code == 201
    assert readyz_status(regie.port) == 200
    started = time.monotonic()
    regie.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    assert readyz_status(regie.port) == 503
    assert regie.get("/dav/files/admin/still.txt").content == b"here"
    assert regie.wait(timeout=20) == 0
    assert time.monotonic() - started >= 1.5, "stopped before drain_delay ended"
