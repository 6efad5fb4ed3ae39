"""`regie import-ics` and `regie import-vcf`: whole exports (as Google and Outlook write them) into a
user's calendar or address book, with a report of what was taken and refused, and no duplicates
when the same file is imported again."""
from caldav_util import names_in, report

GOOGLE_EXPORT = """BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
CALSCALE:GREGORIAN\r
METHOD:PUBLISH\r
X-WR-CALNAME:Exhibitions\r
BEGIN:VTIMEZONE\r
TZID:Europe/Berlin\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700329T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Berlin:20260302T090000\r
DTEND;TZID=Europe/Berlin:20260302T100000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
DTSTAMP:20260101T000000Z\r
UID:tour@google.com\r
SUMMARY:Tour\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Berlin:20260309T150000\r
DTEND;TZID=Europe/Berlin:20260309T160000\r
RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000\r
DTSTAMP:20260101T000000Z\r
UID:tour@google.com\r
SUMMARY:Tour (afternoon)\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20260401\r
DTEND;VALUE=DATE:20260402\r
DTSTAMP:20260101T000000Z\r
UID:opening@google.com\r
SUMMARY:Opening\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20260402T100000Z\r
DTSTAMP:20260101T000000Z\r
SUMMARY:No UID here\r
END:VEVENT\r
END:VCALENDAR\r
"""

CONTACTS = """BEGIN:VCARD\r
VERSION:3.0\r
N:Schmidt;Anna;;;\r
FN:Anna Schmidt\r
UID:anna-1\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
FN:Lena Strauß\r
EMAIL:lena@example.org\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
UID:broken\r
FN;oops\r
END:VCARD\r
"""


def test_import_ics_takes_each_uid_once_and_reports_refusals(regie, tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(GOOGLE_EXPORT, newline="")
    first = regie.cli_ok("import-ics", "admin", "exhibitions", str(path)).stdout
    assert first.splitlines()[0] == "2 imported, 1 refused", first
    assert "UID" in first or "uid" in first.lower()
    again = regie.cli_ok("import-ics", "admin", "exhibitions", str(path)).stdout
    assert again.splitlines()[0] == "2 imported, 1 refused"
    cal = "/dav/calendars/admin/exhibitions/"
    body = ('<?xml version="1.0"?><C:calendar-query xmlns:d="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><C:filter>'
            '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>'
            "</C:filter></C:calendar-query>")
    assert names_in(report(regie, cal, body)) == ["opening@google.com.ics", "tour@google.com.ics"]
    tour = regie.get(cal + "tour@google.com.ics").text
    assert tour.count("BEGIN:VEVENT") == 2 and "BEGIN:VTIMEZONE" in tour
    assert "METHOD" not in tour  # A stored object carries no METHOD (RFC 4791 §4.1).


def test_import_vcf_gives_cards_without_uid_one(regie, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(CONTACTS, newline="")
    out = regie.cli_ok("import-vcf", "admin", "contacts", str(path)).stdout
    assert out.splitlines()[0] == "2 imported, 1 refused", out
    assert "line" in out  # The refusal says where.
    again = regie.cli_ok("import-vcf", "admin", "contacts", str(path)).stdout
    assert again.splitlines()[0] == "2 imported, 1 refused"
    book = "/dav/addressbooks/admin/contacts/"
    body = ('<?xml version="1.0"?><CR:addressbook-query xmlns:d="DAV:" '
            'xmlns:CR="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop>'
            "<CR:filter/></CR:addressbook-query>")
    names = names_in(report(regie, book, body))
    assert len(names) == 2 and "anna-1.vcf" in names
    r = regie.cli("import-vcf", "nobody", "contacts", str(path))
    assert r.returncode != 0


def test_export_round_trips_through_import(regie, tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(GOOGLE_EXPORT, newline="")
    regie.cli_ok("import-ics", "admin", "exhibitions", str(path))
    r = regie.get("/dav/calendars/admin/exhibitions/?export")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert 'filename="exhibitions.ics"' in r.headers["Content-Disposition"]
    assert r.text.count("BEGIN:VCALENDAR") == 1 and r.text.count("BEGIN:VTIMEZONE") == 1
    assert r.text.count("BEGIN:VEVENT") == 3  # The tour, its moved instance, the opening.
    (tmp_path / "again.ics").write_text(r.text, newline="")
    out = regie.cli_ok("import-ics", "admin", "copy", str(tmp_path / "again.ics")).stdout
    assert out.splitlines()[0] == "2 imported, 0 refused"
    vcf = tmp_path / "contacts.vcf"
    vcf.write_text(CONTACTS, newline="")
    regie.cli_ok("import-vcf", "admin", "contacts", str(vcf))
    cards = regie.get("/dav/addressbooks/admin/contacts/?export")
    assert cards.status_code == 200 and cards.text.count("BEGIN:VCARD") == 2
