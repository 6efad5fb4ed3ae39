"""A verified password is cached, but a password change, a disabled account or a revoked app
password (each made by a separate `regie` process) takes effect on the very next request."""
import re


def test_password_change_invalidates_cache(regie):
    p1 = regie.add_user("bob")
    path = "/dav/files/bob/c.txt"
    assert regie.put(path, b"c", user="bob").status_code == 201
    assert regie.get(path, user="bob").status_code == 200
    p2 = "Second-" + p1
    regie.cli_ok("user", "passwd", "bob", "--password-stdin", input=p2 + "\n")
    assert regie.get(path, user="bob", password=p1).status_code == 401
    assert regie.get(path, user="bob", password=p2).status_code == 200
    fresh = regie.session()
    assert regie.get(path, user="bob", password=p1, session=fresh).status_code == 401


def test_disable_invalidates_cache(regie):
    regie.add_user("bob")
    path = "/dav/files/bob/d.txt"
    assert regie.put(path, b"d", user="bob").status_code == 201
    assert regie.get(path, user="bob").status_code == 200
    regie.cli_ok("user", "disable", "bob")
    assert regie.get(path, user="bob").status_code == 401
    assert regie.put(path, b"after", user="bob").status_code == 401


def test_app_password_revoke_invalidates_cache(regie):
    regie.add_user("bob")
    out = regie.cli_ok("app-password", "add", "bob", "--label", "laptop")
    app_pw = re.search(r"^app password: (\S+)", out.stdout, re.M).group(1)
    path = "/dav/files/bob/r.txt"
    assert regie.put(path, b"r", user="bob", password=app_pw).status_code == 201
    assert regie.get(path, user="bob", password=app_pw).status_code == 200
    regie.cli_ok("app-password", "revoke", "bob", "laptop")
    assert regie.get(path, user="bob", password=app_pw).status_code == 401
    assert regie.get(path, user="bob").status_code == 200
