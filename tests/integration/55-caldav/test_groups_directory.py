"""Groups and the directory: a calendar shared with a group reaches every member (and only while
they belong), through the CLI and the CS:share POST; every address book home holds the read-only
address book "directory" with the organisation's enabled users, which CardDAV clients query and
sync like any other."""
from caldav_util import CARDDAV, XML, event, multistatus, put
from dav_client import propfind, q, sync_collection


def test_group_share_reaches_members_only_while_they_belong(regie):
    regie.add_user("bob")
    regie.add_user("carol")
    regie.cli_ok("group", "add", "press", "--org", "default", "--display-name", "Press office")
    regie.cli_ok("group", "add-member", "press", "bob")
    groups = regie.cli_json("group", "list", "--json")
    assert groups == [{"name": "press", "org": "default", "display_name": "Press office",
                       "members": ["bob"]}]
    # A group is no user: no login, no user commands, not in the user list.
    assert "press" not in [u["login"] for u in regie.cli_json("user", "list", "--json")]
    assert regie.cli("user", "passwd", "press", "--password-stdin",
                     input="password-123\n").returncode == 1
    assert regie.request("PROPFIND", "/dav/", user="press", password="").status_code == 401

    assert put(regie, "/dav/calendars/admin/personal/a.ics",
               event("a", "20260310T100000Z", "20260310T110000Z", "Press day")).status_code == 201
    regie.cli_ok("share", "add", "admin", "calendar", "personal", "press", "--read-write")
    assert regie.cli_ok("share", "list", "admin", "calendar", "personal").stdout == (
        "press read-write (group)\n")
    shared = "/dav/calendars/bob/personal_shared_by_admin/"
    entries, _ = multistatus(propfind(regie, "/dav/calendars/bob/", user="bob",
                                      names=["displayname"]))
    assert shared in entries
    assert put(regie, shared + "b.ics", event("b", "20260311T100000Z"),
               user="bob").status_code == 201
    assert regie.get("/dav/calendars/admin/personal/b.ics").status_code == 200
    # Carol is not in the group; bob cannot leave a group's share himself.
    assert regie.get("/dav/calendars/carol/personal_shared_by_admin/a.ics",
                     user="carol").status_code == 404
    assert regie.delete(shared, user="bob").status_code == 403
    regie.cli_ok("group", "remove-member", "press", "bob")
    assert regie.get(shared + "a.ics", user="bob").status_code == 404
    assert regie.cli("group", "add-member", "press", "nobody").returncode == 1


def test_sharing_post_names_a_group_by_its_principal(regie):
    regie.add_user("bob")
    regie.cli_ok("group", "add", "staff", "--org", "default")
    regie.cli_ok("group", "add-member", "staff", "bob")
    body = """<?xml version="1.0" encoding="utf-8"?>
      <o:share xmlns:d="DAV:" xmlns:o="http://owncloud.org/ns"><o:set>
      <d:href>principal:principals/groups/staff</d:href></o:set></o:share>"""
    r = regie.request("POST", "/dav/addressbooks/admin/contacts/", data=body.encode(),
                      headers={"Content-Type": "application/xml"})
    assert r.status_code == 200, r.text
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:l1\r\nFN:Lender\r\nN:;;;;\r\nEND:VCARD\r\n"
    shared = "/dav/addressbooks/bob/contacts_shared_by_admin/"
    assert put(regie, shared + "l1.vcf", card, content_type="text/vcard",
               user="bob").status_code == 403
    assert put(regie, "/dav/addressbooks/admin/contacts/l1.vcf", card,
               content_type="text/vcard").status_code == 201
    assert regie.get(shared + "l1.vcf", user="bob").status_code == 200
    # Deleting the group ends the share.
    regie.cli_ok("group", "delete", "staff")
    assert regie.get(shared + "l1.vcf", user="bob").status_code == 404


def directory_query(text):
    return (f'<?xml version="1.0"?><CR:addressbook-query xmlns:d="DAV:" xmlns:CR="{CARDDAV}">'
            '<d:prop><d:getetag/><CR:address-data/></d:prop><CR:filter><CR:prop-filter name="FN">'
            f'<CR:text-match collation="i;unicode-casemap">{text}</CR:text-match>'
            "</CR:prop-filter></CR:filter></CR:addressbook-query>")


def test_directory_lists_the_organisations_users_read_only(regie):
    regie.add_user("bob")
    regie.cli_ok("user", "add", "lena", "--org", "default", "--name", "Lena Strauß",
                 "--email", "lena@museum.example", "--password-stdin", input="password-123\n")
    regie.cli_ok("org", "add", "other")
    regie.add_user("eve", org="other")
    book = "/dav/addressbooks/bob/directory/"
    entries, _ = multistatus(propfind(regie, "/dav/addressbooks/bob/", user="bob",
                                      names=["displayname", "current-user-privilege-set",
                                             "resourcetype"]))
    assert book in entries
    props = entries[book]["props"]
    assert props[q("displayname")].text == "Directory"
    assert props[q("resourcetype")].find(q("addressbook", CARDDAV)) is not None
    privileges = {p[0].tag for p in props[q("current-user-privilege-set")]}
    assert q("read") in privileges and q("write") not in privileges

    entries, _ = multistatus(propfind(regie, book, user="bob", names=["getetag"]))
    cards = sorted(h.rsplit("/", 1)[-1] for h in entries if h != book)
    assert cards == ["admin.vcf", "bob.vcf", "lena.vcf"]  # Not eve, of another organisation.
    r = regie.request("REPORT", book, user="bob", data=directory_query("STRAUSS").encode(),
                      headers=dict(XML, Depth="1"))
    entries, _ = multistatus(r)
    assert list(entries) == [book + "lena.vcf"]
    data = entries[book + "lena.vcf"]["props"][q("address-data", CARDDAV)].text
    assert "FN:Lena Strauß" in data and "EMAIL;TYPE=INTERNET,WORK:lena@museum.example" in data

    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:X\r\nN:;;;;\r\nEND:VCARD\r\n"
    assert put(regie, book + "x.vcf", card, content_type="text/vcard",
               user="bob").status_code == 403
    assert regie.delete(book + "lena.vcf", user="bob").status_code == 403
    assert regie.delete(book, user="bob").status_code == 403
    mkcol = f"""<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:CR="{CARDDAV}"><d:set><d:prop>
      <d:resourcetype><d:collection/><CR:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>"""
    assert regie.request("MKCOL", book, user="bob", data=mkcol.encode(),
                         headers=XML).status_code == 405

    # A sync client learns of a disabled account at its next sync.
    r = sync_collection(regie, book, user="bob")
    _, token = multistatus(r)
    regie.cli_ok("user", "disable", "lena")
    entries, _ = multistatus(sync_collection(regie, book, token=token, user="bob"))
    assert list(entries) == [book + "lena.vcf"] and entries[book + "lena.vcf"]["status"] == 404
