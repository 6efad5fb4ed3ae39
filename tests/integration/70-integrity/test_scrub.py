"""`regie scrub`: re-reads every blob; one flipped byte on disk is reported, the blob is moved to
DATA/quarantine (exit 1), fsck then reports the item's content missing; it runs beside a server;
a server stops serving a blob it held open once another process quarantined it; a schedule in
the configuration scrubs while `serve` runs, and /metrics shows the last scrub."""
import time

import pytest

from integrity_util import blob_file, cli_report, flip_byte, kinds, metric, put_files
from regie_harness import sha256_hex


def quarantined(regie):
    """The damaged blobs kept in DATA/quarantine (not its .epoch, which tells servers to look)."""
    q = regie.data_dir / "quarantine"
    return sorted(p for p in q.rglob("*") if p.is_file() and p.name != ".epoch") \
        if q.exists() else []


def test_flipped_byte_is_reported_and_quarantined(regie):
    bodies = put_files(regie, ["a.bin", "b.bin", "c.bin"])
    damaged = blob_file(regie, bodies["b.bin"])
    flip_byte(damaged)
    # Beside the running server: scrub takes no lock.
    rc, report = cli_report(regie, "scrub")
    assert rc == 1, report
    assert kinds(report) == ["hash-mismatch"]
    assert sha256_hex(bodies["b.bin"]) in report["findings"][0]["object"]
    assert report["checked"]["blobs"] >= 3
    assert not damaged.exists()
    q = quarantined(regie)
    assert len(q) == 1 and q[0].name.startswith(damaged.name)
    assert sha256_hex(q[0].read_bytes()) != damaged.name  # The damaged bytes, kept for study.
    # The healthy files still read back; the damaged one is no longer served as if intact.
    assert regie.get("/dav/files/admin/a.bin").content == bodies["a.bin"]
    assert regie.get("/dav/files/admin/b.bin").status_code >= 400
    assert metric(regie, "regie_scrub_last_damaged_blobs") == 1
    assert metric(regie, "regie_scrub_last_success") == 0
    # Scrubbing again finds nothing more to quarantine.
    assert cli_report(regie, "scrub")[0] == 0
    regie.stop()
    rc, report = cli_report(regie, "fsck")
    assert rc == 1 and kinds(report) == ["missing-blob"], report


def test_a_blob_the_server_holds_open_is_not_served_after_a_scrub_elsewhere(regie):
    """The server keeps recently read blob files open; a scrub in another process must still
    stop it from serving the damaged bytes it quarantined (within a second)."""
    bodies = put_files(regie, ["held.bin", "other.bin"])
    assert regie.get("/dav/files/admin/held.bin").content == bodies["held.bin"]  # Now cached.
    flip_byte(blob_file(regie, bodies["held.bin"]))
    rc, report = cli_report(regie, "scrub")
    assert rc == 1 and kinds(report) == ["hash-mismatch"], report
    time.sleep(1.2)
    assert regie.get("/dav/files/admin/held.bin").status_code >= 400
    assert regie.get("/dav/files/admin/other.bin").content == bodies["other.bin"]


@pytest.mark.timeout(90)
def test_scheduled_scrub_while_serving(regie_factory):
    r = regie_factory(config='[server]\nscrub_interval = "1s"\n')
    assert metric(r, "regie_scrub_last_timestamp_seconds") == 0
    bodies = put_files(r, ["a.bin", "b.bin"])
    flip_byte(blob_file(r, bodies["a.bin"]))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if metric(r, "regie_scrub_last_damaged_blobs") == 1:
            break
        time.sleep(0.2)
    else:
        pytest.fail("no scheduled scrub reported the damage within 30 s")
    assert metric(r, "regie_scrub_last_timestamp_seconds") >= time.time() - 60
    assert metric(r, "regie_scrub_last_success") == 0
    assert len(quarantined(r)) == 1
    # The next scheduled run finds the store intact again.
    deadline = time.monotonic() + 30
    while metric(r, "regie_scrub_last_success") != 1:
        assert time.monotonic() < deadline, "no clean scrub after the quarantine"
        time.sleep(0.2)
    assert metric(r, "regie_scrub_last_blobs") >= 1
