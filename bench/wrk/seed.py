"""Seeds one user's data for bench/wrk/mixed_dav.lua: a folder load/ of FILES 4 KiB files, EVENTS
events in the calendar "personal" (March 2027) and CARDS cards in the address book "contacts".

Usage: seed.py BASE_URL USER PASSWORD [FILES EVENTS CARDS]
"""
import sys

import requests


def seed(base, user, password, files=100, events=200, cards=100):
    session = requests.Session()
    session.auth = (user, password)

    def put(path, body, content_type):
        answer = session.put(base + path, data=body, headers={"Content-Type": content_type})
        if answer.status_code not in (201, 204):
            raise RuntimeError(f"PUT {path}: {answer.status_code} {answer.text[:200]}")

    answer = session.request("MKCOL", f"{base}/dav/files/{user}/load/")
    if answer.status_code not in (201, 405):
        raise RuntimeError(f"MKCOL load/: {answer.status_code}")
    body = b"regie load test body\n" * 196
    for n in range(files):
        put(f"/dav/files/{user}/load/f{n}.txt", body, "text/plain")
    for n in range(events):
        put(f"/dav/calendars/{user}/personal/e{n}.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Regie//load//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:load-event-{n}\r\nDTSTAMP:20270101T000000Z\r\n"
            f"DTSTART:202703{n % 28 + 1:02d}T100000Z\r\nDURATION:PT1H\r\n"
            f"SUMMARY:Seeded event {n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "text/calendar")
    for n in range(cards):
        put(f"/dav/addressbooks/{user}/contacts/c{n}.vcf",
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:load-card-{n}\r\nFN:Person {n}\r\n"
            f"N:{n};Person;;;\r\nEMAIL:person{n}@example.org\r\nEND:VCARD\r\n", "text/vcard")


if __name__ == "__main__":
    base_url, login, secret = sys.argv[1:4]
    counts = [int(a) for a in sys.argv[4:7]]
    seed(base_url, login, secret, *counts)
