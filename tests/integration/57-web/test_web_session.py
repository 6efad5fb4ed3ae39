"""Signing in to the web workplace: the session cookie, its lifetime on the server, CSRF on every
change it authenticates (WebDAV included), and 401s that never make a browser show its own
password dialog (docs/api.md)."""
import time

import pytest
import requests

from web_util import Browser, signed_in


def test_sign_in_sets_an_http_only_session_cookie_and_answers_the_session(regie):
    regie.add_user("mila", password="Mila-pw-123", email="mila@example.org")
    browser = Browser(regie)
    r = browser.sign_in("mila")
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("regie_session=")
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie  # Plain HTTP on loopback: a Secure cookie would never return.
    body = r.json()
    assert body["user"] == "mila" and body["org"] == "default" and body["role"] == "member"
    assert body["email"] == "mila@example.org"
    assert len(body["csrf"]) >= 20
    again = browser.get("/api/v1/session")
    assert again.status_code == 200 and again.json()["csrf"] == body["csrf"]
    assert r.headers["Cache-Control"] == "no-store"


def test_wrong_password_and_app_passwords_do_not_sign_in(regie):
    regie.add_user("mila", password="Mila-pw-123")
    app = regie.cli_ok("app-password", "add", "mila", "--label", "phone").stdout.strip().split()[-1]
    browser = Browser(regie)
    wrong = browser.sign_in("mila", "not-the-password")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "unauthenticated"
    assert "WWW-Authenticate" not in wrong.headers
    assert "Set-Cookie" not in wrong.headers
    # A device's app password opens WebDAV, not the web workplace.
    assert regie.get("/dav/files/mila/", user="mila", password=app).status_code in (200, 207)
    assert browser.sign_in("mila", app).status_code == 401
    assert browser.get("/api/v1/session").status_code == 401


def test_the_cookie_authenticates_dav_and_every_change_needs_the_csrf_token(regie):
    regie.add_user("mila", password="Mila-pw-123")
    browser = signed_in(regie, "mila")
    listing = browser.request("PROPFIND", "/dav/files/mila/", csrf=False,
                              headers={"Depth": "1"})
    assert listing.status_code == 207
    refused = browser.request("PUT", "/dav/files/mila/a.txt", csrf=False, data=b"hello")
    assert refused.status_code == 403
    assert refused.json() == {"error": "csrf", "detail": "missing or wrong X-CSRF-Token"}
    forged = browser.request("PUT", "/dav/files/mila/a.txt", csrf=False, data=b"hello",
                             headers={"X-CSRF-Token": "x" * len(browser.csrf)})
    assert forged.status_code == 403
    assert regie.get("/dav/files/mila/a.txt", user="mila").status_code == 404  # Nothing stored.
    for method, path in (("MKCOL", "/dav/files/mila/f"), ("DELETE", "/dav/files/mila/"),
                         ("PROPPATCH", "/dav/files/mila/"),
                         ("PUT", "/dav/calendars/mila/personal/e.ics"),
                         ("POST", "/api/v1/app-passwords")):
        assert browser.request(method, path, csrf=False).status_code == 403, method
    stored = browser.request("PUT", "/dav/files/mila/a.txt", data=b"hello")
    assert stored.status_code == 201
    assert browser.get("/dav/files/mila/a.txt").content == b"hello"
    # Scripts and DAV clients with Basic credentials need no token, whatever cookies they carry.
    assert regie.put("/dav/files/mila/b.txt", data=b"x", user="mila").status_code == 201


def test_a_401_challenges_basic_only_when_no_web_app_asked(regie):
    plain = requests.get(regie.base_url + "/dav/files/admin/", timeout=10)
    assert plain.status_code == 401
    assert plain.headers["WWW-Authenticate"].startswith("Basic")
    scripted = requests.get(regie.base_url + "/dav/files/admin/", timeout=10,
                            headers={"X-Requested-With": "XMLHttpRequest"})
    assert scripted.status_code == 401 and "WWW-Authenticate" not in scripted.headers
    stale = requests.get(regie.base_url + "/dav/files/admin/", timeout=10,
                         cookies={"regie_session": "no-such-session"})
    assert stale.status_code == 401 and "WWW-Authenticate" not in stale.headers
    api = requests.get(regie.base_url + "/api/v1/app-passwords", timeout=10,
                       headers={"X-Requested-With": "XMLHttpRequest"})
    assert api.status_code == 401 and api.json()["error"] == "unauthenticated"


def test_sign_out_ends_the_session_on_the_server(regie):
    browser = signed_in(regie, "admin")
    cookie = browser.cookie()
    assert browser.request("DELETE", "/api/v1/session", csrf=False).status_code == 403
    out = browser.request("DELETE", "/api/v1/session")
    assert out.status_code == 204
    assert "Max-Age=0" in out.headers["Set-Cookie"]
    replay = requests.get(regie.base_url + "/api/v1/session", cookies={"regie_session": cookie},
                          timeout=10)
    assert replay.status_code == 401
    assert requests.request("PROPFIND", regie.base_url + "/dav/files/admin/", timeout=10,
                            cookies={"regie_session": cookie}).status_code == 401


@pytest.mark.timeout(60)
def test_an_idle_session_ends_on_the_server(regie_factory):
    regie = regie_factory(env={"REGIE_SESSION_IDLE_TIMEOUT": "2s"})
    browser = signed_in(regie, "admin")
    assert browser.get("/api/v1/session").status_code == 200
    time.sleep(3.2)
    assert browser.get("/api/v1/session").status_code == 401
    assert browser.request("PROPFIND", "/dav/files/admin/").status_code == 401


@pytest.mark.timeout(60)
def test_a_session_in_use_still_ends_at_its_absolute_lifetime(regie_factory):
    regie = regie_factory(env={"REGIE_SESSION_IDLE_TIMEOUT": "2s",
                               "REGIE_SESSION_MAX_LIFETIME": "4s"})
    browser = signed_in(regie, "admin")
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:  # In use, so never idle for 2 s.
        assert browser.get("/api/v1/session").status_code == 200
        time.sleep(0.5)
    time.sleep(1.5)
    assert browser.get("/api/v1/session").status_code == 401


def test_changing_the_password_keeps_this_session_and_ends_the_others(regie):
    regie.add_user("mila", password="Mila-pw-123")
    here = signed_in(regie, "mila")
    elsewhere = signed_in(regie, "mila")
    wrong = here.post("/api/v1/password", json={"current": "nope-nope", "new": "Mila-new-456"})
    assert wrong.status_code == 403 and wrong.json()["error"] == "forbidden"
    short = here.post("/api/v1/password", json={"current": "Mila-pw-123", "new": "short"})
    assert short.status_code == 400
    assert here.post("/api/v1/password", json={"current": "Mila-pw-123"}).status_code == 400
    done = here.post("/api/v1/password", json={"current": "Mila-pw-123", "new": "Mila-new-456"})
    assert done.status_code == 204
    assert here.get("/api/v1/session").status_code == 200
    assert elsewhere.get("/api/v1/session").status_code == 401
    assert Browser(regie).sign_in("mila", "Mila-pw-123").status_code == 401
    assert Browser(regie).sign_in("mila", "Mila-new-456").status_code == 200
    assert regie.get("/dav/files/mila/", user="mila", password="Mila-new-456").status_code != 401


def test_a_password_reset_or_disable_on_the_cli_ends_sessions(regie):
    regie.add_user("mila", password="Mila-pw-123")
    regie.add_user("noor", password="Noor-pw-123")
    mila = signed_in(regie, "mila")
    noor = signed_in(regie, "noor")
    regie.cli_ok("user", "passwd", "mila", "--password-stdin", input="Mila-reset-789\n")
    regie.cli_ok("user", "disable", "noor")
    assert mila.get("/api/v1/session").status_code == 401
    assert noor.get("/api/v1/session").status_code == 401
    assert Browser(regie).sign_in("noor").status_code == 401


def test_app_passwords_are_made_listed_and_revoked_through_the_api(regie):
    regie.add_user("mila", password="Mila-pw-123")
    browser = signed_in(regie, "mila")
    made = browser.post("/api/v1/app-passwords", json={"label": "phone"})
    assert made.status_code == 201
    password = made.json()["password"]
    assert made.json()["label"] == "phone" and len(password) >= 16
    assert browser.post("/api/v1/app-passwords", json={"label": "phone"}).status_code == 409
    assert browser.post("/api/v1/app-passwords", json={"name": "x"}).status_code == 400
    assert browser.post("/api/v1/app-passwords", data=b"{not json",
                        headers={"Content-Type": "application/json"}).status_code == 400
    listed = browser.get("/api/v1/app-passwords").json()
    assert [a["label"] for a in listed] == ["phone"]
    assert "password" not in listed[0] and listed[0]["created"] > 0
    assert regie.request("PROPFIND", "/dav/files/mila/", user="mila", password=password,
                         headers={"Depth": "0"}).status_code == 207
    assert browser.request("DELETE", "/api/v1/app-passwords/phone").status_code == 204
    assert browser.request("DELETE", "/api/v1/app-passwords/phone").status_code == 404
    assert regie.request("PROPFIND", "/dav/files/mila/", user="mila", password=password,
                         headers={"Depth": "0"}).status_code == 401
    # Revoking a device's password leaves the browser signed in.
    assert browser.get("/api/v1/session").status_code == 200


def test_the_mobileconfig_sets_up_caldav_and_carddav_without_a_password(regie):
    import plistlib

    regie.add_user("mila", password="Mila-pw-123")
    browser = signed_in(regie, "mila")
    r = browser.get("/api/v1/mobileconfig")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-apple-aspen-config"
    assert "attachment" in r.headers["Content-Disposition"]
    profile = plistlib.loads(r.content)
    assert profile["PayloadType"] == "Configuration"
    payloads = {p["PayloadType"]: p for p in profile["PayloadContent"]}
    caldav = payloads["com.apple.caldav.account"]
    carddav = payloads["com.apple.carddav.account"]
    assert caldav["CalDAVHostName"] == "127.0.0.1" and caldav["CalDAVPort"] == regie.port
    assert caldav["CalDAVUseSSL"] is False and caldav["CalDAVUsername"] == "mila"
    assert caldav["CalDAVPrincipalURL"] == "/dav/principals/mila/"
    assert carddav["CardDAVUsername"] == "mila" and carddav["CardDAVPort"] == regie.port
    uuids = {profile["PayloadUUID"], caldav["PayloadUUID"], carddav["PayloadUUID"]}
    assert len(uuids) == 3
    assert b"Mila-pw-123" not in r.content and b"Password" not in r.content
