"""`regie backup` beside a server that keeps taking writes over WebDAV, `regie backup --verify`,
and `regie restore` into an empty data directory: the restored server holds every write
acknowledged before the backup started, byte-exact, no write sent after it ended, and each write
in between whole or not at all; deletions during the backup cannot take blobs from under it."""
import os
import re
import threading
import time

import pytest

from integrity_util import metric, put_files
from regie_harness import Regie


class Writer(threading.Thread):
    """PUTs new files, overwrites one file and deletes older ones, recording when each request
    was sent and when it was acknowledged."""

    def __init__(self, regie, doomed):
        super().__init__(daemon=True)
        self.regie = regie
        self.doomed = list(doomed)
        self.stop = threading.Event()
        self.puts = []  # (name, body, sent, acked)
        self.deletes = []  # (name, sent, acked)
        self.errors = []

    def run(self):
        session = self.regie.session()
        i = 0
        while not self.stop.is_set():
            i += 1
            name = f"during-{i}.bin" if i % 3 else "hot.bin"
            body = os.urandom(12 * 1024 + (i * 997) % 40_000)
            sent = time.monotonic()
            r = self.regie.put(f"/dav/files/admin/{name}", body, session=session)
            if r.status_code not in (201, 204):
                self.errors.append((name, r.status_code))
            self.puts.append((name, body, sent, time.monotonic()))
            if self.doomed and i % 4 == 0:
                doomed = self.doomed.pop()
                sent = time.monotonic()
                r = self.regie.delete(f"/dav/files/admin/{doomed}", session=session)
                if r.status_code != 204:
                    self.errors.append((doomed, r.status_code))
                self.deletes.append((doomed, sent, time.monotonic()))
        session.close()


@pytest.mark.timeout(300)
def test_backup_while_writing_then_restore(regie_factory, tmp_path):
    src = regie_factory("src")
    before = put_files(src, [f"before-{i}.bin" for i in range(20)])
    doomed = put_files(src, [f"doomed-{i}.bin" for i in range(10)])
    writer = Writer(src, doomed)
    writer.start()
    time.sleep(1.0)
    out = tmp_path / "backup"
    started = time.monotonic()
    r = src.cli("backup", str(out))
    ended = time.monotonic()
    time.sleep(0.5)
    writer.stop.set()
    writer.join(timeout=60)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert not writer.errors, writer.errors
    m = re.search(r"^snapshot sequence: (\d+)$", r.stdout, re.M)
    assert m, r.stdout
    seq = int(m.group(1))
    assert seq >= len(before) + len(doomed)
    acked_during = [p for p in writer.puts if started < p[3] < ended]
    assert writer.puts and writer.puts[0][3] < started, "no write was acknowledged before"

    assert metric(src, "regie_backup_last_timestamp_seconds") >= time.time() - 120
    assert metric(src, "regie_backup_last_success") == 1
    assert metric(src, "regie_backup_last_snapshot_seq") == seq

    v = src.cli("backup", "--verify", str(out), data=False)
    assert v.returncode == 0, (v.stdout, v.stderr)
    assert f"snapshot sequence {seq}" in v.stdout

    dst = regie_factory("dst", start=False, admin_password=src.admin)
    assert not any(dst.data_dir.iterdir())
    res = dst.cli("restore", str(out))
    assert res.returncode == 0, (res.stdout, res.stderr)
    assert f"snapshot sequence {seq}" in res.stdout
    dst.start()

    def restored(name):
        g = dst.get(f"/dav/files/admin/{name}")
        assert g.status_code in (200, 404), (name, g.status_code)
        return g.content if g.status_code == 200 else None

    for name, body in before.items():
        assert restored(name) == body, name
    # Per name, the last version acknowledged before the backup started must be there, or a
    # later one sent before the backup ended; never a version sent after it, never a torn one.
    versions = {}
    for name, body, sent, acked in writer.puts:
        versions.setdefault(name, []).append((body, sent, acked))
    for name, history in versions.items():
        got = restored(name)
        allowed = [b for b, sent, _ in history if sent < ended]
        floor = [i for i, (_, _, acked) in enumerate(history) if acked < started]
        if floor:
            allowed_from = [b for b, sent, _ in history[floor[-1]:] if sent < ended]
            assert got in allowed_from, (name, "lost or older than an acknowledged write")
        elif got is not None:
            assert got in allowed, (name, "holds bytes sent after the backup ended")
    for name, body in doomed.items():
        dels = [d for d in writer.deletes if d[0] == name]
        got = restored(name)
        if dels and dels[0][2] < started:
            assert got is None, (name, "deleted before the backup, yet restored")
        elif dels and dels[0][1] < ended:
            assert got in (None, body), name
        else:
            assert got == body, (name, "not deleted before the backup ended, yet missing")
    print(f"backup took {ended - started:.2f} s with {len(acked_during)} writes acknowledged "
          f"meanwhile; snapshot sequence {seq}")

    dst.stop()
    f = dst.cli("fsck")
    assert f.returncode == 0, (f.stdout, f.stderr)


def test_restore_refuses_a_data_directory_in_use(regie, tmp_path):
    out = tmp_path / "b"
    assert regie.cli("backup", str(out)).returncode == 0
    res = regie.cli("restore", str(out))
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)


def test_verify_finds_a_damaged_backup(regie, tmp_path):
    bodies = put_files(regie, ["a.bin"])
    out = tmp_path / "b"
    assert regie.cli("backup", str(out)).returncode == 0
    blob = next(p for p in (out / "blobs").rglob("*") if p.is_file() and len(p.name) == 64)
    data = bytearray(blob.read_bytes())
    data[5] ^= 0xFF
    blob.write_bytes(bytes(data))
    v = regie.cli("backup", "--verify", str(out), data=False)
    assert v.returncode == 1, (v.stdout, v.stderr)
    assert "hash-mismatch" in v.stdout
    dst = Regie(tmp_path / "dst")
    res = dst.cli("restore", str(out))
    assert res.returncode == 1, (res.stdout, res.stderr)
    assert not (dst.data_dir / "regie.db").exists()
    assert bodies  # The source is untouched.
    assert regie.get("/dav/files/admin/a.bin").content == bodies["a.bin"]
