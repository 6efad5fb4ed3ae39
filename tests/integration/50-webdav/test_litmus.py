"""litmus (Debian's package), the WebDAV conformance suite, against the real server: every test
of its five suites passes and none is skipped (litmus skips tests after a failed prerequisite,
and all lock tests when class 2 is not advertised, so the counts are asserted), under both the
/dav/files/ prefix and the Nextcloud alias. litmus printed no warnings when this was written;
any warning now fails the test rather than going unnoticed."""
import re
import subprocess

import pytest

from regie_harness import clean_env, need_tool

# Tests per suite in litmus 0.13, as it counts them ("of N tests run").
EXPECTED = {"basic": 16, "copymove": 13, "props": 30, "locks": 41, "http": 4}
SUMMARY_RE = re.compile(r"<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("prefix", ["/dav/files/admin/", "/remote.php/dav/files/admin/"])
def test_litmus_passes_every_suite(regie, tmp_path, prefix):
    litmus = need_tool("litmus")
    run = subprocess.run([litmus, regie.base_url + prefix, "admin", regie.admin],
                         cwd=tmp_path, env=clean_env(), capture_output=True, text=True,
                         timeout=280)
    out = run.stdout + run.stderr
    summaries = {m.group(1): tuple(map(int, m.group(2, 3, 4))) for m in SUMMARY_RE.finditer(out)}
    assert summaries == {s: (n, n, 0) for s, n in EXPECTED.items()}, out
    assert "skipped" not in out, out
    assert "WARNING" not in out, out
    assert run.returncode == 0, out
