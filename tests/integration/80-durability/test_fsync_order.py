"""Durability order of one PUT, read from an strace of the server: fsync of the blob temp file ->
rename to blobs/<org>/ab/cd/<sha256> -> fsync of that directory -> fsync/fdatasync of the SQLite
database or WAL -> the write of the `HTTP/1.1 201` response."""
import os
import re
import signal

import pytest

from regie_harness import need_tool, sha256_hex

CALL_RE = re.compile(r"^(\d+)\s+(\w+)\((.*)$")
RESUMED_RE = re.compile(r"^(\d+)\s+<\.\.\. (\w+) resumed>(.*)$")
FD_PATH_RE = re.compile(r"^(?:AT_FDCWD|-?\d+)<([^>]*)>")
STR_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')


class Event:
    def __init__(self, pid, name, args, start):
        self.pid, self.name, self.args, self.start, self.end = pid, name, args, start, start
        self.result = None

    def __repr__(self):
        return f"#{self.start}-{self.end} {self.name}({self.args[:150]}) = {self.result}"


def parse_trace(text):
    """Syscall events with the line index where each started and where it returned."""
    events, pending = [], {}
    for idx, line in enumerate(text.splitlines()):
        m = RESUMED_RE.match(line)
        if m:
            ev = pending.pop((m.group(1), m.group(2)), None)
            if ev:
                ev.end = idx
                ev.args += m.group(3)
                r = re.search(r"=\s+(-?\d+)", m.group(3))
                ev.result = int(r.group(1)) if r else None
            continue
        m = CALL_RE.match(line)
        if not m:
            continue
        ev = Event(m.group(1), m.group(2), m.group(3), idx)
        if line.rstrip().endswith("<unfinished ...>"):
            pending[(ev.pid, ev.name)] = ev
        else:
            r = re.search(r"\)\s+=\s+(-?\d+)", m.group(3))
            ev.result = int(r.group(1)) if r else None
        events.append(ev)
    return events


def fd_path(ev):
    m = FD_PATH_RE.match(ev.args)
    return m.group(1) if m else None


def rename_paths(ev, cwd):
    """(source, destination) of rename/renameat/renameat2 as absolute, canonical paths."""
    if ev.name == "rename":
        strings = STR_RE.findall(ev.args)
        parts = [(None, s) for s in strings[:2]]
    else:
        parts = re.findall(r'(?:AT_FDCWD|-?\d+)(?:<([^>]*)>)?,\s*"((?:[^"\\]|\\.)*)"', ev.args)
    if len(parts) < 2:
        return None, None
    return tuple(os.path.realpath(os.path.join(d or str(cwd), p)) for d, p in parts[:2])


@pytest.mark.timeout(120)
def test_put_is_durable_before_201(regie_factory, tmp_path):
    strace = need_tool("strace")
    trace = tmp_path / "put.strace"
    r = regie_factory(start=False)
    r.start(wrapper=[strace, "-f", "-y", "-s", "64", "-o", str(trace), "-e",
                     "trace=fsync,fdatasync,rename,renameat,renameat2,write,writev,sendto,sendmsg"])
    body = os.urandom(300_000)
    digest = sha256_hex(body)
    p = r.put("/dav/files/admin/durable.bin", body)
    assert p.status_code == 201, p.status_code
    assert r.stop(signal.SIGTERM) == 0
    events = parse_trace(trace.read_text(errors="replace"))

    ok = lambda e: e.result is not None and e.result >= 0
    suffix = f"/{digest[:2]}/{digest[2:4]}/{digest}"
    renames = [e for e in events if e.name.startswith("rename") and ok(e)
               and (rename_paths(e, r.root)[1] or "").endswith(suffix)]
    assert renames, f"no rename to .../{digest[:2]}/{digest[2:4]}/{digest} in the trace"
    rename = renames[0]
    temp, final = rename_paths(rename, r.root)
    assert "/blobs/" in final, final

    temp_syncs = [e for e in events if e.name in ("fsync", "fdatasync") and ok(e)
                  and fd_path(e) == temp and e.end < rename.start]
    assert temp_syncs, f"temp file {temp} not fsynced before its rename {rename}"

    final_dir = os.path.dirname(final)
    dir_syncs = [e for e in events if e.name in ("fsync", "fdatasync") and ok(e)
                 and fd_path(e) == final_dir and e.start > rename.end]
    assert dir_syncs, f"directory {final_dir} not fsynced after the rename"
    dir_sync = dir_syncs[0]

    responses = [e for e in events if e.name in ("write", "writev", "sendto", "sendmsg")
                 and "HTTP/1.1 201" in e.args]
    assert responses, "no write of 'HTTP/1.1 201' in the trace (strace -s 64)"
    response = responses[0]
    assert dir_sync.end < response.start, "201 sent before the blob's directory was fsynced"

    db_syncs = [e for e in events if e.name in ("fsync", "fdatasync") and ok(e)
                and re.search(r"(\.db|-wal)$", fd_path(e) or "")
                and dir_sync.end < e.start and e.end < response.start]
    assert db_syncs, ("no fsync/fdatasync of the SQLite database or WAL between the blob "
                      "directory fsync and the 201 response")
