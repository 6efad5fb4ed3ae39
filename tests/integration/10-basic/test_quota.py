"""A user's quota, set beside the running server, makes an upload that would exceed it fail with
507 and store nothing."""
import os


def test_quota_exceeded_is_507(regie):
    regie.add_user("bob")
    regie.cli_ok("user", "set-quota", "bob", "64KiB")
    small = os.urandom(32 * 1024)
    assert regie.put("/dav/files/bob/small", small, user="bob").status_code == 201
    big = os.urandom(48 * 1024)
    r = regie.put("/dav/files/bob/big", big, user="bob")
    assert r.status_code == 507, r.status_code
    assert regie.get("/dav/files/bob/big", user="bob").status_code == 404
    assert regie.get("/dav/files/bob/small", user="bob").content == small
    assert not regie.wait_no_stray_blob_files()

    regie.cli_ok("user", "set-quota", "bob", "1MiB")
    assert regie.put("/dav/files/bob/big", big, user="bob").status_code == 201
    assert regie.get("/dav/files/bob/big", user="bob").content == big
