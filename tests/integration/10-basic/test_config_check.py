"""`regie config check` prints the effective settings as TOML; precedence is flag > env > file >
default; a bad value is a configuration error (exit 2) for `config check` and `serve` alike."""
import subprocess
import tomllib

import pytest

from regie_harness import clean_env, parse_duration_ms, parse_size, regie_bin


def check(tmp_path, *args, env=None):
    try:
        r = subprocess.run([regie_bin(), "config", "check", *args], capture_output=True, text=True,
                           timeout=30, cwd=tmp_path, env=clean_env(env))
    except subprocess.TimeoutExpired:
        pytest.fail("config check did not finish")
    return r


def effective(tmp_path, *args, env=None):
    r = check(tmp_path, *args, env=env)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    try:
        return tomllib.loads(r.stdout)
    except tomllib.TOMLDecodeError as e:
        pytest.fail(f"config check printed invalid TOML ({e}): {r.stdout}")


def test_defaults(tmp_path):
    cfg = effective(tmp_path)
    http, auth = cfg["http"], cfg["auth"]
    assert parse_size(http["max_header_bytes"]) == 16 * 1024
    assert parse_size(http["max_uri_bytes"]) == 8 * 1024
    assert parse_size(http["max_xml_body_bytes"]) == 1024 * 1024
    assert parse_size(http["max_upload_bytes"]) == 0
    assert auth["account_failures"] == 5 and auth["address_failures"] == 50
    assert parse_duration_ms(auth["failure_window"]) == 15 * 60 * 1000
    for key in ("idle_timeout", "read_timeout", "max_connections", "trusted_proxies",
                "allow_basic_over_http", "access_log", "metrics_public"):
        assert key in http, key
    for key in ("listen", "data"):
        assert key in cfg["server"], key
    for key in ("argon2_memory", "argon2_passes", "max_concurrent_hashes", "cache_ttl",
                "cache_entries"):
        assert key in auth, key


def test_precedence_flag_env_file_default(tmp_path):
    conf = tmp_path / "custom.toml"
    conf.write_text('[server]\ndata = "/file/data"\n'
                    '[http]\nmax_header_bytes = "32KiB"\nidle_timeout = "30s"\n'
                    'max_uri_bytes = "4KiB"\n')
    cfg = effective(tmp_path, "--config", str(conf))
    assert parse_size(cfg["http"]["max_header_bytes"]) == 32 * 1024
    assert parse_duration_ms(cfg["http"]["idle_timeout"]) == 30_000
    assert cfg["server"]["data"] == "/file/data"

    env = {"REGIE_HTTP_MAX_HEADER_BYTES": "48KiB", "REGIE_SERVER_DATA": "/env/data"}
    cfg = effective(tmp_path, "--config", str(conf), env=env)
    assert parse_size(cfg["http"]["max_header_bytes"]) == 48 * 1024  # env beats file
    assert parse_size(cfg["http"]["max_uri_bytes"]) == 4 * 1024      # file beats default
    assert cfg["server"]["data"] == "/env/data"

    cfg = effective(tmp_path, "--config", str(conf), "--data", "/flag/data", env=env)
    assert cfg["server"]["data"] == "/flag/data"                      # flag beats env


def test_regie_toml_in_working_directory_is_read(tmp_path):
    (tmp_path / "regie.toml").write_text('[http]\nmax_uri_bytes = "2KiB"\n')
    cfg = effective(tmp_path)
    assert parse_size(cfg["http"]["max_uri_bytes"]) == 2 * 1024


def test_bad_values_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[http]\nmax_header_bytes = "lots"\n')
    r = check(tmp_path, "--config", str(bad))
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "max_header_bytes" in r.stdout + r.stderr

    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[http]\nmax_header_byte = "16KiB"\n')
    assert check(tmp_path, "--config", str(unknown)).returncode == 2

    r = check(tmp_path, env={"REGIE_HTTP_IDLE_TIMEOUT": "soon"})
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert check(tmp_path, "--config", str(tmp_path / "missing.toml")).returncode == 2

    data = tmp_path / "data"
    data.mkdir()
    try:
        s = subprocess.run([regie_bin(), "serve", "--listen", "127.0.0.1:0", "--data", str(data),
                            "--config", str(bad)], capture_output=True, text=True, timeout=30,
                           cwd=tmp_path, env=clean_env(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("serve with an invalid config kept running")
    assert s.returncode == 2, (s.returncode, s.stdout, s.stderr)
    try:
        s = subprocess.run([regie_bin(), "serve", "--listen", "nonsense", "--data", str(data)],
                           capture_output=True, text=True, timeout=30, cwd=tmp_path,
                           env=clean_env(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("serve with an invalid --listen kept running")
    assert s.returncode == 2, (s.returncode, s.stdout, s.stderr)
