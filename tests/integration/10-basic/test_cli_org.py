"""`regie org ...` beside a running server: add with domains and quota, list as JSON, set-quota,
disable, delete; duplicates and unknown orgs exit 1, usage errors exit 2."""


def orgs(regie):
    return {o["name"]: o for o in regie.cli_json("org", "list")}


def test_org_lifecycle(regie):
    regie.cli_ok("org", "add", "acme", "--domain", "acme.example", "--domain", "acme.test",
                 "--quota", "10MiB")
    acme = orgs(regie)["acme"]
    assert sorted(acme["domains"]) == ["acme.example", "acme.test"], acme
    assert acme["quota"] == 10 * 1024 * 1024, acme
    assert acme["disabled"] is False, acme
    assert "default" in orgs(regie)

    plain = regie.cli_ok("org", "list")
    assert "acme" in plain.stdout and "default" in plain.stdout

    dup = regie.cli("org", "add", "acme")
    assert dup.returncode == 1, (dup.returncode, dup.stderr)

    regie.cli_ok("org", "set-quota", "acme", "20MiB")
    assert orgs(regie)["acme"]["quota"] == 20 * 1024 * 1024

    regie.cli_ok("org", "disable", "acme")
    assert orgs(regie)["acme"]["disabled"] is True

    regie.cli_ok("org", "delete", "acme")
    assert "acme" not in orgs(regie)
    assert regie.running(), "the server must keep running while orgs change"
    assert regie.get("/healthz", user=None).status_code == 200


def test_org_errors(regie):
    cases = {
        ("org", "delete", "nosuchorg"): 1,
        ("org", "disable", "nosuchorg"): 1,
        ("org", "set-quota", "nosuchorg", "1MiB"): 1,
        ("org", "add"): 2,                                  # name missing
        ("org", "set-quota", "default", "lots"): 2,         # not a size: usage error
        ("org", "add", "x", "--bogus-flag"): 2,
    }
    wrong = []
    for args, want in cases.items():
        r = regie.cli(*args)
        if r.returncode != want:
            wrong.append(f"regie {' '.join(args)}: exit {r.returncode}, want {want} "
                         f"({r.stderr.strip()})")
    assert not wrong, "\n".join(wrong)
    assert "x" not in orgs(regie)
