"""cadaver (Debian's package), a scripted interactive session: ls, put, get, mkcol, move, copy,
lock, unlock, propset, propget; each step's outcome as cadaver reports it, and the files as the
server then holds them."""
import subprocess

from regie_harness import clean_env, need_tool

SCRIPT = """mkcol docs
put local.txt docs/a.txt
ls docs
get docs/a.txt got.txt
copy docs/a.txt docs/b.txt
move docs/b.txt docs/c.txt
lock docs/c.txt
propset docs/c.txt color red
propget docs/c.txt color
unlock docs/c.txt
ls docs
quit
"""


def test_cadaver_session(regie, tmp_path):
    exe = need_tool("cadaver")
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1\nlogin admin\npassword {regie.admin}\n")
    netrc.chmod(0o600)
    (tmp_path / "local.txt").write_bytes(b"hello from cadaver\n")
    run = subprocess.run([exe, regie.base_url + "/dav/files/admin/"], input=SCRIPT, cwd=tmp_path,
                         env=clean_env({"HOME": str(tmp_path)}), capture_output=True, text=True,
                         timeout=60)
    out = run.stdout + run.stderr
    for step in ("Creating `docs': succeeded", "a.txt': [.. succeeded",
                 "Downloading `/dav/files/admin/docs/a.txt' to got.txt: [.. succeeded",
                 "docs/b.txt':  succeeded", "docs/c.txt':  succeeded",
                 "Locking `docs/c.txt': succeeded", "Setting property on `docs/c.txt': succeeded",
                 "Value of color is: red", "Unlocking `docs/c.txt': succeeded"):
        assert step in out, (step, out)
    assert "failed" not in out, out
    assert (tmp_path / "got.txt").read_bytes() == b"hello from cadaver\n"
    assert regie.get("/dav/files/admin/docs/c.txt").content == b"hello from cadaver\n"
    assert regie.get("/dav/files/admin/docs/b.txt").status_code == 404
    # Unlocked: a plain PUT without a token works again.
    assert regie.put("/dav/files/admin/docs/c.txt", b"after").status_code == 204
