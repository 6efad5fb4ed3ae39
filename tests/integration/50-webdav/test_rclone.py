"""rclone (Debian's 1.60, webdav remote) copies a tree with nested folders, Unicode names, names
with #, % and spaces, empty files and a 200 MiB file; `rclone check` finds every byte equal;
then move, rename and delete round trips."""
import os
import subprocess

import pytest

from regie_harness import clean_env, need_tool


def rclone(regie, *args, timeout=240):
    exe = need_tool("rclone")
    obscured = subprocess.run([exe, "obscure", regie.admin], capture_output=True, text=True,
                              check=True, env=clean_env()).stdout.strip()
    env = clean_env({
        "RCLONE_CONFIG": "/dev/null",
        "RCLONE_CONFIG_REGIE_TYPE": "webdav",
        "RCLONE_CONFIG_REGIE_URL": regie.base_url + "/dav/files/admin",
        "RCLONE_CONFIG_REGIE_VENDOR": "other",
        "RCLONE_CONFIG_REGIE_USER": "admin",
        "RCLONE_CONFIG_REGIE_PASS": obscured,
    })
    run = subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=timeout)
    assert run.returncode == 0, (args, run.stdout, run.stderr)
    return run.stdout


def make_tree(root):
    files = {
        "readme.txt": b"hello\n",
        "empty.dat": b"",
        "Straße/İstanbul ı.txt": "ünïcödé".encode(),
        "Straße/한국어/🎭 play.txt": os.urandom(3000),
        "specials/#1 50% off & more.txt": b"specials",
        "specials/with space/ leading.txt": b"space",
        "a/b/c/d/deep.bin": os.urandom(70000),
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "empty-folder").mkdir()
    big = root / "video.bin"
    with open(big, "wb") as f:
        chunk = os.urandom(1 << 20)
        for i in range(200):
            f.write(chunk[i:] + chunk[:i])
    return files


@pytest.mark.timeout(600)
def test_rclone_copy_check_move_rename_delete(regie, tmp_path):
    src = tmp_path / "src"
    files = make_tree(src)
    rclone(regie, "copy", str(src), "regie:tree", "--create-empty-src-dirs")
    rclone(regie, "check", str(src), "regie:tree")
    listed = set(rclone(regie, "lsf", "-R", "regie:tree").split("\n")) - {""}
    assert {f for f in files} | {"video.bin", "empty-folder/"} <= listed
    back = tmp_path / "back"
    rclone(regie, "copy", "regie:tree", str(back))
    for rel, data in files.items():
        assert (back / rel).read_bytes() == data, rel
    assert (back / "video.bin").stat().st_size == 200 << 20
    # Server-side move of a folder, a rename of a file, then deletion of everything.
    rclone(regie, "moveto", "regie:tree/Straße", "regie:tree/moved/Straße")
    rclone(regie, "moveto", "regie:tree/readme.txt", "regie:tree/README renamed.txt")
    assert rclone(regie, "cat", "regie:tree/moved/Straße/İstanbul ı.txt") == "ünïcödé"
    listed = set(rclone(regie, "lsf", "-R", "regie:tree").split("\n"))
    assert "moved/Straße/한국어/🎭 play.txt" in listed and "README renamed.txt" in listed
    assert "Straße/" not in listed and "readme.txt" not in listed
    rclone(regie, "purge", "regie:tree")
    assert regie.request("PROPFIND", "/dav/files/admin/tree/",
                         headers={"Depth": "0"}).status_code == 404
