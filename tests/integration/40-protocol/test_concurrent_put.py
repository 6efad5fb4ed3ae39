"""Concurrent PUTs of different bodies to one path: afterwards GET returns exactly one of them,
byte-exact, with the ETag that body's PUT returned."""
import os
import threading

N = 8


def test_last_writer_wins_whole(regie):
    for round_ in range(3):
        path = f"/dav/files/admin/race-{round_}.bin"
        bodies = [os.urandom(256 * 1024 + i) for i in range(N)]
        results = [None] * N
        barrier = threading.Barrier(N, timeout=30)

        def upload(i):
            s = regie.session()
            try:
                barrier.wait()
                results[i] = regie.put(path, bodies[i], session=s)
            except Exception as e:  # reported below
                results[i] = e
            finally:
                s.close()

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "an upload hung"
        for i, r in enumerate(results):
            assert not isinstance(r, Exception), f"upload {i}: {r!r}"
            assert r.status_code in (201, 204), (i, r.status_code)
        assert sum(r.status_code == 201 for r in results) >= 1

        g = regie.get(path)
        assert g.status_code == 200
        assert g.content in bodies, "GET returned none of the uploaded bodies"
        winner = bodies.index(g.content)
        assert g.headers.get("ETag") == results[winner].headers.get("ETag"), \
            "ETag does not match the PUT of the body returned"
