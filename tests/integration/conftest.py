"""Fixtures for the integration suite: a real `regie serve` per test (or per module).

`regie` yields a regie_harness.Regie: base_url, data_dir, proc, lines (stdout), admin (password),
cli(*args, input=None), put/get/head/delete with Basic auth (user="admin" by default), raw(bytes).
`regie_factory(config=..., env=..., admin_password=...)` makes more, started or not; all are
stopped at teardown.
"""
import signal

import pytest

from regie_harness import Regie

DEFAULT_TEST_TIMEOUT = 120


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A wall-clock limit per test: no test may hang the suite."""
    marker = item.get_closest_marker("timeout")
    seconds = int(marker.args[0]) if marker else DEFAULT_TEST_TIMEOUT

    def on_alarm(signum, frame):
        raise TimeoutError(f"test exceeded its {seconds}s limit")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def regie_factory(tmp_path):
    made = []

    def make(name=None, start=True, **kw):
        r = Regie(tmp_path / (name or f"r{len(made)}"), **kw)
        made.append(r)
        if start:
            r.start()
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture
def regie(regie_factory):
    return regie_factory()


@pytest.fixture(scope="module")
def regie_module(tmp_path_factory):
    r = Regie(tmp_path_factory.mktemp("regie"))
    r.start()
    yield r
    r.close()
