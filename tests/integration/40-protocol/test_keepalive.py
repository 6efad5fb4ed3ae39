"""HTTP/1.1 keep-alive: several authenticated requests reuse one TCP connection."""
import http.client

from regie_harness import basic_auth_header


def test_requests_share_one_connection(regie):
    conn = http.client.HTTPConnection("127.0.0.1", regie.port, timeout=10)
    auth = basic_auth_header("admin", regie.admin).split(": ", 1)[1].strip()
    try:
        conn.request("PUT", "/dav/files/admin/ka.txt", body=b"keep",
                     headers={"Authorization": auth})
        r = conn.getresponse()
        r.read()
        assert r.status == 201
        sock = conn.sock
        assert sock is not None, "server closed the connection after the first response"
        for _ in range(5):
            conn.request("GET", "/dav/files/admin/ka.txt", headers={"Authorization": auth})
            r = conn.getresponse()
            assert (r.status, r.read()) == (200, b"keep")
            assert conn.sock is sock, "server closed a keep-alive connection"
    finally:
        conn.close()
