"""A request target over [http] max_uri_bytes (8 KiB) gets 414; a long one under it is served."""
from regie_harness import basic_auth_header


def test_uri_limit(regie):
    auth = basic_auth_header("admin", regie.admin)
    ok = "/dav/files/admin/" + "a" * 200
    status, _, _ = regie.raw(f"GET {ok} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n"
                             .encode())
    assert status == 404, status
    long_ok = "/healthz?" + "q" * (7 * 1024)
    status, _, _ = regie.raw(f"GET {long_ok} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                             .encode())
    assert status == 200, status
    too_long = "/dav/files/admin/" + "a" * (9 * 1024)
    status, _, _ = regie.raw(f"GET {too_long} HTTP/1.1\r\nHost: x\r\n{auth}\r\n".encode())
    assert status == 414, status
    assert regie.get("/healthz", user=None).status_code == 200
