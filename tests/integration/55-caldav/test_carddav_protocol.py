"""CardDAV (RFC 6352) on the wire: the default address book, extended MKCOL, vCard 3.0 and 4.0
PUTs with the RFC's preconditions, addressbook-query (text matches with collations and match
types, anyof/allof, limit), addressbook-multiget and sync-collection."""
from caldav_util import CARDDAV, XML, multistatus, names_in, put, report
from dav_client import error_condition, propfind, q

HOME = "/dav/addressbooks/admin/"
BOOK = HOME + "contacts/"


def vcard(uid, fn, version="4.0", extra=""):
    return (f"BEGIN:VCARD\r\nVERSION:{version}\r\nUID:{uid}\r\nFN:{fn}\r\n{extra}"
            "END:VCARD\r\n").encode()


CARDS = {
    "anna.vcf": vcard("anna", "Anna Schmidt", "3.0",
                      "N:Schmidt;Anna;;;\r\nEMAIL;TYPE=WORK:anna@staedel.example\r\n"
                      "TEL;WORK;VOICE:+49 69 1234\r\n"),
    "jose.vcf": vcard("jose", "Jose\u0301 Marti\u0301nez",
                      extra="EMAIL;TYPE=home:jose@example.org\r\n"),
    "strauss.vcf": vcard("strauss", "Lena Strauß", extra="ORG:Städel Museum\r\n"),
    "photo.vcf": vcard("photo", "Press Office", "3.0",
                       "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==\r\n"),
}


def load_book(regie):
    for name, body in CARDS.items():
        r = put(regie, BOOK + name, body, content_type="text/vcard; charset=utf-8")
        assert r.status_code == 201, (name, r.text)


def query(filter_xml, props="<d:getetag/>", limit=""):
    return (f'<?xml version="1.0"?><CR:addressbook-query xmlns:d="DAV:" xmlns:CR="{CARDDAV}">'
            f"<d:prop>{props}</d:prop>{filter_xml}{limit}</CR:addressbook-query>")


def fn_filter(text, match_type="contains", collation="i;unicode-casemap", test="anyof"):
    return (f'<CR:filter test="{test}"><CR:prop-filter name="FN"><CR:text-match '
            f'collation="{collation}" match-type="{match_type}">{text}</CR:text-match>'
            "</CR:prop-filter></CR:filter>")


def test_default_book_and_extended_mkcol(regie):
    entries, _ = multistatus(propfind(regie, HOME, names=["resourcetype", "displayname",
                                                          (CARDDAV, "supported-address-data")]))
    book = entries[BOOK]["props"]
    assert book[q("resourcetype")].find(q("addressbook", CARDDAV)) is not None
    assert book[q("displayname")].text == "Contacts"
    versions = {t.get("version") for t in book[q("supported-address-data", CARDDAV)]}
    assert versions == {"3.0", "4.0"}
    body = f"""<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:CR="{CARDDAV}"><d:set><d:prop>
      <d:resourcetype><d:collection/><CR:addressbook/></d:resourcetype>
      <d:displayname>Lenders</d:displayname></d:prop></d:set></d:mkcol>"""
    assert regie.request("MKCOL", HOME + "lenders/", data=body.encode(),
                         headers=XML).status_code == 201
    wrong = body.replace("<CR:addressbook/>", "<x:calendar xmlns:x='urn:ietf:params:xml:ns:caldav'/>")
    r = regie.request("MKCOL", HOME + "other/", data=wrong.encode(), headers=XML)
    assert r.status_code == 403 and error_condition(r) == q("valid-resourcetype")


def test_vcard_put_get_and_preconditions(regie):
    load_book(regie)
    got = regie.get(BOOK + "anna.vcf")
    assert got.content == CARDS["anna.vcf"] and got.headers["Content-Type"].startswith("text/vcard")
    for body, condition in [
        (b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:No UID\r\nEND:VCARD\r\n", "valid-address-data"),
        (b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nEND:VCARD\r\n", "valid-address-data"),
        (b"BEGIN:VCARD\r\nVERSION:2.1\r\nUID:x\r\nFN:Old\r\nEND:VCARD\r\n",
         "supported-address-data"),
        (b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nFN;broken\r\nEND:VCARD\r\n",
         "valid-address-data"),
    ]:
        r = put(regie, BOOK + "bad.vcf", body, content_type="text/vcard")
        assert r.status_code == 403, (body, r.text)
        assert error_condition(r) == q(condition, CARDDAV), (body, r.text)
    r = put(regie, BOOK + "twin.vcf", vcard("anna", "Anna Twin"), content_type="text/vcard")
    assert r.status_code == 403 and error_condition(r) == q("no-uid-conflict", CARDDAV)
    assert regie.get(BOOK + "bad.vcf").status_code == 404


def test_addressbook_query_text_matches(regie):
    load_book(regie)
    assert names_in(report(regie, BOOK, query(fn_filter("STRAUSS")))) == ["strauss.vcf"]
    assert names_in(report(regie, BOOK, query(fn_filter("josé")))) == ["jose.vcf"]
    assert names_in(report(regie, BOOK, query(fn_filter("anna", "starts-with")))) == ["anna.vcf"]
    assert names_in(report(regie, BOOK, query(fn_filter("schmidt", "ends-with")))) == ["anna.vcf"]
    assert names_in(report(regie, BOOK, query(fn_filter("anna", "equals")))) == []
    assert names_in(report(regie, BOOK, query(fn_filter("STRAUSS", collation="i;octet")))) == []
    both = (f'<CR:filter test="allof"><CR:prop-filter name="FN"><CR:text-match>anna'
            "</CR:text-match></CR:prop-filter><CR:prop-filter name=\"EMAIL\"><CR:text-match>"
            "staedel</CR:text-match></CR:prop-filter></CR:filter>")
    assert names_in(report(regie, BOOK, query(both))) == ["anna.vcf"]
    either = both.replace('test="allof"', 'test="anyof"').replace(">anna<", ">lena<")
    assert names_in(report(regie, BOOK, query(either))) == ["anna.vcf", "strauss.vcf"]
    r = report(regie, BOOK, query(fn_filter("a", collation="i;klingon")))
    assert r.status_code == 403 and error_condition(r) == q("supported-collation", CARDDAV)


def test_query_limit_and_address_data_selection(regie):
    load_book(regie)
    limited = "<CR:limit><CR:nresults>2</CR:nresults></CR:limit>"
    entries, _ = multistatus(report(regie, BOOK, query("<CR:filter/>", limit=limited)))
    assert sum(1 for e in entries.values() if e["status"] is None) == 2
    assert entries[BOOK]["status"] == 507
    props = '<CR:address-data><CR:prop name="EMAIL"/></CR:address-data>'
    entries, _ = multistatus(report(regie, BOOK, query(fn_filter("anna"), props=props)))
    data = entries[BOOK + "anna.vcf"]["props"][q("address-data", CARDDAV)].text
    assert "EMAIL" in data and "TEL" not in data and "FN:Anna Schmidt" in data


def test_multiget_and_sync(regie):
    load_book(regie)
    body = (f'<?xml version="1.0"?><CR:addressbook-multiget xmlns:d="DAV:" '
            f'xmlns:CR="{CARDDAV}"><d:prop><d:getetag/><CR:address-data/></d:prop>'
            f"<d:href>{BOOK}photo.vcf</d:href><d:href>{BOOK}nobody.vcf</d:href>"
            "</CR:addressbook-multiget>")
    entries, _ = multistatus(report(regie, BOOK, body))
    assert "PHOTO" in entries[BOOK + "photo.vcf"]["props"][q("address-data", CARDDAV)].text
    assert entries[BOOK + "nobody.vcf"]["status"] == 404
    sync = ('<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>{}'
            "</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>"
            "</d:sync-collection>")
    entries, token = multistatus(report(regie, BOOK, sync.format(""), depth="0"))
    assert len(entries) == 4
    regie.delete(BOOK + "photo.vcf")
    entries, _ = multistatus(report(regie, BOOK, sync.format(token), depth="0"))
    assert {h: e["status"] for h, e in entries.items()} == {BOOK + "photo.vcf": 404}
