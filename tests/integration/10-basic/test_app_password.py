"""App passwords: `app-password add` prints one that works for Basic auth, `list` shows the label
(never the secret), `revoke` ends it while the main password keeps working."""
import re


def test_app_password_lifecycle(regie):
    regie.add_user("bob")
    out = regie.cli_ok("app-password", "add", "bob", "--label", "phone")
    m = re.search(r"^app password: (\S+)\s*$", out.stdout, re.M)
    assert m, out.stdout
    app_pw = m.group(1)
    assert app_pw != regie.passwords["bob"]

    p = regie.put("/dav/files/bob/from-phone.txt", b"hi", user="bob", password=app_pw)
    assert p.status_code == 201, p.status_code

    listing = regie.cli_ok("app-password", "list", "bob")
    assert "phone" in listing.stdout
    assert app_pw not in listing.stdout

    regie.cli_ok("app-password", "revoke", "bob", "phone")
    assert regie.get("/dav/files/bob/from-phone.txt", user="bob",
                     password=app_pw).status_code == 401
    assert regie.get("/dav/files/bob/from-phone.txt", user="bob").status_code == 200
    assert "phone" not in regie.cli_ok("app-password", "list", "bob").stdout

    again = regie.cli("app-password", "revoke", "bob", "phone")
    assert again.returncode == 1, (again.returncode, again.stderr)
    nouser = regie.cli("app-password", "add", "nosuchuser", "--label", "x")
    assert nouser.returncode == 1, (nouser.returncode, nouser.stderr)
