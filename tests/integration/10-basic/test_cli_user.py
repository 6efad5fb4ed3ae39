"""`regie user ...` beside a running server: add (printed or stdin password), list as JSON with
--org filter, passwd, set-quota, disable, delete; errors exit 1 (problem) or 2 (usage)."""
import re


def users(regie, *extra):
    return {u["login"]: u for u in regie.cli_json("user", "list", *extra)}


def test_user_lifecycle(regie):
    out = regie.cli_ok("user", "add", "bob", "--org", "default", "--role", "member",
                       "--email", "bob@example.org")
    m = re.search(r"^password: (\S+)\s*$", out.stdout, re.M)
    assert m, out.stdout
    regie.passwords["bob"] = m.group(1)
    assert regie.put("/dav/files/bob/a.txt", b"bob", user="bob").status_code == 201

    bob = users(regie)["bob"]
    assert (bob["org"], bob["role"], bob["email"], bob["disabled"]) == \
        ("default", "member", "bob@example.org", False), bob
    assert "quota" in bob

    regie.cli_ok("org", "add", "other")
    out = regie.cli_ok("user", "add", "carol", "--org", "other", "--role", "org-admin",
                       "--quota", "2MiB", "--password-stdin", input="Carol-pw-1\n")
    assert "Carol-pw-1" not in out.stdout
    assert users(regie)["carol"]["quota"] == 2 * 1024 * 1024
    assert set(users(regie, "--org", "other")) == {"carol"}
    assert {"bob", "admin"} <= set(users(regie, "--org", "default"))
    assert "carol" not in users(regie, "--org", "default")
    assert users(regie)["carol"]["role"] == "org-admin"

    out = regie.cli_ok("user", "passwd", "bob")
    m = re.search(r"^password: (\S+)\s*$", out.stdout, re.M)
    assert m, out.stdout
    assert regie.get("/dav/files/bob/a.txt", user="bob").status_code == 401
    assert regie.get("/dav/files/bob/a.txt", user="bob", password=m.group(1)).status_code == 200
    regie.passwords["bob"] = m.group(1)

    regie.cli_ok("user", "set-quota", "bob", "5MiB")
    assert users(regie)["bob"]["quota"] == 5 * 1024 * 1024

    regie.cli_ok("user", "disable", "bob")
    assert users(regie)["bob"]["disabled"] is True
    assert regie.get("/dav/files/bob/a.txt", user="bob").status_code == 401

    regie.cli_ok("user", "delete", "bob")
    assert "bob" not in users(regie)
    assert regie.get("/dav/files/bob/a.txt", user="bob").status_code == 401


def test_user_errors(regie):
    regie.add_user("dave")
    cases = {
        ("user", "add", "dave", "--org", "default"): 1,          # duplicate
        ("user", "add", "erin", "--org", "nosuchorg"): 1,        # unknown org
        ("user", "delete", "nosuchuser"): 1,
        ("user", "disable", "nosuchuser"): 1,
        ("user", "set-quota", "nosuchuser", "1MiB"): 1,
        ("user", "add", "frank"): 2,                             # --org missing
        ("user", "add", "gina", "--org", "default", "--role", "emperor"): 2,
        ("user", "set-quota", "dave", "lots"): 2,
    }
    wrong = []
    for args, want in cases.items():
        r = regie.cli(*args)
        if r.returncode != want:
            wrong.append(f"regie {' '.join(args)}: exit {r.returncode}, want {want} "
                         f"({r.stderr.strip()})")
    r = regie.cli("user", "passwd", "nosuchuser", "--password-stdin", input="x-Password-1\n")
    if r.returncode != 1:
        wrong.append(f"user passwd nosuchuser: exit {r.returncode}, want 1")
    assert not wrong, "\n".join(wrong)
    assert not {"erin", "frank", "gina"} & set(users(regie))
