"""The web workplace's files: index.html for every path the protocols do not reserve, built
assets with long caching and gzip, and the security headers of every page."""
import gzip

import requests

from regie_harness import Regie


def make_site(root):
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><html lang="en"><script type="module" src="/assets/app-1a2b.js">'
        "</script></html>")
    script = b"export const answer = 42;\n" * 200
    (root / "assets" / "app-1a2b.js").write_bytes(script)
    (root / "assets" / "app-1a2b.js.gz").write_bytes(gzip.compress(script))
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return script


def test_every_app_path_serves_index_html_with_the_security_headers(regie_factory, tmp_path):
    make_site(tmp_path / "site")
    regie = regie_factory(env={"REGIE_WEB_ROOT": str(tmp_path / "site")})
    for path in ("/", "/files", "/files/admin/some%20folder/", "/calendar?view=week"):
        r = requests.get(regie.base_url + path, timeout=10)
        assert r.status_code == 200, path
        assert r.text.startswith("<!doctype html>")
        assert r.headers["Content-Type"].startswith("text/html")
        assert r.headers["Cache-Control"] == "no-cache"
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
        assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
    etag = requests.get(regie.base_url + "/", timeout=10).headers["ETag"]
    cached = requests.get(regie.base_url + "/", headers={"If-None-Match": etag}, timeout=10)
    assert cached.status_code == 304 and cached.content == b""
    assert requests.post(regie.base_url + "/files", timeout=10).status_code == 405


def test_assets_are_served_gzipped_and_cached_for_good(regie_factory, tmp_path):
    script = make_site(tmp_path / "site")
    regie = regie_factory(env={"REGIE_WEB_ROOT": str(tmp_path / "site")})
    packed = requests.get(regie.base_url + "/assets/app-1a2b.js", timeout=10, stream=True,
                          headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Type"].startswith("text/javascript")
    assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    raw = packed.raw.read()
    assert len(raw) < len(script) and gzip.decompress(raw) == script
    plain = requests.get(regie.base_url + "/assets/app-1a2b.js", timeout=10,
                         headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.content == script
    assert requests.get(regie.base_url + "/favicon.svg", timeout=10).headers[
        "Content-Type"].startswith("image/svg+xml")
    assert requests.get(regie.base_url + "/assets/missing.js", timeout=10).status_code == 404


def test_reserved_paths_are_never_the_app(regie_factory, tmp_path):
    make_site(tmp_path / "site")
    regie = regie_factory(env={"REGIE_WEB_ROOT": str(tmp_path / "site")})
    for path in ("/api/v2/anything", "/pub/nothing", "/remote.php/x", "/.well-known/x",
                 "/healthz/x"):
        r = requests.get(regie.base_url + path, timeout=10)
        assert r.status_code == 404, path
        assert not r.text.startswith("<!doctype"), path
    assert requests.get(regie.base_url + "/api/v2/x", timeout=10).json()["error"] == "not-found"
    assert requests.get(regie.base_url + "/healthz", timeout=10).text.strip() == "ok"


def test_without_a_built_app_the_pages_say_so(regie_factory, tmp_path):
    regie = regie_factory(env={"REGIE_WEB_ROOT": str(tmp_path / "nothing-here")})
    r = requests.get(regie.base_url + "/files", timeout=10)
    assert r.status_code == 503 and "not built" in r.text
    assert regie.get("/dav/files/admin/").status_code in (200, 207)  # The protocols still work.
