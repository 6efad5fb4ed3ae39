"""A second `regie serve` on a data directory in use exits 3 and leaves the first one serving."""
import subprocess

import pytest


def test_second_serve_exits_3(regie):
    assert regie.put("/dav/files/admin/a", b"one").status_code == 201
    try:
        second = subprocess.run(regie.serve_cmd(), capture_output=True, text=True, timeout=30,
                                cwd=regie.root, env=regie.env(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("second serve on a locked data dir kept running")
    assert second.returncode == 3, (second.returncode, second.stdout, second.stderr)
    assert "listening on" not in second.stdout
    assert regie.running()
    assert regie.get("/dav/files/admin/a").content == b"one"
