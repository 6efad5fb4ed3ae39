"""Malformed request lines and paths that are not valid UTF-8 get 400, and the server goes on;
a request target in absolute form is served as its path."""
import pytest

from regie_harness import basic_auth_header


@pytest.mark.parametrize("line", [
    b"THIS IS NOT HTTP\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET /healthz\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    b"G\x00T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
])
def test_malformed_request_line_is_400(regie, line):
    status, _, _ = regie.raw(line)
    assert status == 400, (line, status)
    assert regie.get("/healthz", user=None).status_code == 200


def test_invalid_utf8_path_is_400(regie):
    auth = basic_auth_header("admin", regie.admin)
    for path in ("/dav/files/admin/%C3%28", "/dav/files/admin/%FF", "/dav/files/admin/%C0%AF"):
        status, _, _ = regie.raw(
            f"PUT {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 1\r\n\r\nx".encode())
        assert status == 400, (path, status)
    status, _, _ = regie.raw(f"GET /dav/files/admin/%C3%28 HTTP/1.1\r\nHost: x\r\n{auth}\r\n"
                             .encode())
    assert status == 400, status
    assert regie.get("/healthz", user=None).status_code == 200


def test_a_target_in_absolute_form_means_its_path(regie):
    """RFC 9112 §3.2.2: servers must accept the absolute form that clients send to proxies."""
    regie.put("/dav/files/admin/absolute.txt", data=b"served by path")
    auth = basic_auth_header("admin", regie.admin)
    for target in (f"http://127.0.0.1:{regie.port}/dav/files/admin/absolute.txt",
                   f"HTTP://localhost/dav/files/admin/absolute.txt?ignored=1"):
        status, _, body = regie.raw(f"GET {target} HTTP/1.1\r\nHost: x\r\n{auth}\r\n".encode())
        assert (status, body) == (200, b"served by path"), target
    status, _, body = regie.raw(f"GET http://127.0.0.1:{regie.port}/healthz HTTP/1.1\r\n"
                                "Host: x\r\n\r\n".encode())
    assert (status, body) == (200, b"ok\n")
