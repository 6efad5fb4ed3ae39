"""kill -9 during 20 concurrent uploads, then restart: every upload that got 201 is intact and
byte-exact; every other one is 404 or complete, never partial; no temp files remain."""
import http.client
import random
import signal
import threading
import time

import pytest

from regie_harness import basic_auth_header, sha256_file

N = 20
PIECE = 256 * 1024


@pytest.mark.timeout(180)
def test_kill9_during_uploads(regie):
    rng = random.Random(20261127)
    bodies = [rng.randbytes(rng.randint(2, 8) * (1 << 20)) for _ in range(N)]
    auth = basic_auth_header("admin", regie.admin).split(": ", 1)[1].strip()
    status = [None] * N
    done = threading.Semaphore(0)
    stop = threading.Event()

    def upload(i):
        slow = i % 2 == 1  # half trickle, so some are mid-body at the kill
        conn = http.client.HTTPConnection("127.0.0.1", regie.port, timeout=30)
        try:
            conn.putrequest("PUT", f"/dav/files/admin/k{i}.bin")
            conn.putheader("Authorization", auth)
            conn.putheader("Content-Length", str(len(bodies[i])))
            conn.endheaders()
            for off in range(0, len(bodies[i]), PIECE):
                if stop.is_set():
                    return
                conn.send(bodies[i][off:off + PIECE])
                if slow:
                    time.sleep(0.1)
            resp = conn.getresponse()
            resp.read()
            status[i] = resp.status
        except (OSError, http.client.HTTPException) as e:
            status[i] = e
        finally:
            conn.close()
            done.release()

    threads = [threading.Thread(target=upload, args=(i,), daemon=True) for i in range(N)]
    for t in threads:
        t.start()
    finished = 0
    deadline = time.monotonic() + 60
    while finished < N // 2 and time.monotonic() < deadline:
        if done.acquire(timeout=0.5):
            finished += 1
    regie.send_signal(signal.SIGKILL)
    regie.wait(timeout=30)
    stop.set()
    for t in threads:
        t.join(timeout=40)
    assert not any(t.is_alive() for t in threads), "an upload thread hung"
    acked = [i for i in range(N) if status[i] == 201]
    assert acked, f"no upload finished before the kill: {status}"
    assert len(acked) < N, "every upload finished before the kill: the test checked nothing"

    regie.start()
    for i in range(N):
        g = regie.get(f"/dav/files/admin/k{i}.bin", timeout=(10, 60))
        if i in acked:
            assert g.status_code == 200, f"acknowledged upload {i} lost: {g.status_code}"
            assert g.content == bodies[i], f"acknowledged upload {i} corrupt"
        else:
            assert g.status_code in (200, 404), (i, g.status_code)
            if g.status_code == 200:
                assert g.content == bodies[i], f"unacknowledged upload {i} is partial"
    for p in (regie.data_dir / "blobs").rglob("*"):
        if p.is_file() and len(p.name) == 64:
            assert sha256_file(p) == p.name, f"blob {p} is partial or corrupt"
    stray = regie.wait_no_stray_blob_files(timeout=10)
    assert not stray, f"temp files remain after restart: {stray}"
