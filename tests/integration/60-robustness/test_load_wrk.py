"""Load: 1,000 concurrent keep-alive connections under a mixed WebDAV/CalDAV/CardDAV load from
wrk (bench/wrk/mixed_dav.lua: file GET/PUT/PROPFIND, calendar GET/PUT/query/multiget, address
book GET/query) get every request answered with no error and the server's memory stays bounded;
beyond [http] max_connections a new client gets a fast 503, not a hang, and is served again once
connections free up. The 60-second run with the reference figures is bench/load.sh.
"""
import json
import os
import pathlib
import re
import resource
import socket
import subprocess
import sys
import time

import pytest

from regie_harness import need_tool, read_response

REPO = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "bench" / "wrk"))
import seed  # noqa: E402  (bench/wrk/seed.py, shared with bench/load.sh)

CONNECTIONS = 1000
SECONDS = int(os.environ.get("REGIE_LOAD_SECONDS", "15"))
# 1,000 connections with their buffers, SQLite's caches and the blocking pool; measured about
# 150 MiB. The bound catches memory that grows with requests, not with connections.
MAX_PEAK_RSS_KIB = 256 * 1024


def raise_open_file_limit():
    """A descriptor per connection on both sides: the soft limit up to the hard one, and the hard
    one too where this process may (root), so that the server started after it inherits it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for target in (max(hard, 8192), hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, target))
            return
        except (ValueError, OSError):
            continue


@pytest.mark.timeout(SECONDS + 90)
def test_a_thousand_connections_of_mixed_load_get_every_answer(regie_factory):
    wrk = need_tool("wrk")
    # wrk needs a descriptor per connection, more than the usual soft limit of 1,024.
    raise_open_file_limit()
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[1] > CONNECTIONS + 100
    # The access log is off: 1,000 lines a second through this test's reader would load the
    # two cores more than the server does.
    regie = regie_factory(env={"REGIE_HTTP_ACCESS_LOG": "false"})
    seed.seed(regie.base_url, "admin", regie.admin, files=100, events=200, cards=100)
    env = dict(os.environ, REGIE_LOAD_USER="admin", REGIE_LOAD_PASSWORD=regie.admin,
               REGIE_LOAD_FILES="100", REGIE_LOAD_EVENTS="200", REGIE_LOAD_CARDS="100")
    run = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "--latency",
         "-s", str(REPO / "bench" / "wrk" / "mixed_dav.lua"), regie.base_url],
        capture_output=True, text=True, env=env, timeout=SECONDS + 60,
        preexec_fn=raise_open_file_limit)
    assert run.returncode == 0, run.stderr
    m = re.search(r"^regie-load (\{.*\})$", run.stdout, re.M)
    assert m, run.stdout
    result = json.loads(m.group(1))
    print(f"\n{CONNECTIONS} connections, {SECONDS}s: {result}")
    errors = {k: result[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts",
                                     "bad_status")}
    assert errors == dict.fromkeys(errors, 0), run.stdout
    assert result["requests"] > 10 * SECONDS, run.stdout  # Served, not merely connected.
    assert regie.proc_status("VmHWM") < MAX_PEAK_RSS_KIB
    # The load left nothing behind: the server answers and every connection closed.
    assert regie.get("/dav/files/admin/load/f7.txt").content == b"regie load test body\n" * 196
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        metrics = regie.http.get(regie.base_url + "/metrics").text
        open_now = int(re.search(r"^regie_http_open_connections (\d+)$", metrics, re.M).group(1))
        if open_now <= 1:  # This request's own connection.
            break
        time.sleep(0.1)
    assert open_now <= 1


def test_beyond_the_connection_limit_a_new_client_gets_a_fast_503(regie_factory):
    regie = regie_factory(env={"REGIE_HTTP_MAX_CONNECTIONS": "20"})
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    held = []
    try:
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", regie.port), timeout=5)
            s.sendall(request)
            assert read_response(s)[0] == 200  # The server counts it as open now.
            held.append(s)
        for _ in range(5):
            started = time.monotonic()
            with socket.create_connection(("127.0.0.1", regie.port), timeout=5) as s:
                s.sendall(request)
                status, headers, body = read_response(s)
            assert status == 503
            assert headers.get("retry-after") == "1"
            assert b"too many connections" in body
            assert time.monotonic() - started < 0.5
        # A held connection keeps being served.
        held[0].sendall(request)
        assert read_response(held[0])[0] == 200
    finally:
        for s in held:
            s.close()
    # Once the held connections are gone, new clients are served again.
    deadline = time.monotonic() + 5
    while True:
        with socket.create_connection(("127.0.0.1", regie.port), timeout=5) as s:
            s.sendall(request)
            status = read_response(s)[0]
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 200
    metrics = regie.http.get(regie.base_url + "/metrics").text
    refused = int(re.search(r"^regie_http_refused_connections_total (\d+)$", metrics,
                            re.M).group(1))
    assert refused >= 5
