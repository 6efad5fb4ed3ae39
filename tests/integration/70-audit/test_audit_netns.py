"""The autonomy audit against a fixture Internet, inside a network namespace with only loopback.

This test re-runs audit_scenarios.py under `unshare --net` (after `ip link set lo up`), so that no
audit test can send a packet beyond this machine even by mistake; the scenarios refuse to run
anywhere else. Needs root (for the namespace), nsd, ldns-signzone/ldns-keygen and drill.
"""
import os
import pathlib
import subprocess
import sys

import pytest

from regie_harness import clean_env, need_tool, regie_bin

HERE = pathlib.Path(__file__).resolve().parent


@pytest.mark.timeout(400)
def test_audit_scenarios_in_a_loopback_only_network_namespace():
    for tool in ("unshare", "ip", "nsd", "nsd-checkconf", "ldns-keygen", "ldns-signzone", "drill",
                 "openssl"):
        need_tool(tool)
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("the audit tests need root for their network namespace (CI=true)")
        pytest.skip("the audit tests need root for their network namespace")
    script = 'ip link set lo up && exec "$0" -m pytest -q -p no:cacheprovider "$1"'
    proc = subprocess.run(
        ["unshare", "--net", "--", "sh", "-c", script, sys.executable,
         str(HERE / "audit_scenarios.py")],
        cwd=HERE.parent, env=clean_env({"REGIE_AUDIT_NETNS": "1", "REGIE_BIN": regie_bin()}),
        capture_output=True, text=True, timeout=380)
    print(proc.stdout[-20000:])
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr[-5000:]
    assert " passed" in proc.stdout and " failed" not in proc.stdout
