"""First start on an empty data dir: prints the admin password once, creates org `default` and
operator `admin`; with REGIE_ADMIN_PASSWORD set, nothing is printed and that password works."""
import signal

from regie_harness import ADMIN_PW_RE


def test_first_start_prints_admin_password_once(regie_factory):
    r = regie_factory(start=False, admin_password=None)
    r.start()
    m = r.wait_for_line(ADMIN_PW_RE, timeout=10)
    assert m, f"no 'admin password:' line in {r.current_lines()}"
    pw = m.group(1)
    r.passwords["admin"] = pw
    put = r.put("/dav/files/admin/first.txt", b"hello")
    assert put.status_code == 201, put.status_code

    orgs = r.cli_json("org", "list")
    assert [o["name"] for o in orgs].count("default") == 1, orgs
    users = {u["login"]: u for u in r.cli_json("user", "list")}
    assert users["admin"]["org"] == "default", users
    assert users["admin"]["role"] == "operator", users

    assert r.stop(signal.SIGTERM) == 0
    r.start()
    assert r.get("/dav/files/admin/first.txt").content == b"hello"
    assert not any(ADMIN_PW_RE.search(l) for l in r.current_lines()), \
        f"admin password printed again on restart: {r.current_lines()}"
    assert not any(pw in l for l in r.current_lines() + r.err_lines)


def test_env_admin_password_is_used_and_not_printed(regie):
    assert regie.put("/dav/files/admin/env.txt", b"x").status_code == 201
    assert not any(ADMIN_PW_RE.search(l) for l in regie.current_lines()), regie.current_lines()
    assert not any(regie.admin in l for l in regie.lines + regie.err_lines)
    assert regie.get("/dav/files/admin/env.txt", password="not-" + regie.admin).status_code == 401
