"""python3-caldav (Debian's 0.11) against Regie: discovery from /dav/, the default calendar,
making a calendar, creating, updating and deleting events (recurring with an exception and a
moved instance, in a time zone, all-day), time-range searches with expansion, and sync tokens."""
import datetime as dt

import caldav

BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def vcalendar(*components, timezone=True):
    body = "".join(components)
    tz = BERLIN if timezone else ""
    return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Regie tests//EN\n" + tz + body +
            "END:VCALENDAR\n")


def vevent(uid, start, end, summary, extra=""):
    return (f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20260101T000000Z\n"
            f"DTSTART;TZID=Europe/Berlin:{start}\nDTEND;TZID=Europe/Berlin:{end}\n"
            f"SUMMARY:{summary}\n{extra}END:VEVENT\n")


# A weekly opening tour on Mondays 09:00 Berlin time from 2 March 2026, ten times; 16 March
# cancelled, 23 March moved to 14:00.
TOUR = vcalendar(
    vevent("tour-1", "20260302T090000", "20260302T100000", "Opening tour",
           "RRULE:FREQ=WEEKLY;COUNT=10\nEXDATE;TZID=Europe/Berlin:20260316T090000\n"),
    vevent("tour-1", "20260323T140000", "20260323T150000", "Opening tour (afternoon)",
           "RECURRENCE-ID;TZID=Europe/Berlin:20260323T090000\n"))


def client(regie):
    return caldav.DAVClient(url=regie.base_url + "/dav/", username="admin",
                            password=regie.admin)


def berlin(*args):
    # Berlin is UTC+1 in March before the 29th.
    return dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def summaries(objects):
    return sorted(str(o.vobject_instance.vevent.summary.value) for o in objects)


def test_python_caldav_client(regie):
    principal = client(regie).principal()
    assert principal.calendar_home_set.url.path == "/dav/calendars/admin/"
    names = {c.name: c for c in principal.calendars()}
    assert "Personal" in names, names

    cal = principal.make_calendar(name="Exhibitions", cal_id="exhibitions")
    assert cal.url.path == "/dav/calendars/admin/exhibitions/"
    assert "Exhibitions" in {c.name for c in principal.calendars()}
    sync_start = cal.objects_by_sync_token(load_objects=False)
    token = sync_start.sync_token
    assert token

    press = cal.save_event(vcalendar(vevent("press-1", "20260310T100000", "20260310T110000",
                                            "Press preview")))
    cal.save_event(TOUR)
    cal.save_event(vcalendar(
        "BEGIN:VEVENT\nUID:closed-1\nDTSTAMP:20260101T000000Z\nDTSTART;VALUE=DATE:20260311\n"
        "DTEND;VALUE=DATE:20260312\nSUMMARY:Museum closed\nEND:VEVENT\n", timezone=False))
    assert len(cal.events()) == 3

    # 9-11 March: the press preview, the 9 March tour and the all-day closure.
    found = cal.date_search(berlin(2026, 3, 9), berlin(2026, 3, 12), expand=False)
    assert summaries(found) == ["Museum closed", "Opening tour", "Press preview"]
    # 15-17 March: only the cancelled tour would fall here.
    assert cal.date_search(berlin(2026, 3, 15), berlin(2026, 3, 18), expand=False) == []
    # 23 March afternoon: the moved instance, found by its new time only.
    moved = cal.date_search(berlin(2026, 3, 23, 13), berlin(2026, 3, 23, 16), expand=True)
    assert summaries(moved) == ["Opening tour (afternoon)"]
    assert cal.date_search(berlin(2026, 3, 23, 8), berlin(2026, 3, 23, 11), expand=True) == []
    # After the tenth tour (4 May) nothing recurs.
    assert cal.date_search(berlin(2026, 5, 5), berlin(2026, 6, 1), expand=False) == []

    press.vobject_instance.vevent.summary.value = "Press preview (moved room)"
    press.save()
    again = cal.event_by_uid("press-1")
    assert again.vobject_instance.vevent.summary.value == "Press preview (moved room)"

    changed = cal.objects_by_sync_token(sync_token=token, load_objects=False)
    assert len(list(changed)) == 3
    token2 = changed.sync_token
    assert token2 != token
    again.delete()
    assert sorted(e.vobject_instance.vevent.uid.value for e in cal.events()) == [
        "closed-1", "tour-1"]
    gone = cal.objects_by_sync_token(sync_token=token2, load_objects=False)
    assert [o.url.path for o in gone] == [again.url.path]
