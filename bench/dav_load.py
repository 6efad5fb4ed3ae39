#!/usr/bin/env python3
"""Load driver for bench/webdav.sh: fixed-count WebDAV workloads over keep-alive connections,
printing one number per run. Standard library only (Debian's python3).

  dav_load.py put URL COUNT SIZE CONCURRENCY  -> files/s (COUNT PUTs of SIZE bytes, new names)
  dav_load.py bigput URL FILE                 -> MB/s (one streamed PUT of FILE)
  dav_load.py bigget URL                      -> MB/s (one GET, body discarded)
URL is http://[user:pass@]host:port/path/ (a folder for put, a file for bigput/bigget)."""
import base64
import http.client
import multiprocessing
import os
import sys
import time
import urllib.parse


def connect(url):
    u = urllib.parse.urlsplit(url)
    headers = {}
    if u.username:
        token = base64.b64encode(f"{u.username}:{u.password}".encode()).decode()
        headers["Authorization"] = "Basic " + token
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600, blocksize=1 << 20)
    return conn, u.path, headers


def put_worker(args):
    url, names, size = args
    conn, path, headers = connect(url)
    body = os.urandom(size)
    for name in names:
        conn.request("PUT", path + name, body=body, headers=headers)
        r = conn.getresponse()
        r.read()
        if r.status not in (200, 201, 204):
            raise SystemExit(f"PUT {path + name}: {r.status}")
    conn.close()


def put(url, count, size, concurrency):
    names = [f"f{i:05}.bin" for i in range(count)]
    shards = [(url, names[i::concurrency], size) for i in range(concurrency)]
    start = time.perf_counter()
    if concurrency == 1:
        put_worker(shards[0])
    else:
        with multiprocessing.Pool(concurrency) as pool:
            pool.map(put_worker, shards)
    return count / (time.perf_counter() - start)


def bigput(url, file):
    conn, path, headers = connect(url)
    size = os.path.getsize(file)
    start = time.perf_counter()
    with open(file, "rb") as f:
        conn.request("PUT", path, body=f, headers={**headers, "Content-Length": str(size)})
        r = conn.getresponse()
        r.read()
    elapsed = time.perf_counter() - start
    if r.status not in (200, 201, 204):
        raise SystemExit(f"PUT {path}: {r.status}")
    return size / elapsed / 1e6


def bigget(url):
    conn, path, headers = connect(url)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    got = 0
    while True:
        chunk = r.read(1 << 20)
        if not chunk:
            break
        got += len(chunk)
    if r.status != 200:
        raise SystemExit(f"GET {path}: {r.status}")
    return got / (time.perf_counter() - start) / 1e6


def main():
    mode = sys.argv[1]
    if mode == "put":
        rate = put(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif mode == "bigput":
        rate = bigput(sys.argv[2], sys.argv[3])
    elif mode == "bigget":
        rate = bigget(sys.argv[2])
    else:
        raise SystemExit(__doc__)
    print(f"{rate:.1f}")


if __name__ == "__main__":
    main()
