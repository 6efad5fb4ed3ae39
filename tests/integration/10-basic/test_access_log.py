"""Each request logs one line on stdout with client, login, method, path, status and bytes."""
import re


def test_access_log_lines(regie):
    since = len(regie.lines)
    assert regie.put("/dav/files/admin/logged.txt", b"hello").status_code == 201
    assert regie.get("/dav/files/admin/logged.txt").status_code == 200
    assert regie.get("/dav/files/admin/absent-logged.txt").status_code == 404
    assert regie.get("/dav/files/admin/logged.txt", user=None).status_code == 401

    expect = [
        r'127\.0\.0\.1 \S+ admin \[[^\]]+\] "PUT /dav/files/admin/logged\.txt HTTP/1\.1" 201 \d+',
        r'127\.0\.0\.1 \S+ admin \[[^\]]+\] "GET /dav/files/admin/logged\.txt HTTP/1\.1" 200 5\b',
        r'"GET /dav/files/admin/absent-logged\.txt HTTP/1\.1" 404 \d+',
        r'127\.0\.0\.1 \S+ \S+ \[[^\]]+\] "GET /dav/files/admin/logged\.txt HTTP/1\.1" 401 \d+',
    ]
    for pattern in expect:
        assert regie.wait_for_line(pattern, timeout=5, since=since), \
            f"no access log line matching {pattern!r} in {regie.lines[since:]}"
    logged = [l for l in regie.lines[since:] if "/dav/files/admin/logged.txt" in l]
    assert len(logged) == 3, f"expected one line per request: {logged}"
    assert not any(regie.admin in l for l in regie.lines)
