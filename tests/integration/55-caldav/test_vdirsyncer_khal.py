"""vdirsyncer (Debian) syncs a calendar and an address book both ways with local folders,
including a conflict round settled by `conflict_resolution = "a wins"` (the local side), and khal
reads the synced calendar."""
import os
import shutil
import subprocess

import pytest

from caldav_util import calendar_query, event, names_in, put, report

CAL = "/dav/calendars/admin/personal/"
BOOK = "/dav/addressbooks/admin/contacts/"


def tool(name):
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed under CI")
        pytest.skip(f"{name} is not installed")
    return path


def run(cmd, env, check=True):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert r.returncode == 0, f"{cmd} -> {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def write_config(tmp, regie):
    config = tmp / "vdirsyncer.conf"
    password = regie.admin
    config.write_text(f"""[general]
status_path = "{tmp}/status/"

[pair cal]
a = "cal_local"
b = "cal_remote"
collections = null
conflict_resolution = "a wins"

[storage cal_local]
type = "filesystem"
path = "{tmp}/calendar/"
fileext = ".ics"

[storage cal_remote]
type = "caldav"
url = "{regie.base_url}{CAL}"
username = "admin"
password = "{password}"

[pair book]
a = "book_local"
b = "book_remote"
collections = null
conflict_resolution = "a wins"

[storage book_local]
type = "filesystem"
path = "{tmp}/contacts/"
fileext = ".vcf"

[storage book_remote]
type = "carddav"
url = "{regie.base_url}{BOOK}"
username = "admin"
password = "{password}"
""")
    return config


def summary_of(text):
    for line in text.splitlines():
        if line.startswith("SUMMARY:"):
            return line[len("SUMMARY:"):]
    return None


def test_two_way_sync_with_a_conflict_and_khal(regie, tmp_path):
    vdirsyncer = tool("vdirsyncer")
    khal = tool("khal")
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), LC_ALL="C.UTF-8", TZ="UTC")
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(proxy, None)
    (tmp_path / "calendar").mkdir()
    (tmp_path / "contacts").mkdir()
    config = write_config(tmp_path, regie)
    vd = [vdirsyncer, "-c", str(config)]

    assert put(regie, CAL + "server.ics", event("server", "20260310T100000Z", "20260310T110000Z",
                                                "Server meeting")).status_code == 201
    assert put(regie, BOOK + "anna.vcf",
               b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;"
               b"\r\nEND:VCARD\r\n", content_type="text/vcard").status_code == 201
    (tmp_path / "calendar" / "local.ics").write_bytes(
        event("local", "20260311T090000Z", "20260311T100000Z", "Local workshop"))
    run(vd + ["discover"], env)
    run(vd + ["sync"], env)

    # Both ways: the local event is on the server, the server's objects are local.
    found = [summary_of(regie.get(CAL + h).text) for h in listing_names(regie)]
    assert sorted(found) == ["Local workshop", "Server meeting"]
    local = {p.name: p.read_text() for p in (tmp_path / "calendar").iterdir()}
    assert sorted(summary_of(t) for t in local.values()) == ["Local workshop", "Server meeting"]
    assert any("Anna Schmidt" in p.read_text() for p in (tmp_path / "contacts").iterdir())

    # Conflict: both sides change the server's event; "a wins" keeps the local change.
    server_file = next(p for p, t in ((tmp_path / "calendar" / n, t) for n, t in local.items())
                       if "Server meeting" in t)
    server_file.write_text(server_file.read_text().replace("Server meeting", "Local edit"))
    r = put(regie, CAL + "server.ics", event("server", "20260310T100000Z", "20260310T110000Z",
                                            "Remote edit"))
    assert r.status_code == 204
    run(vd + ["sync"], env)
    assert summary_of(regie.get(CAL + "server.ics").text) == "Local edit"
    assert "Local edit" in server_file.read_text()

    khal_config = tmp_path / "khal.conf"
    khal_config.write_text(f"""[calendars]
[[personal]]
path = {tmp_path}/calendar/
type = calendar

[sqlite]
path = {tmp_path}/khal.db

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
""")
    out = run([khal, "-c", str(khal_config), "list", "2026-03-09", "2026-03-12"], env).stdout
    assert "Local edit" in out and "Local workshop" in out, out


def listing_names(regie):
    body = calendar_query('<C:comp-filter name="VCALENDAR"/>')
    return names_in(report(regie, CAL, body))
