"""Helpers for the web workplace's API tests: a browser-like session that signs in with the
cookie and sends the CSRF token the way the web app does."""
import requests


class Browser:
    """A cookie jar signed in to one Regie, sending X-Requested-With like the web app."""

    def __init__(self, regie):
        self.regie = regie
        self.http = requests.Session()
        self.http.headers["X-Requested-With"] = "XMLHttpRequest"
        self.csrf = None

    def sign_in(self, login, password=None):
        password = password if password is not None else self.regie.passwords[login]
        r = self.http.post(self.regie.base_url + "/api/v1/session",
                           json={"login": login, "password": password}, timeout=30)
        if r.status_code == 200:
            self.csrf = r.json()["csrf"]
        return r

    def request(self, method, path, csrf=True, **kw):
        kw.setdefault("timeout", 30)
        kw.setdefault("allow_redirects", False)
        headers = dict(kw.pop("headers", {}) or {})
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.http.request(method, self.regie.base_url + path, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def cookie(self):
        return self.http.cookies.get("regie_session")


def signed_in(regie, login, password=None):
    browser = Browser(regie)
    r = browser.sign_in(login, password)
    assert r.status_code == 200, r.text
    return browser
