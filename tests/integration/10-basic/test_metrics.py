"""/metrics serves Prometheus text to loopback without credentials; the counters move with
traffic; no login, organisation name or path ever appears in it."""
import os
import re

SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([-+0-9.eEinfINFNa]+)(\s+\d+)?$')


def scrape(regie):
    r = regie.get("/metrics", user=None)
    assert r.status_code == 200, r.status_code
    assert r.headers.get("Content-Type", "").startswith("text/plain"), r.headers
    samples = {}
    for line in r.text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE_RE.match(line)
        assert m, f"not a Prometheus sample line: {line!r}"
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return r.text, samples


def value(samples, name, missing=None, **labels):
    """Sum of samples of `name` whose labels include `labels` (`missing` if none, else fail)."""
    total, seen = 0.0, False
    for key, v in samples.items():
        base, _, rest = key.partition("{")
        if base != name:
            continue
        if all(f'{k}="{val}"' in rest for k, val in labels.items()):
            total += v
            seen = True
    if not seen and missing is not None:
        return missing
    assert seen, f"no sample {name}{labels}"
    return total


def test_metrics_move_and_stay_anonymous(regie):
    regie.cli_ok("org", "add", "zanzibarorg")
    regie.add_user("quixoticuser", org="zanzibarorg")
    _, before = scrape(regie)

    body = os.urandom(100 * 1024)
    assert regie.put("/dav/files/quixoticuser/supersecretname.txt", body,
                     user="quixoticuser").status_code == 201
    for _ in range(3):
        assert regie.get("/dav/files/quixoticuser/supersecretname.txt",
                         user="quixoticuser").content == body
    assert regie.get("/dav/files/quixoticuser/nothere", user="quixoticuser").status_code == 404

    text, after = scrape(regie)
    for needle in ("quixoticuser", "zanzibarorg", "supersecretname", "/dav/"):
        assert needle not in text, f"/metrics leaks {needle!r}"

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, missing=0, **labels)

    assert delta("regie_http_requests_total", method="GET", status="200") >= 3
    assert delta("regie_http_requests_total", method="PUT", status="201") >= 1
    assert delta("regie_http_requests_total", method="GET", status="404") >= 1
    assert delta("regie_http_bytes_received_total") >= len(body)
    assert delta("regie_http_bytes_sent_total") >= 3 * len(body)
    assert delta("regie_blob_bytes_written_total") >= len(body)
    assert delta("regie_store_rows_written_total") >= 1
    assert value(after, "regie_http_open_connections") >= 1

    count = value(after, "regie_http_request_duration_seconds_count")
    assert count >= 5
    assert value(after, "regie_http_request_duration_seconds_bucket", le="+Inf") == count
    assert value(after, "regie_http_request_duration_seconds_sum") >= 0
    buckets = sorted((float(re.search(r'le="([^"]+)"', k).group(1)), v) for k, v in after.items()
                     if k.startswith("regie_http_request_duration_seconds_bucket"))
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), "buckets must be cumulative"
