// Calendar: an event made in the UI is seen by python3-caldav, and one made by python3-caldav
// appears in the UI; all-day, time zone, recurrence, edit, delete, publish.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, assertClean, checkPhone, basic, checkA11y, launch, newPage, python, screenshot, signIn, startServer } from './helpers.mjs';

const PW = 'dora-password-1';
let server;
let browser;
let page;

// python3-caldav (Debian's python3-caldav 0.11): make or list events in the calendar "personal".
const CALDAV = String.raw`
import sys, json, datetime, caldav
a = json.load(sys.stdin)
client = caldav.DAVClient(url=a["url"] + "/dav/", username=a["user"], password=a["password"])
cal = [c for c in client.principal().calendars() if str(c.url).rstrip("/").endswith("/personal")][0]
if a["action"] == "create":
    cal.save_event(a["ics"])
    print(json.dumps({"ok": True}))
else:
    start = datetime.datetime.fromisoformat(a["start"])
    end = datetime.datetime.fromisoformat(a["end"])
    out = []
    for ev in cal.date_search(start=start, end=end, expand=False):
        comp = ev.icalendar_instance
        for ve in comp.walk("VEVENT"):
            s = ve.get("DTSTART")
            rr = ve.get("RRULE")
            out.append({"summary": str(ve.get("SUMMARY")), "dtstart": s.dt.isoformat() if s else None,
                        "tzid": s.params.get("TZID") if s else None, "rrule": rr.to_ical().decode() if rr else None})
    print(json.dumps(out))
`;
const caldav = (arg) => python(CALDAV, { url: server.url, user: 'dora', password: PW, ...arg });

function ymd(d) {
  return d.toISOString().slice(0, 10);
}
// A day in the middle of the current month, so it shows in the month view whatever today is.
const now = new Date();
const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 15, 12));
const DAY = ymd(day);
const compact = DAY.replace(/-/g, '');
const windowArgs = { start: `${ymd(new Date(day.getTime() - 2 * 86400000))}T00:00:00+00:00`, end: `${ymd(new Date(day.getTime() + 40 * 86400000))}T00:00:00+00:00` };

before(async () => {
  server = await startServer();
  addUser(server, 'dora', PW);
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, server.url, 'dora', PW);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openCalendar() {
  await page.getByRole('link', { name: 'Calendar' }).click();
  await page.getByRole('heading', { name: 'Calendar', level: 1 }).waitFor();
  await page.getByRole('checkbox', { name: /personal/i }).waitFor();
}

test('an event made by python3-caldav appears in the UI', async () => {
  caldav({
    action: 'create',
    ics: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:py-board-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:${compact}T130000Z\r\nDTEND:${compact}T140000Z\r\nSUMMARY:Board meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  });
  await openCalendar();
  await page.locator('.fc-event').filter({ hasText: 'Board meeting' }).waitFor();
  // 13:00 UTC is 14:00 in Amsterdam (the browser's zone) in winter, 15:00 in summer.
  const text = await page.locator('.fc-event').filter({ hasText: 'Board meeting' }).textContent();
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(`${DAY}T13:00:00Z`));
  assert.ok(text.includes(local), `shown at ${local} local time: ${text}`);
});

async function newEvent(fill) {
  await page.getByRole('button', { name: 'New event' }).click();
  const dialog = page.getByRole('dialog', { name: 'New event' });
  await dialog.getByLabel('Title').fill(fill.title);
  if (fill.allDay) await dialog.getByLabel('All day').check();
  await dialog.getByLabel('Start date').fill(fill.date);
  await dialog.getByLabel('End date').fill(fill.date);
  if (!fill.allDay) {
    await dialog.getByLabel('Start time').fill(fill.start);
    await dialog.getByLabel('End time').fill(fill.end);
    await dialog.getByLabel('Time zone').selectOption(fill.tz);
  }
  if (fill.repeat) {
    await dialog.getByLabel('Repeat').selectOption(fill.repeat);
    await dialog.getByLabel('Ends').selectOption('count');
    await dialog.getByLabel('Number of times', { exact: true }).fill(String(fill.count));
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.fc-event').filter({ hasText: fill.title }).first().waitFor();
}

test('events made in the UI (time zone, all-day, weekly) are seen by python3-caldav', async () => {
  await newEvent({ title: 'Press preview', date: DAY, start: '10:00', end: '11:30', tz: 'America/New_York' });
  await newEvent({ title: 'Museum night', date: DAY, allDay: true });
  await newEvent({ title: 'Guided tour', date: DAY, start: '09:00', end: '10:00', tz: 'Europe/Amsterdam', repeat: 'WEEKLY', count: 3 });
  const events = caldav({ action: 'list', ...windowArgs });
  const press = events.find((e) => e.summary === 'Press preview');
  assert.ok(press, `python sees the UI's event: ${JSON.stringify(events)}`);
  assert.equal(press.tzid, 'America/New_York');
  assert.ok(press.dtstart.startsWith(`${DAY}T10:00:00`), press.dtstart);
  const night = events.find((e) => e.summary === 'Museum night');
  assert.equal(night?.dtstart, DAY, 'all-day event has a DATE');
  const tour = events.find((e) => e.summary === 'Guided tour');
  assert.match(tour?.rrule ?? '', /FREQ=WEEKLY/);
  assert.match(tour?.rrule ?? '', /COUNT=3/);
  // The server expands the series: three occurrences in the list view.
  await page.getByRole('button', { name: 'agenda' }).click();
  await page.locator('.fc-list-event').first().waitFor();
  const visible = await page.locator('.fc-list-event').filter({ hasText: 'Guided tour' }).count();
  assert.ok(visible >= 1, 'the series shows in the agenda');
  await page.getByRole('button', { name: 'month' }).click();
});

test('edit and delete an event in the UI', async () => {
  await page.locator('.fc-event').filter({ hasText: 'Press preview' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit event' });
  await dialog.getByLabel('Title').fill('Press preview (final)');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('.fc-event').filter({ hasText: 'Press preview (final)' }).waitFor();
  let events = caldav({ action: 'list', ...windowArgs });
  assert.ok(events.some((e) => e.summary === 'Press preview (final)'), 'python sees the edit');
  assert.ok(!events.some((e) => e.summary === 'Press preview'));

  await page.locator('.fc-event').filter({ hasText: 'Museum night' }).click();
  await page.getByRole('dialog', { name: 'Edit event' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete event?' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => ![...document.querySelectorAll('.fc-event')].some((e) => e.textContent.includes('Museum night')));
  events = caldav({ action: 'list', ...windowArgs });
  assert.ok(!events.some((e) => e.summary === 'Museum night'), 'python no longer sees the deleted event');
});

test('drag an event to another day moves it on the server', async () => {
  const next = ymd(new Date(day.getTime() + 86400000));
  const ev = page.locator('.fc-daygrid-event').filter({ hasText: 'Board meeting' });
  const from = await ev.boundingBox();
  const to = await page.locator(`td.fc-daygrid-day[data-date="${next}"]`).boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 5, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
  await page.locator(`td.fc-daygrid-day[data-date="${next}"] .fc-event`).filter({ hasText: 'Board meeting' }).waitFor();
  await page.waitForFunction(() => document.querySelector('p.sr-only[aria-live]')?.textContent === 'Event saved.');
  const events = caldav({ action: 'list', ...windowArgs });
  const board = events.find((e) => e.summary === 'Board meeting');
  assert.ok(board?.dtstart.startsWith(`${next}T13:00:00`), `moved a day, same time: ${board?.dtstart}`);
});

test('resize an event in the week view makes it longer on the server', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const t = today.replace(/-/g, '');
  caldav({
    action: 'create',
    ics: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:py-rehearsal-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Amsterdam:${t}T100000\r\nDTEND;TZID=Europe/Amsterdam:${t}T110000\r\nSUMMARY:Rehearsal\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  });
  await page.getByRole('button', { name: 'week' }).click();
  try {
    await resizeRehearsal(today);
  } finally {
    await page.getByRole('button', { name: 'month' }).click();
  }
});

async function resizeRehearsal(today) {
  const ev = page.locator('.fc-timegrid-event').filter({ hasText: 'Rehearsal' });
  await ev.waitFor({ timeout: 10000 }).catch(async (e) => {
    await screenshot(page, 'debug-resize');
    throw e;
  });
  await ev.scrollIntoViewIfNeeded();
  await ev.hover();
  const box = await ev.boundingBox();
  const resizer = ev.locator('.fc-event-resizer-end');
  const r = await resizer.boundingBox();
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2 + 10, { steps: 3 });
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2 + box.height, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('p.sr-only[aria-live]')?.textContent === 'Event saved.');
  const events = caldav({ action: 'list', start: `${today}T00:00:00+00:00`, end: `${today}T23:59:00+00:00` });
  const ics = python(
    String.raw`
import sys, json, caldav
a = json.load(sys.stdin)
client = caldav.DAVClient(url=a["url"] + "/dav/", username=a["user"], password=a["password"])
cal = [c for c in client.principal().calendars() if str(c.url).rstrip("/").endswith("/personal")][0]
ev = cal.event_by_uid("py-rehearsal-1")
print(json.dumps(str(ev.icalendar_instance.walk("VEVENT")[0].get("DTEND").dt)))
`,
    { url: server.url, user: 'dora', password: PW },
  );
  assert.ok(events.some((e) => e.summary === 'Rehearsal'));
  assert.match(ics, new RegExp(`^${today} (11:[3-9]|1[2-9]:)`), `the end moved later than 11:00: ${ics}`);
}

test('calendar toggles hide and show its events', async () => {
  const personal = page.getByRole('checkbox', { name: /personal/i });
  await personal.uncheck();
  await page.waitForFunction(() => !document.querySelector('.fc-event'));
  await personal.check();
  await page.locator('.fc-event').filter({ hasText: 'Board meeting' }).waitFor();
});

test('share a calendar with another user', async () => {
  addUser(server, 'olga', 'olga-password-1');
  await page.getByRole('button', { name: /^Share personal/i }).click();
  const dialog = page.getByRole('dialog', { name: /^Share/ });
  await dialog.getByLabel('Share with (user name, e-mail address or group:NAME)').fill('olga');
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  await dialog.getByText('Shared with olga.').waitFor();
  const res = await fetch(`${server.url}/dav/calendars/olga/`, {
    method: 'PROPFIND',
    headers: { Authorization: basic('olga', 'olga-password-1'), Depth: '1' },
  });
  assert.equal(res.status, 207);
  assert.match(await res.text(), /personal_shared_by_dora/, 'the sharee sees the calendar');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
});

test('the share dialog lists whom the calendar is shared with', async () => {
  await page.getByRole('button', { name: /^Share personal/i }).click();
  const dialog = page.getByRole('dialog', { name: /^Share/ });
  await dialog.getByRole('listitem').filter({ hasText: 'olga' }).waitFor({ timeout: 5000 }).finally(() =>
    dialog.getByRole('button', { name: 'Close' }).first().click(),
  );
});

test('publish a read-only link', async () => {
  await page.getByRole('button', { name: /^Share personal/i }).click();
  const dialog = page.getByRole('dialog', { name: /^Share/ });
  await dialog.getByRole('button', { name: 'Publish read-only link' }).click();
  const link = dialog.getByLabel('Public link');
  await link.waitFor({ timeout: 5000 }).catch(async (e) => {
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    throw e;
  });
  const url = await link.inputValue();
  assert.match(url, /\/pub\/calendars\/[^/]+\.ics$/);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(body, /BEGIN:VCALENDAR/);
  assert.match(body, /Board meeting/);
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  // The link stays visible when the dialog opens again (PROPFIND CS:publish-url).
  await page.getByRole('button', { name: /^Share personal/i }).click();
  try {
    assert.equal(await page.getByRole('dialog', { name: /^Share/ }).getByLabel('Public link').inputValue({ timeout: 5000 }), url);
  } finally {
    await page.getByRole('dialog', { name: /^Share/ }).getByRole('button', { name: 'Close' }).first().click();
  }
});

test('calendar page: screenshot and accessibility with events loaded', async () => {
  await page.locator('dialog[open]').waitFor({ state: 'detached' });
  await page.locator('.fc-event').filter({ hasText: 'Board meeting' }).waitFor();
  await checkA11y(page, 'calendar');
  await screenshot(page, 'calendar');
  await checkPhone(page, 'calendar');
  assertClean(page);
});
