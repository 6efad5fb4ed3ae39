"""Sharing calendars and address books within an organisation: `regie share` and the CS:share
POST (as Nextcloud's clients send it) grant read-only or read-write access; the sharee finds the
collection in their home as <name>_shared_by_<owner> through discovery, and can or cannot write
according to the share; other organisations' users cannot be sharees."""
import caldav

from caldav_util import CALDAV, XML, event, multistatus, put
from dav_client import propfind, q


def shared_path(kind, name, owner="admin", user="bob"):
    base = "calendars" if kind == "calendar" else "addressbooks"
    return f"/dav/{base}/{user}/{name}_shared_by_{owner}/"


def test_read_only_share_through_the_cli(regie):
    regie.add_user("bob")
    assert put(regie, "/dav/calendars/admin/personal/a.ics",
               event("a", "20260310T100000Z", "20260310T110000Z", "Opening")).status_code == 201
    out = regie.cli_ok("share", "add", "admin", "calendar", "personal", "bob").stdout
    assert "read-only" in out
    assert regie.cli_ok("share", "list", "admin", "calendar", "personal").stdout == (
        "bob read-only\n")
    # Discovery: bob's calendar home lists his own calendar and the shared one.
    entries, _ = multistatus(propfind(regie, "/dav/calendars/bob/", user="bob",
                                      names=["displayname", "current-user-privilege-set"]))
    shared = shared_path("calendar", "personal")
    assert shared in entries and "/dav/calendars/bob/personal/" in entries
    assert entries[shared]["props"][q("displayname")].text == "Personal"
    privileges = {p[0].tag for p in entries[shared]["props"][q("current-user-privilege-set")]}
    assert q("read") in privileges and q("write") not in privileges
    got = regie.get(shared + "a.ics", user="bob")
    assert got.status_code == 200 and b"Opening" in got.content
    r = put(regie, shared + "b.ics", event("b", "20260311T100000Z"), user="bob")
    assert r.status_code == 403
    assert regie.delete(shared + "a.ics", user="bob").status_code == 403
    # python3-caldav finds it too, and its search works on the share.
    client = caldav.DAVClient(url=regie.base_url + "/dav/", username="bob",
                              password=regie.passwords["bob"])
    names = [c.name for c in client.principal().calendars()]
    assert "Personal" in names and len(names) == 2
    regie.cli_ok("share", "revoke", "admin", "calendar", "personal", "bob")
    assert regie.get(shared + "a.ics", user="bob").status_code == 404


def test_read_write_share_through_a_sharing_post(regie):
    regie.add_user("bob", email="bob@museum.example")
    body = f"""<?xml version="1.0" encoding="utf-8"?>
      <o:share xmlns:d="DAV:" xmlns:o="http://owncloud.org/ns"><o:set>
      <d:href>mailto:bob@museum.example</d:href><o:read-write/></o:set></o:share>"""
    r = regie.request("POST", "/dav/calendars/admin/personal/", data=body.encode(),
                      headers={"Content-Type": "application/xml"})
    assert r.status_code == 200, r.text
    shared = shared_path("calendar", "personal")
    r = put(regie, shared + "by-bob.ics", event("by-bob", "20260312T100000Z"), user="bob")
    assert r.status_code == 201, r.text
    assert regie.get("/dav/calendars/admin/personal/by-bob.ics").status_code == 200
    # Bob leaving the share (DELETE on his view of it) keeps the owner's calendar.
    assert regie.delete(shared, user="bob").status_code == 204
    assert regie.get("/dav/calendars/admin/personal/by-bob.ics").status_code == 200
    assert propfind(regie, shared, depth="0", user="bob").status_code == 404


def test_address_book_share_and_isolation(regie):
    regie.add_user("bob")
    regie.cli_ok("org", "add", "other")
    regie.add_user("eve", org="other")
    card = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:c1\r\nFN:Anna\r\nEND:VCARD\r\n"
    assert put(regie, "/dav/addressbooks/admin/contacts/c1.vcf", card,
               content_type="text/vcard").status_code == 201
    regie.cli_ok("share", "add", "admin", "addressbook", "contacts", "bob", "--read-write")
    assert regie.get(shared_path("addressbook", "contacts") + "c1.vcf",
                     user="bob").status_code == 200
    r = regie.cli("share", "add", "admin", "addressbook", "contacts", "eve")
    assert r.returncode != 0
    assert regie.get(shared_path("addressbook", "contacts", user="eve") + "c1.vcf",
                     user="eve").status_code == 404
    # Nobody sees another user's home directly.
    assert propfind(regie, "/dav/addressbooks/admin/", user="bob").status_code == 404


def test_published_calendar_is_readable_by_link_until_revoked(regie):
    assert put(regie, "/dav/calendars/admin/personal/a.ics",
               event("a", "20260310T100000Z", "20260310T110000Z", "Open day")).status_code == 201
    url = regie.cli_ok("publish", "admin", "personal").stdout.strip()
    token = url.removeprefix("/pub/calendars/").removesuffix(".ics")
    assert len(token) == 32 and all(c in "0123456789abcdef" for c in token)
    r = regie.request("GET", url, user=None)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert "Open day" in r.text and r.text.count("BEGIN:VCALENDAR") == 1
    assert regie.request("PUT", url, user=None, data=b"x").status_code == 405
    assert regie.request("GET", "/pub/calendars/" + "0" * 32 + ".ics",
                         user=None).status_code == 404
    # The CalendarServer publish request makes another link; unpublish revokes them all.
    r = regie.request("POST", "/dav/calendars/admin/personal/",
                      data=b'<?xml version="1.0"?><CS:publish-calendar '
                           b'xmlns:CS="http://calendarserver.org/ns/"/>',
                      headers={"Content-Type": "application/xml"})
    assert r.status_code == 200 and r.headers["Location"].startswith("/pub/calendars/")
    regie.cli_ok("unpublish", "admin", "personal")
    assert regie.request("GET", url, user=None).status_code == 404
    assert regie.request("GET", r.headers["Location"], user=None).status_code == 404


def sharing_props(regie, path, user="admin"):
    body = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:" '
            b'xmlns:CS="http://calendarserver.org/ns/"><d:prop><CS:invite/><CS:publish-url/>'
            b'</d:prop></d:propfind>')
    r = regie.request("PROPFIND", path, user=user, data=body, headers={"Depth": "0"})
    assert r.status_code == 207, r.text
    entries, _ = multistatus(r)
    return next(iter(entries.values()))


def test_the_owner_sees_sharees_and_the_public_link_as_properties(regie):
    regie.add_user("bob")
    regie.cli_ok("group", "add", "press", "--org", "default")
    cs = "{http://calendarserver.org/ns/}"
    entry = sharing_props(regie, "/dav/calendars/admin/personal/")
    assert entry["props"][cs + "invite"] is not None
    assert len(entry["props"][cs + "invite"]) == 0  # Shared with nobody yet.
    assert cs + "publish-url" in entry["missing"]  # Not published.
    regie.cli_ok("share", "add", "admin", "calendar", "personal", "bob", "--read-write")
    regie.cli_ok("share", "add", "admin", "calendar", "personal", "press")
    token_path = regie.cli_ok("publish", "admin", "personal").stdout.strip()
    entry = sharing_props(regie, "/dav/calendars/admin/personal/")
    users = {u.find("{DAV:}href").text: u for u in entry["props"][cs + "invite"]}
    assert set(users) == {"/dav/principals/bob/", "principal:principals/groups/press"}
    assert users["/dav/principals/bob/"].find(cs + "access").find(cs + "read-write") is not None
    assert users["principal:principals/groups/press"].find(cs + "access").find(
        cs + "read") is not None
    url = entry["props"][cs + "publish-url"].find("{DAV:}href").text
    assert url == regie.base_url + token_path
    assert regie.request("GET", url.removeprefix(regie.base_url), user=None).status_code == 200
    # The sharee sees neither whom else it is shared with nor the public link.
    shared = sharing_props(regie, shared_path("calendar", "personal"), user="bob")
    assert cs + "invite" in shared["missing"] and cs + "publish-url" in shared["missing"]
