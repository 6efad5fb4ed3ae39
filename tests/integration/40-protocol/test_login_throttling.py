"""After 5 failed logins for one account from one client address within the window, that
address gets 429 + Retry-After for that account, even with the right password; other addresses
and other accounts are unaffected, and requests without credentials are not failures. Client
addresses come from X-Forwarded-For/Forwarded only when the peer is a trusted proxy."""
import email.utils

TRUSTING = '[http]\ntrusted_proxies = ["127.0.0.1"]\n'


def xff(addr):
    return {"X-Forwarded-For": addr}


def assert_retry_after(r):
    value = r.headers.get("Retry-After")
    assert value, f"429 without Retry-After: {r.headers}"
    if value.isdigit():
        assert int(value) > 0, value
    else:
        assert email.utils.parsedate_to_datetime(value), value


def test_throttle_per_account_and_address(regie_factory):
    r = regie_factory(config=TRUSTING)
    r.add_user("bob")
    path = "/dav/files/bob/t.txt"
    assert r.put(path, b"x", user="bob", headers=xff("10.9.9.9")).status_code == 201

    for i in range(5):
        bad = r.get(path, user="bob", password=f"wrong-{i}", headers=xff("10.1.1.1"))
        assert bad.status_code == 401, (i, bad.status_code)

    good = r.get(path, user="bob", headers=xff("10.1.1.1"))
    assert good.status_code == 429, f"6th attempt with the right password: {good.status_code}"
    assert_retry_after(good)
    bad = r.get(path, user="bob", password="wrong-again", headers=xff("10.1.1.1"))
    assert bad.status_code == 429, bad.status_code
    assert_retry_after(bad)
    fwd = r.get(path, user="bob", headers={"Forwarded": "for=10.1.1.1"})
    assert fwd.status_code == 429, f"Forwarded: for= must name the same client: {fwd.status_code}"

    other_addr = r.get(path, user="bob", headers=xff("10.1.1.2"))
    assert other_addr.status_code == 200, f"right password from another address: {other_addr}"
    other_fwd = r.get(path, user="bob", headers={"Forwarded": "for=10.1.1.3"})
    assert other_fwd.status_code == 200, other_fwd.status_code
    other_account = r.put("/dav/files/admin/a.txt", b"a", headers=xff("10.1.1.1"))
    assert other_account.status_code == 201, \
        f"another account from the throttled address: {other_account.status_code}"


def test_requests_without_credentials_are_not_failures(regie_factory):
    r = regie_factory(config=TRUSTING)
    r.add_user("bob")
    path = "/dav/files/bob/n.txt"
    for _ in range(60):  # more than account_failures (5) and address_failures (50)
        anon = r.get(path, user=None, headers=xff("10.2.2.2"))
        assert anon.status_code == 401, anon.status_code
    ok = r.put(path, b"n", user="bob", headers=xff("10.2.2.2"))
    assert ok.status_code == 201, f"anonymous requests must not throttle: {ok.status_code}"


def test_forwarded_headers_ignored_from_untrusted_peer(regie):
    """Without trusted_proxies, X-Forwarded-For must not let a client pick a fresh address."""
    regie.add_user("bob")
    path = "/dav/files/bob/u.txt"
    assert regie.put(path, b"u", user="bob").status_code == 201
    for i in range(5):
        bad = regie.get(path, user="bob", password=f"wrong-{i}", headers=xff(f"10.3.3.{i}"))
        assert bad.status_code == 401, bad.status_code
    spoofed = regie.get(path, user="bob", headers=xff("10.4.4.4"))
    assert spoofed.status_code == 429, f"X-Forwarded-For from an untrusted peer: {spoofed}"
    assert_retry_after(spoofed)
