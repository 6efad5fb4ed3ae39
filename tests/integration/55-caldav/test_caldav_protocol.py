"""CalDAV (RFC 4791) on the wire: discovery, MKCALENDAR and calendar properties, PUT with the
RFC's preconditions, GET/DELETE with ETags, calendar-query (time ranges on recurring, all-day and
floating events, text matches with Unicode case folding, VTODO), calendar-multiget,
sync-collection, free-busy-query, and bounded recurrence."""
import time

from caldav_util import (CALDAV, XML, calendar_query, event, metric, multistatus, names_in, put,
                         report, time_range_filter)
from dav_client import error_condition, propfind, q

HOME = "/dav/calendars/admin/"
CAL = HOME + "personal/"


def test_discovery_from_well_known_to_the_homes(regie):
    r = regie.request("GET", "/.well-known/caldav", user=None)
    assert r.status_code == 301 and r.headers["Location"] == "/dav/"
    assert regie.request("GET", "/.well-known/carddav", user=None).headers["Location"] == "/dav/"
    entries, _ = multistatus(propfind(regie, "/dav/", depth="0", names=["current-user-principal"]))
    principal = entries["/dav/"]["props"][q("current-user-principal")].find(q("href")).text
    assert principal == "/dav/principals/admin/"
    entries, _ = multistatus(propfind(regie, principal, depth="0", names=[
        (CALDAV, "calendar-home-set"), ("urn:ietf:params:xml:ns:carddav", "addressbook-home-set"),
        (CALDAV, "calendar-user-address-set"), "displayname"]))
    props = entries[principal]["props"]
    assert props[q("calendar-home-set", CALDAV)].find(q("href")).text == HOME
    assert (props[q("addressbook-home-set", "urn:ietf:params:xml:ns:carddav")]
            .find(q("href")).text == "/dav/addressbooks/admin/")
    assert props[q("calendar-user-address-set", CALDAV)].find(q("href")) is not None
    r = regie.request("OPTIONS", CAL)
    assert "calendar-access" in r.headers["DAV"] and "MKCALENDAR" in r.headers["Allow"]


def test_new_user_has_a_personal_calendar(regie):
    entries, _ = multistatus(propfind(regie, HOME, names=[
        "resourcetype", "displayname", (CALDAV, "supported-calendar-component-set")]))
    cal = entries[CAL]["props"]
    assert cal[q("resourcetype")].find(q("calendar", CALDAV)) is not None
    assert cal[q("displayname")].text == "Personal"
    comps = {c.get("name") for c in cal[q("supported-calendar-component-set", CALDAV)]}
    assert comps == {"VEVENT", "VTODO"}


def test_mkcalendar_with_properties_and_proppatch(regie):
    body = f"""<?xml version="1.0"?><C:mkcalendar xmlns:d="DAV:" xmlns:C="{CALDAV}"
      xmlns:A="http://apple.com/ns/ical/"><d:set><d:prop>
      <d:displayname>Loans 2026</d:displayname>
      <C:calendar-description>Outgoing loans</C:calendar-description>
      <A:calendar-color>#FF5733FF</A:calendar-color>
      <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>
      </d:prop></d:set></C:mkcalendar>"""
    r = regie.request("MKCALENDAR", HOME + "loans/", data=body.encode(), headers=XML)
    assert r.status_code == 201, r.text
    assert regie.request("MKCALENDAR", HOME + "loans/").status_code == 405
    entries, _ = multistatus(propfind(regie, HOME + "loans/", depth="0", names=[
        "displayname", (CALDAV, "calendar-description"), ("http://apple.com/ns/ical/",
        "calendar-color"), (CALDAV, "supported-calendar-component-set"), "sync-token",
        ("http://calendarserver.org/ns/", "getctag"), (CALDAV, "max-resource-size"),
        (CALDAV, "supported-calendar-data"), "supported-report-set"]))
    props = entries[HOME + "loans/"]["props"]
    assert props[q("displayname")].text == "Loans 2026"
    assert props[q("calendar-description", CALDAV)].text == "Outgoing loans"
    assert props[q("calendar-color", "http://apple.com/ns/ical/")].text == "#FF5733FF"
    assert [c.get("name") for c in props[q("supported-calendar-component-set", CALDAV)]] == [
        "VTODO"]
    assert int(props[q("max-resource-size", CALDAV)].text) == 1 << 20
    assert props[q("sync-token")].text.startswith("urn:regie:sync:")
    # An event is refused by a task-only calendar (RFC 4791 §5.3.2.1).
    r = put(regie, HOME + "loans/e.ics", event("e1", "20260310T100000Z", "20260310T110000Z"))
    assert r.status_code == 403
    assert error_condition(r) == q("supported-calendar-component", CALDAV)
    # The component set is fixed; displayname is the client's to change.
    patch = f"""<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:C="{CALDAV}">
      <d:set><d:prop><C:supported-calendar-component-set><C:comp name="VEVENT"/>
      </C:supported-calendar-component-set></d:prop></d:set></d:propertyupdate>"""
    r = regie.request("PROPPATCH", HOME + "loans/", data=patch.encode(), headers=XML)
    assert r.status_code == 207 and "403" in r.text
    patch = """<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop>
      <d:displayname>Loans</d:displayname></d:prop></d:set></d:propertyupdate>"""
    assert regie.request("PROPPATCH", HOME + "loans/", data=patch.encode(),
                         headers=XML).status_code == 207
    entries, _ = multistatus(propfind(regie, HOME + "loans/", depth="0", names=["displayname"]))
    assert entries[HOME + "loans/"]["props"][q("displayname")].text == "Loans"
    assert regie.delete(HOME + "loans/").status_code == 204
    assert propfind(regie, HOME + "loans/", depth="0").status_code == 404


def test_put_get_delete_with_etags_and_preconditions(regie):
    body = event("ev-1", "20260310T100000Z", "20260310T110000Z", "Board meeting")
    r = put(regie, CAL + "ev-1.ics", body, **{"If-None-Match": "*"})
    assert r.status_code == 201, r.text
    etag = r.headers["ETag"]
    got = regie.get(CAL + "ev-1.ics")
    assert got.content == body and got.headers["ETag"] == etag
    assert got.headers["Content-Type"].startswith("text/calendar")
    assert put(regie, CAL + "ev-1.ics", body, **{"If-None-Match": "*"}).status_code == 412
    assert put(regie, CAL + "ev-1.ics", body, **{"If-Match": '"stale"'}).status_code == 412
    changed = event("ev-1", "20260310T100000Z", "20260310T120000Z", "Board meeting (long)")
    r = put(regie, CAL + "ev-1.ics", changed, **{"If-Match": etag})
    assert r.status_code == 204 and r.headers["ETag"] != etag
    assert regie.delete(CAL + "ev-1.ics", headers={"If-Match": etag}).status_code == 412
    assert regie.delete(CAL + "ev-1.ics").status_code == 204
    assert regie.get(CAL + "ev-1.ics").status_code == 404


def test_bad_calendar_data_is_refused_with_the_rfc_precondition(regie):
    cases = [
        (b"this is not iCalendar", "valid-calendar-data"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n",
         "valid-calendar-object-resource"),
        (event("no-uid", "20260310T100000Z").replace(b"UID:no-uid\r\n", b""),
         "valid-calendar-object-resource"),
        (event("m", "20260310T100000Z").replace(b"VERSION:2.0", b"VERSION:2.0\r\nMETHOD:REQUEST"),
         "valid-calendar-object-resource"),
    ]
    for body, condition in cases:
        r = put(regie, CAL + "bad.ics", body)
        assert r.status_code == 403, (body, r.status_code, r.text)
        assert error_condition(r) == q(condition, CALDAV), (body, r.text)
    r = put(regie, CAL + "bad.ics", event("x", "20260310T100000Z"), content_type="text/plain")
    assert r.status_code == 415
    big = event("big", "20260310T100000Z", extra="DESCRIPTION:" + "x" * (1 << 20) + "\n")
    r = put(regie, CAL + "big.ics", big)
    assert r.status_code == 413 and error_condition(r) == q("max-resource-size", CALDAV)
    assert regie.get(CAL + "bad.ics").status_code == 404


def test_uid_is_unique_per_calendar_and_fixed_per_object(regie):
    assert put(regie, CAL + "a.ics", event("same", "20260310T100000Z")).status_code == 201
    r = put(regie, CAL + "b.ics", event("same", "20260311T100000Z"))
    assert r.status_code == 403 and error_condition(r) == q("no-uid-conflict", CALDAV)
    assert CAL + "a.ics" in r.text  # The precondition names the object that has the UID.
    r = put(regie, CAL + "a.ics", event("other", "20260310T100000Z"))
    assert r.status_code == 403 and error_condition(r) == q("no-uid-conflict", CALDAV)
    assert regie.request("MKCALENDAR", HOME + "second/").status_code == 201
    assert put(regie, HOME + "second/a.ics", event("same", "20260310T100000Z")).status_code == 201


def load_calendar(regie):
    objects = {
        "single.ics": event("single", "20260310T100000Z", "20260310T110000Z", "Straßenfest"),
        "weekly.ics": event("weekly", "20260302T090000Z", "20260302T100000Z", "Tour",
                            "RRULE:FREQ=WEEKLY;COUNT=10\nEXDATE:20260316T090000Z\n"),
        "endless.ics": event("endless", "20200106T080000Z", "20200106T083000Z", "Standup",
                             "RRULE:FREQ=WEEKLY;BYDAY=MO\n"),
        "allday.ics": event("allday", "20260312", "20260313", "İstanbul visit"),
        "floating.ics": event("floating", "20260313T230000", "20260313T233000", "Night shift"),
        "todo.ics": event("todo", "20260310T000000Z", "20260320T000000Z", "Catalogue",
                          kind="VTODO"),
    }
    for name, body in objects.items():
        assert put(regie, CAL + name, body).status_code == 201, name


def test_time_range_queries_on_recurring_all_day_and_floating_events(regie):
    load_calendar(regie)
    week = time_range_filter("20260309T000000Z", "20260316T000000Z")
    assert names_in(report(regie, CAL, calendar_query(week))) == [
        "allday.ics", "endless.ics", "floating.ics", "single.ics", "weekly.ics"]
    # 16 March 09:00 is excluded (EXDATE); the endless Monday standup still recurs.
    monday = time_range_filter("20260316T000000Z", "20260317T000000Z")
    assert names_in(report(regie, CAL, calendar_query(monday))) == ["endless.ics"]
    # Far beyond the indexed horizon the endless rule still answers, from the object itself.
    far = time_range_filter("20400102T000000Z", "20400103T000000Z")
    assert names_in(report(regie, CAL, calendar_query(far))) == ["endless.ics"]
    after = time_range_filter("20260505T000000Z", "20260506T000000Z")
    assert names_in(report(regie, CAL, calendar_query(after))) == []
    todos = time_range_filter("20260315T000000Z", "20260316T000000Z", comp="VTODO")
    assert names_in(report(regie, CAL, calendar_query(todos))) == ["todo.ics"]


def test_floating_times_follow_the_query_time_zone(regie):
    load_calendar(regie)
    # 23:00 floating on 13 March is 22:00 UTC in Berlin (UTC+1); in Auckland (UTC+13) it is
    # 10:00 UTC the same day.
    tz = ("<C:timezone>BEGIN:VCALENDAR&#13;\nVERSION:2.0&#13;\nPRODID:x&#13;\n"
          "BEGIN:VTIMEZONE&#13;\nTZID:Pacific/Auckland&#13;\nBEGIN:STANDARD&#13;\n"
          "DTSTART:19700101T000000&#13;\nTZOFFSETFROM:+1300&#13;\nTZOFFSETTO:+1300&#13;\n"
          "END:STANDARD&#13;\nEND:VTIMEZONE&#13;\nEND:VCALENDAR&#13;\n</C:timezone>")
    window = time_range_filter("20260313T093000Z", "20260313T110000Z")
    assert "floating.ics" not in names_in(report(regie, CAL, calendar_query(window)))
    assert "floating.ics" in names_in(report(regie, CAL, calendar_query(window, timezone=tz)))


def test_text_match_uses_unicode_case_folding(regie):
    load_calendar(regie)

    def summary_matches(text, collation="i;unicode-casemap", negate="no"):
        f = (f'<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
             f'<C:prop-filter name="SUMMARY"><C:text-match collation="{collation}" '
             f'negate-condition="{negate}">{text}</C:text-match></C:prop-filter>'
             "</C:comp-filter></C:comp-filter>")
        return names_in(report(regie, CAL, calendar_query(f)))
    assert summary_matches("STRASSE") == ["single.ics"]
    assert summary_matches("i\u0307stanbul") == ["allday.ics"]  # NFD of İ's case fold.
    assert summary_matches("STRASSE", collation="i;ascii-casemap") == []
    assert "single.ics" not in summary_matches("straße", negate="yes")
    r = report(regie, CAL, calendar_query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter '
        'name="SUMMARY"><C:text-match collation="i;klingon">x</C:text-match></C:prop-filter>'
        "</C:comp-filter></C:comp-filter>"))
    assert r.status_code == 403 and error_condition(r) == q("supported-collation", CALDAV)


def test_query_returns_calendar_data_and_expands_instances(regie):
    load_calendar(regie)
    props = ('<d:getetag/><C:calendar-data><C:expand start="20260301T000000Z" '
             'end="20260317T000000Z"/></C:calendar-data>')
    r = report(regie, CAL, calendar_query(
        time_range_filter("20260301T000000Z", "20260317T000000Z"), props=props))
    entries, _ = multistatus(r)
    data = entries[CAL + "weekly.ics"]["props"][q("calendar-data", CALDAV)].text
    assert data.count("BEGIN:VEVENT") == 2  # 2 and 9 March; 16 March is excluded.
    assert "RRULE" not in data and "RECURRENCE-ID" in data


def test_plain_time_range_queries_parse_no_fixed_event(regie):
    for i in range(200):
        day = 1 + i % 28
        body = event(f"e{i}", f"202603{day:02}T100000Z", f"202603{day:02}T110000Z", f"Event {i}")
        assert put(regie, CAL + f"e{i}.ics", body).status_code == 201
    before = metric(regie, "regie_ical_parses_total")
    r = report(regie, CAL, calendar_query(time_range_filter("20260305T000000Z",
                                                            "20260306T000000Z")))
    assert len(names_in(r)) == len([i for i in range(200) if 1 + i % 28 == 5])
    assert metric(regie, "regie_ical_parses_total") == before


def test_multiget_returns_found_objects_and_404_for_the_rest(regie):
    load_calendar(regie)
    body = (f'<?xml version="1.0"?><C:calendar-multiget xmlns:d="DAV:" xmlns:C="{CALDAV}">'
            "<d:prop><d:getetag/><C:calendar-data/></d:prop>"
            f"<d:href>{CAL}single.ics</d:href><d:href>{CAL}missing.ics</d:href>"
            f"<d:href>http://localhost{CAL}todo.ics</d:href></C:calendar-multiget>")
    entries, _ = multistatus(report(regie, CAL, body))
    assert entries[CAL + "missing.ics"]["status"] == 404
    assert "Straßenfest" in entries[CAL + "single.ics"]["props"][q("calendar-data", CALDAV)].text
    assert q("getetag") in entries[CAL + "todo.ics"]["props"]


def test_sync_collection_reports_changes_and_removals(regie):
    def sync(token=""):
        body = ('<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:">'
                f"<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>"
                "<d:prop><d:getetag/></d:prop></d:sync-collection>")
        return multistatus(report(regie, CAL, body, depth="0"))
    put(regie, CAL + "a.ics", event("a", "20260310T100000Z"))
    put(regie, CAL + "b.ics", event("b", "20260310T100000Z"))
    entries, token = sync()
    assert sorted(entries) == [CAL + "a.ics", CAL + "b.ics"]
    put(regie, CAL + "a.ics", event("a", "20260311T100000Z"))
    regie.delete(CAL + "b.ics")
    put(regie, CAL + "c.ics", event("c", "20260310T100000Z"))
    entries, token2 = sync(token)
    assert {h: e["status"] for h, e in entries.items()} == {
        CAL + "a.ics": None, CAL + "b.ics": 404, CAL + "c.ics": None}
    assert sync(token2)[0] == {}
    body = ('<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>'
            "urn:regie:sync:999:1</d:sync-token><d:sync-level>1</d:sync-level>"
            "<d:prop><d:getetag/></d:prop></d:sync-collection>")
    r = report(regie, CAL, body, depth="0")
    assert r.status_code == 403 and error_condition(r) == q("valid-sync-token")


def test_free_busy_query(regie):
    load_calendar(regie)
    body = (f'<?xml version="1.0"?><C:free-busy-query xmlns:C="{CALDAV}">'
            '<C:time-range start="20260310T000000Z" end="20260311T000000Z"/>'
            "</C:free-busy-query>")
    r = report(regie, CAL, body)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VFREEBUSY" in r.text
    assert "20260310T100000Z/20260310T110000Z" in r.text.replace("\r\n ", "")


def test_endless_and_huge_recurrences_stay_bounded(regie):
    bombs = {
        "seconds.ics": "RRULE:FREQ=SECONDLY\n",
        "millions.ics": "RRULE:FREQ=MINUTELY;COUNT=50000000\n",
        "rare.ics": "RRULE:FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2\n",
    }
    started = time.monotonic()
    for name, rule in bombs.items():
        r = put(regie, CAL + name, event(name, "20260301T000000Z", "20260301T000001Z", extra=rule))
        assert r.status_code == 201, (name, r.text)
    # Nearby instances are found (DTSTART is the first instance of each, RFC 5545 §3.8.5.3);
    # February never has a 31st; whether instances decades out are still found depends on the
    # expansion cap, but the answer comes quickly either way.
    near = time_range_filter("20260301T000000Z", "20260301T000010Z")
    assert names_in(report(regie, CAL, calendar_query(near))) == [
        "millions.ics", "rare.ics", "seconds.ics"]
    later = time_range_filter("20260301T000005Z", "20260301T000010Z")
    assert names_in(report(regie, CAL, calendar_query(later))) == ["seconds.ics"]
    far = time_range_filter("20300101T000000Z", "20300102T000000Z")
    assert "rare.ics" not in names_in(report(regie, CAL, calendar_query(far)))
    assert time.monotonic() - started < 30
