"""A request header block over [http] max_header_bytes gets 431; one under it is served. The
limit follows REGIE_HTTP_MAX_HEADER_BYTES (env beats the default)."""


def request_with_header(size):
    return (f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: {'a' * size}\r\n"
            "Connection: close\r\n\r\n").encode()


def test_default_limit_16kib(regie):
    status, _, _ = regie.raw(request_with_header(12 * 1024))
    assert status == 200, status
    status, _, _ = regie.raw(request_with_header(20 * 1024))
    assert status == 431, status
    many = "".join(f"X-H{i}: {'b' * 100}\r\n" for i in range(200))  # ~21 KiB in many lines
    status, _, _ = regie.raw(f"GET /healthz HTTP/1.1\r\nHost: x\r\n{many}\r\n".encode())
    assert status == 431, status
    assert regie.get("/healthz", user=None).status_code == 200


def test_env_sets_limit(regie_factory):
    r = regie_factory(env={"REGIE_HTTP_MAX_HEADER_BYTES": "4KiB"})
    status, _, _ = r.raw(request_with_header(2 * 1024))
    assert status == 200, status
    status, _, _ = r.raw(request_with_header(6 * 1024))
    assert status == 431, status
