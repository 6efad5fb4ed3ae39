"""/dav/principals/<login>/ is what DAV:current-user-principal points to (RFC 5397): it answers
PROPFIND with the user's display name and principal URL; another user's principal is 404."""
from dav_client import listing, propfind, q


def test_current_user_principal_leads_to_the_principal(regie):
    regie.add_user("bob", password="bob-password-1")
    files = listing(regie, "/dav/files/bob/", depth="0", names=("current-user-principal",),
                    user="bob")
    href = files["/dav/files/bob/"]["props"][q("current-user-principal")].find(q("href")).text
    assert href == "/dav/principals/bob/"
    entries = listing(regie, href, depth="0",
                      names=("displayname", "principal-URL", "resourcetype", "getetag"),
                      user="bob")
    props = entries[href]["props"]
    assert props[q("displayname")].text == "bob"
    assert props[q("principal-URL")].find(q("href")).text == href
    assert props[q("resourcetype")].find(q("principal")) is not None
    assert q("getetag") in entries[href]["missing"]
    assert propfind(regie, "/dav/principals/admin/", depth="0", user="bob").status_code == 404
    assert regie.request("PUT", href, data=b"x", user="bob").status_code == 405
