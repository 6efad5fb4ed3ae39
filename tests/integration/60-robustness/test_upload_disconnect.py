"""A client that disconnects mid-upload leaves no file (404) and no temp files behind, and the
server keeps serving."""
import os
import socket
import struct
import time

import pytest

from regie_harness import basic_auth_header


def start_upload(regie, path, chunked):
    s = socket.create_connection(("127.0.0.1", regie.port), timeout=10)
    head = f"PUT {path} HTTP/1.1\r\nHost: x\r\n{basic_auth_header('admin', regie.admin)}"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else "Content-Length: 8388608\r\n\r\n"
    s.sendall(head.encode())
    part = os.urandom(256 * 1024)
    for _ in range(8):  # 2 MiB of the promised 8 MiB
        s.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
    time.sleep(0.5)  # let the server write some of it
    return s


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("abort", ["close", "reset"])
def test_disconnect_mid_upload(regie, chunked, abort):
    path = f"/dav/files/admin/partial-{int(chunked)}-{abort}.bin"
    s = start_upload(regie, path, chunked)
    if abort == "reset":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()

    stray = regie.wait_no_stray_blob_files(timeout=10)
    assert not stray, f"temp files left after an aborted upload: {stray}"
    assert regie.get(path).status_code == 404
    assert regie.put(path, b"whole").status_code == 201
    assert regie.get(path).content == b"whole"
