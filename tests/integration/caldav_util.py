"""Helpers for the CalDAV and CardDAV protocol tests: bodies and requests as clients send them."""
import re
import urllib.parse

from dav_client import parse_multistatus

CALDAV = "urn:ietf:params:xml:ns:caldav"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
XML = {"Content-Type": "application/xml; charset=utf-8"}


def event(uid, start, end=None, summary="Event", extra="", kind="VEVENT"):
    """A calendar object with one component; times are UTC ("20260310T100000Z") or DATEs."""
    def prop(name, value):
        return f"{name};VALUE=DATE:{value}\n" if len(value) == 8 else f"{name}:{value}\n"
    lines = f"BEGIN:{kind}\nUID:{uid}\nDTSTAMP:20260101T000000Z\n" + prop("DTSTART", start)
    if end:
        lines += prop("DUE" if kind == "VTODO" else "DTEND", end)
    lines += f"SUMMARY:{summary}\n{extra}END:{kind}\n"
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Regie tests//EN\r\n" + lines +
            "END:VCALENDAR\r\n").replace("\r\n", "\n").replace("\n", "\r\n").encode()


def put(regie, path, body, content_type="text/calendar; charset=utf-8", user="admin",
        **headers):
    headers["Content-Type"] = content_type
    return regie.put(path, data=body, headers=headers, user=user)


def report(regie, path, body, depth="1"):
    headers = dict(XML, Depth=depth)
    return regie.request("REPORT", path, data=body.encode(), headers=headers)


def multistatus(response):
    assert response.status_code == 207, (response.status_code, response.text)
    return parse_multistatus(response.content)


def names_in(response):
    """The last path segments of the 200 responses of a multistatus, sorted."""
    entries, _ = multistatus(response)
    return sorted(urllib.parse.unquote(h.rstrip("/").rsplit("/", 1)[-1])
                  for h, e in entries.items() if e["status"] is None)


def calendar_query(filter_xml, props="<d:getetag/>", timezone=""):
    return (f'<?xml version="1.0"?><C:calendar-query xmlns:d="DAV:" xmlns:C="{CALDAV}">'
            f"<d:prop>{props}</d:prop><C:filter>{filter_xml}</C:filter>{timezone}"
            "</C:calendar-query>")


def time_range_filter(start, end, comp="VEVENT"):
    return (f'<C:comp-filter name="VCALENDAR"><C:comp-filter name="{comp}">'
            f'<C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter>')


def metric(regie, name):
    text = regie.get("/metrics", user=None).text
    match = re.search(rf"^{name} (\d+)$", text, re.M)
    assert match, f"{name} not in /metrics"
    return int(match.group(1))
