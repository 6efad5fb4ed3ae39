"""Starts the real `regie` binary on 127.0.0.1:0 with a fresh data directory and talks to it.

Every wait is bounded: process waits, reads of stdout and HTTP requests all carry timeouts.
Only processes started here are signalled, always by PID.
"""
import hashlib
import json
import os
import pathlib
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
LISTEN_RE = re.compile(r"listening on (https?)://(\[[0-9a-fA-F:.]+\]|[^:/\s]+):(\d+)")
ADMIN_PW_RE = re.compile(r"admin password: (\S+)")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")

START_TIMEOUT = 30.0
STOP_TIMEOUT = 40.0  # above the server's default 30 s shutdown_timeout
CLI_TIMEOUT = 60.0
HTTP_TIMEOUT = (10.0, 60.0)  # (connect, read)


def regie_bin() -> str:
    path = os.environ.get("REGIE_BIN", str(REPO / "build" / "release" / "regie"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"regie binary not found or not executable: {path} (set REGIE_BIN)")
    return path


def need_tool(name: str) -> str:
    """Returns the tool's path; fails under CI=true when missing, else skips."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required (CI=true) but not installed")
        pytest.skip(f"{name} is not installed")
    return path


def clean_env(extra=None) -> dict:
    """The inherited environment minus REGIE_* and proxy settings, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("REGIE_")
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(extra or {})
    return env


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_size(value) -> int:
    """'16KiB' / '64MiB' / 1024 / '1024' -> bytes."""
    if isinstance(value, int):
        return value
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]i?B|B)?\s*", str(value))
    assert m, f"not a size: {value!r}"
    unit = m.group(2) or "B"
    mult = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
            "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}[unit]
    return int(m.group(1)) * mult


def parse_duration_ms(value) -> int:
    """'30s' / '15min' / '1h' / '500ms' / '1m30s' -> milliseconds."""
    if isinstance(value, int):
        return value * 1000
    units = {"ms": 1, "s": 1000, "min": 60_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
    parts = re.findall(r"(\d+)\s*(ms|min|s|m|h|d)", str(value))
    assert parts and "".join(n + u for n, u in parts) == str(value).replace(" ", ""), \
        f"not a duration: {value!r}"
    return sum(int(n) * units[u] for n, u in parts)


class Regie:
    """One data directory and (at most) one running `regie serve` on it."""

    def __init__(self, root: pathlib.Path, admin_password="auto", config: str = None,
                 env: dict = None):
        self.root = pathlib.Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.root / "data"
        self.data_dir.mkdir(exist_ok=True)
        self.config_path = None
        if config is not None:
            self.config_path = self.root / "regie.toml"
            self.config_path.write_text(config)
        if admin_password == "auto":
            admin_password = "Adm-" + secrets.token_urlsafe(12)
        self.admin = admin_password  # None: let the server print one
        self.extra_env = dict(env or {})
        self.passwords = {}
        if self.admin:
            self.passwords["admin"] = self.admin
        self.proc = None
        self.server_pid = None
        self.base_url = None
        self.scheme = None
        self.port = None
        self.ca_file = None  # set for HTTPS to verify the server's certificate
        self.lines = []  # every stdout line of every start, in order
        self.start_index = 0  # index into lines where the current run began
        self.err_lines = []
        self._cond = threading.Condition()
        self._readers = []
        self._session = None

    # ---- process control ----

    def serve_cmd(self, listen="127.0.0.1:0"):
        cmd = [regie_bin(), "serve", "--listen", listen, "--data", str(self.data_dir)]
        if self.config_path:
            cmd += ["--config", str(self.config_path)]
        return cmd

    def env(self, extra=None):
        e = clean_env(self.extra_env)
        if self.admin:
            e["REGIE_ADMIN_PASSWORD"] = self.admin
        e.update(extra or {})
        return e

    def _reader(self, stream, sink):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            with self._cond:
                sink.append(line)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def start(self, wrapper=(), extra_env=None, timeout=START_TIMEOUT):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self._close_session()
        with self._cond:
            self.start_index = len(self.lines)
        self.proc = subprocess.Popen(
            [*wrapper, *self.serve_cmd()], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=self.root, env=self.env(extra_env))
        self._readers = [
            threading.Thread(target=self._reader, args=(self.proc.stdout, self.lines), daemon=True),
            threading.Thread(target=self._reader, args=(self.proc.stderr, self.err_lines),
                             daemon=True),
        ]
        for t in self._readers:
            t.start()
        m = self.wait_for_line(LISTEN_RE, timeout=timeout)
        if m is None:
            rc = self.proc.poll()
            self.kill()
            pytest.fail(f"regie did not print 'listening on' within {timeout}s (exit {rc}); "
                        f"stdout={self.lines[self.start_index:]} stderr={self.err_lines[-20:]}")
        self.scheme, host, self.port = m.group(1), m.group(2), int(m.group(3))
        self.base_url = f"{self.scheme}://127.0.0.1:{self.port}"
        self.server_pid = self.proc.pid if not wrapper else self._find_child(self.proc.pid)
        return self

    @staticmethod
    def _find_child(pid, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            kids = []
            for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
                try:
                    kids += (task / "children").read_text().split()
                except OSError:
                    pass
            if kids:
                return int(kids[0])
            time.sleep(0.05)
        pytest.fail(f"no child process of wrapper {pid}")

    def current_lines(self):
        with self._cond:
            return list(self.lines[self.start_index:])

    def wait_for_line(self, pattern, timeout=10.0, since=None):
        """First match of `pattern` in stdout of the current run (from `since`), or None."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        start = self.start_index if since is None else since
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    m = rx.search(line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                if self.proc.poll() is not None and all(not t.is_alive() for t in self._readers):
                    return None
                self._cond.wait(min(left, 0.2))

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        """Sends `sig` to the regie process itself (not to a wrapper such as strace)."""
        os.kill(self.server_pid, sig)

    def wait(self, timeout=STOP_TIMEOUT):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"regie did not exit within {timeout}s")
        for t in self._readers:
            t.join(timeout=5)
        return rc

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Signals the server and returns its exit code (kills it after `timeout`)."""
        self._close_session()
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.send_signal(sig)
            except ProcessLookupError:
                pass
        return self.wait(timeout)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                if self.server_pid and self.server_pid != self.proc.pid:
                    os.kill(self.server_pid, signal.SIGKILL)
                self.proc.kill()
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def close(self):
        try:
            if self.running():
                self.stop()
        finally:
            self.kill()
            self._close_session()

    def restart(self, **kw):
        rc = self.stop()
        self.start(**kw)
        return rc

    def proc_status(self, field):
        """A field of /proc/PID/status in kB, e.g. 'VmHWM'."""
        text = pathlib.Path(f"/proc/{self.server_pid}/status").read_text()
        m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        assert m, f"{field} missing from /proc/{self.server_pid}/status"
        return int(m.group(1))

    # ---- CLI ----

    def cli(self, *args, input=None, env=None, timeout=CLI_TIMEOUT, data=True):
        cmd = [regie_bin(), *args]
        if data:
            cmd += ["--data", str(self.data_dir)]
            if self.config_path:
                cmd += ["--config", str(self.config_path)]
        try:
            return subprocess.run(cmd, input=input, capture_output=True, text=True,
                                  timeout=timeout, cwd=self.root, env=self.env(env))
        except subprocess.TimeoutExpired:
            pytest.fail(f"`{' '.join(cmd)}` did not finish within {timeout}s")

    def cli_ok(self, *args, **kw):
        r = self.cli(*args, **kw)
        assert r.returncode == 0, f"regie {' '.join(args)} -> {r.returncode}: {r.stdout}{r.stderr}"
        return r

    def cli_json(self, *args):
        r = self.cli_ok(*args, "--json")
        try:
            return json.loads(r.stdout)
        except ValueError:
            pytest.fail(f"regie {' '.join(args)} --json printed no JSON: {r.stdout!r}")

    def add_user(self, login, org="default", password=None, role=None, email=None):
        password = password or ("Pw-" + secrets.token_urlsafe(12))
        args = ["user", "add", login, "--org", org, "--password-stdin"]
        if role:
            args += ["--role", role]
        if email:
            args += ["--email", email]
        self.cli_ok(*args, input=password + "\n")
        self.passwords[login] = password
        return password

    # ---- HTTP ----

    def session(self):
        s = requests.Session()
        s.trust_env = False
        if self.scheme == "https":
            s.verify = str(self.ca_file) if self.ca_file else False
        return s

    @property
    def http(self):
        if self._session is None:
            self._session = self.session()
        return self._session

    def _close_session(self):
        if self._session is not None:
            self._session.close()
            self._session = None

    def request(self, method, path, user="admin", password=None, session=None, **kw):
        kw.setdefault("timeout", HTTP_TIMEOUT)
        kw.setdefault("allow_redirects", False)
        if user is not None:
            kw["auth"] = (user, password if password is not None else self.passwords[user])
        return (session or self.http).request(method, self.base_url + path, **kw)

    def put(self, path, data=b"", **kw):
        return self.request("PUT", path, data=data, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def head(self, path, **kw):
        return self.request("HEAD", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def raw(self, payload: bytes, timeout=10.0):
        """Sends raw bytes on a new connection; returns (status, headers dict, body bytes)."""
        return raw_exchange("127.0.0.1", self.port, payload, timeout=timeout,
                            tls=self.scheme == "https")

    # ---- blob store ----

    def blob_paths(self, hexdigest):
        return sorted(self.data_dir.glob(f"blobs/*/{hexdigest[:2]}/{hexdigest[2:4]}/{hexdigest}"))

    def stray_blob_files(self):
        """Files under DATA/blobs that are not final blobs (temp files and the like)."""
        blobs = self.data_dir / "blobs"
        out = []
        if not blobs.exists():
            return out
        for p in blobs.rglob("*"):
            if p.is_dir():
                continue
            if not HEX64_RE.match(p.name):
                out.append(str(p.relative_to(self.data_dir)))
        for pattern in ("blobs/*/tmp/*", "blobs/.tmp/*", "blobs/.tmp"):
            for p in self.data_dir.glob(pattern):
                if not p.is_dir():
                    out.append(str(p.relative_to(self.data_dir)))
        return sorted(set(out))

    def wait_no_stray_blob_files(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            stray = self.stray_blob_files()
            if not stray or time.monotonic() > deadline:
                return stray
            time.sleep(0.2)


def raw_exchange(host, port, payload: bytes, timeout=10.0, tls=False):
    """Sends `payload`, reads one response (headers plus body by Content-Length, or until close)."""
    sock = socket.create_connection((host, port), timeout=timeout)
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        sock = ctx.wrap_socket(sock)
    try:
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        return read_response(sock, timeout)
    finally:
        sock.close()


def read_response(sock, timeout=10.0, head_only=False):
    deadline = time.monotonic() + timeout
    buf = b""
    while b"\r\n\r\n" not in buf:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        except socket.timeout:
            raise AssertionError(f"no complete response within {timeout}s; got {buf[:200]!r}")
        if not chunk:
            if not buf:
                raise AssertionError("connection closed without a response")
            break
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    assert m, f"not an HTTP response: {lines[0]!r}"
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if not head_only and "content-length" in headers:
        want = int(headers["content-length"])
        while len(body) < want and time.monotonic() < deadline:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            body += chunk
    return int(m.group(1)), headers, body


def basic_auth_header(user, password):
    import base64
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return f"Authorization: Basic {token}\r\n"


class SlowUpload:
    """PUTs `parts` to `path` from a background thread, pausing `delay` seconds between parts.
    `started` is set once `started_after` parts are sent; `result()` waits for the response (or
    the exception the client raised)."""

    def __init__(self, regie, path, parts, delay=0.1, started_after=3):
        self.started = threading.Event()
        self._result = None
        self._thread = threading.Thread(target=self._run, args=(regie, path, parts, delay,
                                                                started_after))
        self._thread.start()

    def _run(self, regie, path, parts, delay, started_after):
        def body():
            for i, part in enumerate(parts):
                if i == started_after:
                    self.started.set()
                yield part
                time.sleep(delay)
        try:
            self._result = regie.put(path, data=body(), timeout=(10, 60))
        except Exception as e:  # handed to the test through result()
            self._result = e

    def result(self, timeout=60):
        self._thread.join(timeout=timeout)
        assert not self._thread.is_alive(), "upload hung"
        return self._result
