"""davfs2 (Debian's 1.6.1) mounts the user's files through FUSE; cp, mv, rm and ls work through
the mount and the server holds the result. Needs /dev/fuse and root (mount); under CI=true their
absence fails the test.

`buf_size 64`: davfs2 before 1.7.2 sends directory listings in buffers that Linux 6.16 and later
reject (readdir fails with EINVAL whatever the server; davfs2 issue #22 upstream). A bigger buffer
is the documented workaround."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

from regie_harness import clean_env, need_tool


def require_fuse():
    missing = []
    if not os.path.exists("/dev/fuse"):
        missing.append("/dev/fuse")
    if os.geteuid() != 0:
        missing.append("root (mount)")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"davfs2 needs {', '.join(missing)} (CI=true)")
        pytest.skip(f"davfs2 needs {', '.join(missing)}")


@pytest.mark.timeout(120)
def test_davfs2_mount_cp_mv_rm_ls(regie, tmp_path):
    need_tool("mount.davfs")
    require_fuse()
    url = regie.base_url + "/dav/files/admin/"
    # mount.davfs drops to its own user for the cache, which cannot enter pytest's private
    # tmp_path: the cache lives in a directory of its own under /tmp.
    cache = pathlib.Path(tempfile.mkdtemp(prefix="regie-davfs-"))
    cache.chmod(0o777)
    secrets = tmp_path / "secrets"
    secrets.write_text(f"{url} admin {regie.admin}\n")
    secrets.chmod(0o600)
    conf = tmp_path / "davfs2.conf"
    conf.write_text(f"secrets {secrets}\ncache_dir {cache}\nask_auth 0\nuse_locks 1\nbuf_size 64\n")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    assert regie.put("/dav/files/admin/existing.txt", b"on the server").status_code == 201
    mounted = subprocess.run(["mount", "-t", "davfs", "-o", f"conf={conf},uid=0", url, str(mnt)],
                             env=clean_env(), timeout=60, capture_output=True, text=True)
    assert mounted.returncode == 0, mounted.stderr
    try:
        assert "existing.txt" in os.listdir(mnt)
        assert (mnt / "existing.txt").read_bytes() == b"on the server"
        local = tmp_path / "local.bin"
        local.write_bytes(os.urandom(300_000))
        shutil.copy(local, mnt / "copied.bin")
        (mnt / "folder").mkdir()
        os.rename(mnt / "copied.bin", mnt / "folder" / "moved.bin")
        os.remove(mnt / "existing.txt")
        assert sorted(os.listdir(mnt / "folder")) == ["moved.bin"]
        assert "existing.txt" not in os.listdir(mnt)
    finally:
        # umount waits for mount.davfs to upload what is still cached.
        subprocess.run(["umount", str(mnt)], check=True, timeout=60, capture_output=True)
        shutil.rmtree(cache, ignore_errors=True)
    got = regie.get("/dav/files/admin/folder/moved.bin")
    assert (got.status_code, got.content) == (200, local.read_bytes())
    assert regie.get("/dav/files/admin/existing.txt").status_code == 404
    assert regie.get("/dav/files/admin/copied.bin").status_code == 404
