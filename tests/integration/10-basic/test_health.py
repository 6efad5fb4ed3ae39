"""/healthz and /readyz answer 200 without credentials once the server listens."""


def test_healthz_and_readyz(regie):
    for path in ("/healthz", "/readyz"):
        r = regie.get(path, user=None)
        assert r.status_code == 200, (path, r.status_code)
