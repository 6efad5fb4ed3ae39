"""A verified password is cached, but a password change, a disabled account or a revoked app
password (each made by a separate `regie` process) takes effect on the very next request."""
import concurrent.futures
import re
import threading


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


def password_checks(regie):
    text = regie.get("/metrics", user=None).text
    return int(float(re.search(r"^regie_password_checks_total (\S+)$", text, re.M).group(1)))


def test_connections_opened_at_once_share_one_password_check(regie):
    """A sync client opens many connections at once, each with the same password: the server
    runs one Argon2id check for all of them, not one each (CPU and 19 MiB of memory per check)."""
    regie.add_user("carol")
    before = password_checks(regie)
    sessions = [regie.session() for _ in range(12)]
    start = threading.Barrier(len(sessions))

    def first_request(session):
        start.wait()
        return regie.request("PROPFIND", "/dav/files/carol/", user="carol", session=session,
                             headers={"Depth": "0"}).status_code

    with concurrent.futures.ThreadPoolExecutor(len(sessions)) as pool:
        statuses = list(pool.map(first_request, sessions))
    assert statuses == [207] * len(sessions)
    assert password_checks(regie) - before == 1
    for s in sessions:
        s.close()
