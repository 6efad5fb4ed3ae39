"""GET <folder>/?download=zip streams the folder as a ZIP: stored entries, UTF-8 names (flag bit 11),
empty folders kept, bytes exact, valid for Python's zipfile and Info-ZIP's unzip; owner only; a
missing blob cuts the download off instead of ending a broken archive; memory stays bounded."""
import hashlib
import io
import os
import shutil
import subprocess
import time
import urllib.parse
import zipfile

import pytest
import requests

BASE = "/dav/files/admin"
UTF8_FLAG = 0x800


def enc(name):
    return urllib.parse.quote(name, safe="")


def put_tree(regie, tree):
    """tree: {"a/": None (a folder), "a/b.txt": bytes}; parents first."""
    for path, data in tree.items():
        url = BASE + "/" + "/".join(enc(p) for p in path.rstrip("/").split("/"))
        if data is None:
            assert regie.request("MKCOL", url + "/").status_code == 201, path
        else:
            assert regie.put(url, data).status_code == 201, path


TREE = {
    "docs/": None,
    "docs/café #1.txt": b"hello",
    "docs/empty/": None,
    "docs/sub dir/": None,
    "docs/sub dir/big.bin": os.urandom(100_000),
    "docs/sub dir/small.txt": b"small",
    "docs/sub dir/deeper/": None,
    "docs/sub dir/deeper/ünï 名前.txt": os.urandom(9_000),  # Just over the inline limit.
    "docs/nothing.txt": b"",
}


def download(regie, path, **kw):
    r = regie.get(path, **kw)
    assert r.status_code == 200, (r.status_code, r.text[:200])
    return r


def check_archive(data, tree):
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None  # Every CRC checks out.
    assert sorted(z.namelist()) == sorted(tree)
    for info in z.infolist():
        assert info.compress_type == zipfile.ZIP_STORED, info.filename
        if not info.filename.isascii():
            assert info.flag_bits & UTF8_FLAG, info.filename
        expected = tree[info.filename]
        if expected is None:
            assert info.is_dir() and info.file_size == 0
        else:
            assert z.read(info) == expected, info.filename
    return z


def test_folder_downloads_as_a_valid_stored_utf8_zip(regie, tmp_path):
    put_tree(regie, TREE)
    r = download(regie, f"{BASE}/docs/?download=zip")
    assert r.headers["Content-Type"] == "application/zip"
    assert r.headers["Content-Disposition"] == (
        "attachment; filename=\"docs.zip\"; filename*=UTF-8''docs.zip")
    assert r.headers.get("Transfer-Encoding") == "chunked"
    check_archive(r.content, TREE)
    if shutil.which("unzip"):
        archive = tmp_path / "docs.zip"
        archive.write_bytes(r.content)
        tested = subprocess.run(["unzip", "-t", str(archive)], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stdout + tested.stderr
        assert "No errors detected" in tested.stdout
    head = regie.head(f"{BASE}/docs/?download=zip")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == "application/zip"
    # The Nextcloud alias serves the same archive.
    alias = download(regie, f"/remote.php{BASE}/docs/?download=zip")
    assert sorted(zipfile.ZipFile(io.BytesIO(alias.content)).namelist()) == sorted(TREE)


def test_subfolder_and_root_name_their_archive(regie):
    put_tree(regie, TREE)
    sub = download(regie, f"{BASE}/docs/{enc('sub dir')}/?download=zip")
    assert 'filename="sub dir.zip"' in sub.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(sub.content)).namelist()
    assert names[0] == "sub dir/" and "sub dir/deeper/ünï 名前.txt" in names
    root = download(regie, f"{BASE}/?download=zip")
    assert 'filename="admin.zip"' in root.headers["Content-Disposition"]
    assert "admin/docs/empty/" in zipfile.ZipFile(io.BytesIO(root.content)).namelist()


def test_utf8_folder_name_in_content_disposition(regie):
    name = 'Équipe "Q1"'
    put_tree(regie, {name + "/": None})
    r = download(regie, f"{BASE}/{enc(name)}/?download=zip")
    assert r.headers["Content-Disposition"] == (
        "attachment; filename=\"_quipe _Q1_.zip\"; filename*=UTF-8''%C3%89quipe%20%22Q1%22.zip")


def test_file_missing_and_foreign_targets_are_refused(regie):
    put_tree(regie, TREE)
    r = regie.get(f"{BASE}/docs/nothing.txt?download=zip")
    assert r.status_code == 400
    assert regie.get(f"{BASE}/nowhere/?download=zip").status_code == 404
    regie.add_user("bob")
    r = regie.get(f"{BASE}/docs/?download=zip", user="bob")
    assert r.status_code == 404
    assert b"PK" not in r.content
    # Without the parameter a folder GET is still the plain text hint.
    assert regie.get(f"{BASE}/docs/").headers["Content-Type"].startswith("text/plain")


def download_zip(regie, folder):
    """Streams FOLDER as a zip: (the bytes, seconds taken, VmRSS before and after in kB)."""
    before = regie.proc_status("VmRSS")
    started = time.monotonic()
    got = io.BytesIO()
    with regie.get(f"{BASE}/{folder}?download=zip", stream=True) as r:
        assert r.status_code == 200
        for piece in r.iter_content(1 << 16):
            got.write(piece)
    return got, time.monotonic() - started, before, regie.proc_status("VmRSS")


def test_damaged_blob_cuts_the_download_off(regie):
    lost = os.urandom(200_000)
    put_tree(regie, {"broken/": None, "broken/a.txt": b"a", "broken/lost.bin": lost})
    [blob] = regie.blob_paths(hashlib.sha256(lost).hexdigest())
    # Truncated rather than removed: the server may hold the blob open, and a short blob is the
    # case a ZIP cannot report once its entry header promised the size.
    os.truncate(blob, 100_000)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        regie.get(f"{BASE}/broken/?download=zip").content
    deadline = time.monotonic() + 10
    while not any("zip download of admin/broken aborted" in line for line in regie.err_lines):
        assert time.monotonic() < deadline, regie.err_lines[-5:]  # The log (stderr) says why.
        time.sleep(0.1)


@pytest.mark.timeout(300)
def test_20_mib_file_downloads_in_bounded_memory(regie):
    size = 20 << 20
    chunk = os.urandom(1 << 20)
    put_tree(regie, {"video/": None})
    r = regie.put(f"{BASE}/video/clip.bin", data=(chunk for _ in range(size // len(chunk))))
    assert r.status_code == 201
    got, elapsed, before, after = download_zip(regie, "video/")
    print(f"20 MiB zip: {got.tell()} bytes in {elapsed:.2f} s; VmRSS {before} -> {after} kB, "
          f"VmHWM {regie.proc_status('VmHWM')} kB")
    z = zipfile.ZipFile(got)
    assert z.testzip() is None
    assert z.getinfo("video/clip.bin").file_size == size
    assert z.read("video/clip.bin") == chunk * (size // len(chunk))
    # The archive is 20 MiB; the server may not hold it (a few 64 KiB buffers per download).
    assert after - before < 8 * 1024, (before, after)


@pytest.mark.timeout(300)
def test_1000_files_of_20_kib_download_in_bounded_memory(regie):
    put_tree(regie, {"many/": None})
    filler = os.urandom(20 * 1024)
    session = regie.session()
    for i in range(1000):  # Each file distinct (no shared blob) and above the inline limit.
        body = f"{i:04}".encode() + filler[4:]
        r = regie.put(f"{BASE}/many/file-{i:04}.bin", body, session=session)
        assert r.status_code == 201
    got, elapsed, before, after = download_zip(regie, "many/")
    print(f"1,000 x 20 KiB zip: {got.tell()} bytes in {elapsed:.2f} s; VmRSS {before} -> "
          f"{after} kB")
    z = zipfile.ZipFile(got)
    assert z.testzip() is None
    assert len(z.namelist()) == 1001
    assert z.read("many/file-0999.bin") == b"0999" + filler[4:]
    assert after - before < 8 * 1024, (before, after)


# A 4 GiB file needs about 8 GiB of disk and minutes: collected only when asked for
# (REGIE_TEST_HUGE=1); the unit tests prove ZIP64 records with 65,536 entries.
if os.environ.get("REGIE_TEST_HUGE"):

    @pytest.mark.timeout(900)
    def test_file_over_4_gib_gets_zip64(regie, tmp_path):
        piece = os.urandom(1 << 20)
        count = 4 * 1024 + 1  # 4 GiB + 1 MiB: past what a classic entry can say.
        put_tree(regie, {"huge/": None})
        r = regie.put(f"{BASE}/huge/big.bin", data=(piece for _ in range(count)), timeout=600)
        assert r.status_code == 201
        archive = tmp_path / "huge.zip"
        before = regie.proc_status("VmRSS")
        with regie.get(f"{BASE}/huge/?download=zip", stream=True, timeout=600) as r, \
                open(archive, "wb") as out:
            assert r.status_code == 200
            for chunk in r.iter_content(1 << 20):
                out.write(chunk)
        print(f"4 GiB zip: VmRSS {before} -> {regie.proc_status('VmRSS')} kB")
        with zipfile.ZipFile(archive) as z:
            info = z.getinfo("huge/big.bin")
            assert info.file_size == count << 20
            digest = hashlib.sha256()
            with z.open(info) as member:
                for chunk in iter(lambda: member.read(1 << 20), b""):
                    digest.update(chunk)
            expected = hashlib.sha256()
            for _ in range(count):
                expected.update(piece)
            assert digest.hexdigest() == expected.hexdigest()
        if shutil.which("unzip"):
            tested = subprocess.run(["unzip", "-t", str(archive)], capture_output=True, text=True)
            assert tested.returncode == 0, tested.stdout + tested.stderr


def test_a_folder_whose_index_is_over_the_limit_is_refused_before_any_byte(regie_factory):
    regie = regie_factory(env={"REGIE_DAV_MAX_ZIP_INDEX_BYTES": "2KiB"})
    put_tree(regie, {"many/": None})
    for i in range(40):  # About 40 × 80 bytes of index: over 2 KiB.
        assert regie.put(f"{BASE}/many/a-rather-long-file-name-{i:03}.txt",
                         data=b"x").status_code == 201
    r = regie.get(f"{BASE}/many/?download=zip")
    assert r.status_code == 413
    assert b"PK" not in r.content
    put_tree(regie, {"few/": None})
    assert regie.put(f"{BASE}/few/one.txt", data=b"1").status_code == 201
    assert regie.get(f"{BASE}/few/?download=zip").status_code == 200
