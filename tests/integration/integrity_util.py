"""Helpers of the integrity scenarios: blob files to damage, CLI reports to read, metrics."""
import json
import os
import re

from regie_harness import sha256_hex

# Above the default inline_blob_bytes (8KiB), so each file is a blob file on disk.
BLOB_SIZE = 24 * 1024


def put_files(regie, names, user="admin"):
    """PUTs a fresh random body under each name; returns {name: body}."""
    bodies = {}
    for name in names:
        body = os.urandom(BLOB_SIZE)
        r = regie.put(f"/dav/files/{user}/{name}", body, user=user)
        assert r.status_code == 201, (name, r.status_code, r.text)
        bodies[name] = body
    return bodies


def blob_file(regie, body):
    paths = regie.blob_paths(sha256_hex(body))
    assert len(paths) == 1, paths
    return paths[0]


def flip_byte(path, offset=100):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x01]))


def cli_report(regie, *args):
    """Runs a CLI command with --json; returns (exit code, parsed report)."""
    r = regie.cli(*args, "--json")
    try:
        return r.returncode, json.loads(r.stdout)
    except ValueError:
        raise AssertionError(f"regie {' '.join(args)} --json -> {r.returncode}: "
                             f"{r.stdout!r} {r.stderr!r}")


def kinds(report):
    return sorted(f["kind"] + ("+" if f["repaired"] else "") for f in report["findings"])


def metric(regie, name):
    text = regie.get("/metrics", user=None).text
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    assert m, f"{name} missing from /metrics"
    return float(m.group(1))
