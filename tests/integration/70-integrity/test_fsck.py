"""`regie fsck`: a clean store is clean (exit 0); a lost blob is reported missing, an orphan is
reported and removed by --repair, a flipped byte is found by its hash (exit 1); it refuses a data
directory that a server holds (exit 3) and a directory that is not one (exit 2)."""
from integrity_util import blob_file, cli_report, flip_byte, kinds, put_files


def test_clean_store_is_clean(regie):
    put_files(regie, ["a.bin", "b.bin"])
    regie.stop()
    rc, report = cli_report(regie, "fsck")
    assert rc == 0, report
    assert report["clean"] and report["problems"] == 0
    assert report["checked"]["blobs"] >= 2
    text = regie.cli("fsck")
    assert text.returncode == 0 and "clean" in text.stdout


def test_deleted_blob_is_missing(regie):
    bodies = put_files(regie, ["keep.bin", "lost.bin"])
    regie.stop()
    path = blob_file(regie, bodies["lost.bin"])
    path.unlink()
    rc, report = cli_report(regie, "fsck")
    assert rc == 1
    assert kinds(report) == ["missing-blob"]
    assert path.name in report["findings"][0]["object"]
    assert "'lost.bin'" in report["findings"][0]["detail"]  # What the operator has lost.
    # Nothing can bring the content back: still a problem after --repair.
    rc, report = cli_report(regie, "fsck", "--repair")
    assert rc == 1 and report["unrepaired"] == 1


def test_orphan_is_removed_by_repair(regie):
    bodies = put_files(regie, ["a.bin"])
    regie.stop()
    # A blob file that no metadata references, where a crash between commit steps would leave it.
    import hashlib
    import os
    content = os.urandom(10_000)
    hexd = hashlib.sha256(content).hexdigest()
    orphan = regie.data_dir / "blobs" / "default" / hexd[:2] / hexd[2:4] / hexd
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(content)
    rc, report = cli_report(regie, "fsck")
    assert rc == 1 and kinds(report) == ["orphan-blob"], report
    assert orphan.exists()
    rc, report = cli_report(regie, "fsck", "--repair")
    assert rc == 0 and kinds(report) == ["orphan-blob+"], report
    assert not orphan.exists()
    assert blob_file(regie, bodies["a.bin"]).exists()
    assert cli_report(regie, "fsck")[0] == 0
    regie.start()
    assert regie.get("/dav/files/admin/a.bin").content == bodies["a.bin"]


def test_flipped_byte_fails_the_hash(regie):
    bodies = put_files(regie, ["a.bin", "b.bin"])
    regie.stop()
    flip_byte(blob_file(regie, bodies["b.bin"]))
    rc, report = cli_report(regie, "fsck")
    assert rc == 1 and kinds(report) == ["hash-mismatch"], report


def test_refuses_a_data_directory_in_use(regie):
    r = regie.cli("fsck")
    assert r.returncode == 3, (r.returncode, r.stdout, r.stderr)
    assert "in use" in r.stderr


def test_refuses_what_is_not_a_data_directory(tmp_path, regie_factory):
    r = regie_factory(start=False)
    res = r.cli("fsck", "--data", str(tmp_path / "nothing-here"), data=False)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert not (tmp_path / "nothing-here").exists()
