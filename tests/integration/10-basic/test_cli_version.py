"""`regie version` prints `regie X.Y.Z` and exits 0; an unknown command is a usage error (2)."""
import re


def test_version_prints_semver(regie_factory):
    r = regie_factory(start=False)
    out = r.cli("version", data=False)
    assert out.returncode == 0, out.stderr
    assert re.fullmatch(r"regie \d+\.\d+\.\d+\s*", out.stdout), repr(out.stdout)


def test_unknown_command_is_usage_error(regie_factory):
    r = regie_factory(start=False)
    out = r.cli("frobnicate", data=False)
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
