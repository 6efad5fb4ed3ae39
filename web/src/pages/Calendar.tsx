// The calendar page: loaded on demand (FullCalendar and ical.js live only in this chunk).
import { Calendar as FullCalendar, DateSelectArg, EventApi, EventClickArg, EventDropArg, EventInput } from '@fullcalendar/core';
import nlLocale from '@fullcalendar/core/locales/nl';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, { EventResizeDoneArg } from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';
import ICAL from 'ical.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { HttpError, request, Session } from '../lib/api';
import { DavElement, decodeHref, firstChildNS, hasResourceType, hrefPath, NS, propfind, propText, report, uuid, xmlEscape } from '../lib/dav';
import { getLang, t } from '../lib/i18n';
import { localZone, partsIn, wallToDate, zones } from '../lib/tz';
import { Confirm, errMsg, ErrorText, Modal } from '../lib/ui';

interface Cal {
  href: string; // path, ends with /
  name: string;
  color: string;
  writable: boolean;
  publishUrl?: string;
}

const PALETTE = ['#1f6feb', '#b0358f', '#1a7f37', '#bc4c00', '#6e40c9', '#0f766e'];
const HOME_PROPS = `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:A="http://apple.com/ns/ical/"><D:prop><D:resourcetype/><D:displayname/><A:calendar-color/><CS:publish-url/><D:current-user-privilege-set/></D:prop></D:propfind>`;

function icalUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function canWrite(el: DavElement | undefined): boolean {
  if (!el) return true;
  const privs = el.getElementsByTagNameNS(NS.D, 'privilege');
  for (let i = 0; i < privs.length; i++) {
    const p = privs[i].firstElementChild;
    if (p && (p.localName === 'write' || p.localName === 'all' || p.localName === 'write-content')) return true;
  }
  return false;
}

export async function loadCalendars(home: string): Promise<Cal[]> {
  const rs = await propfind(home, '1', HOME_PROPS);
  const cals: Cal[] = [];
  rs.forEach((r) => {
    if (!hasResourceType(r, NS.C, 'calendar')) return;
    const path = hrefPath(r.href);
    const color = (propText(r, NS.A, 'calendar-color') || '').slice(0, 7);
    const pub = r.props.get(`${NS.CS}|publish-url`);
    const pubHref = pub ? (firstChildNS(pub, NS.D, 'href')?.textContent ?? pub.textContent ?? '').trim() : '';
    cals.push({
      href: path.endsWith('/') ? path : path + '/',
      name: propText(r, NS.D, 'displayname') || decodeHref(path).replace(/\/$/, '').split('/').pop() || '?',
      color: /^#[0-9a-f]{6}$/i.test(color) ? color : PALETTE[cals.length % PALETTE.length],
      writable: canWrite(r.props.get(`${NS.D}|current-user-privilege-set`)),
      publishUrl: pubHref ? new URL(pubHref, location.origin).href : undefined,
    });
  });
  return cals;
}

// An instant or a date of an ICAL.Time, whatever its zone (VTIMEZONE or a well-known TZID).
function timeToInput(time: ICAL.Time, prop: ICAL.Property | null): Date | string {
  if (time.isDate) return time.toString(); // YYYY-MM-DD
  const tzid = prop?.getParameter('tzid') as string | undefined;
  if (time.zone === ICAL.Timezone.utcTimezone || time.zone?.tzid === 'UTC') return time.toJSDate();
  if (tzid) {
    try {
      return wallToDate(time.year, time.month, time.day, time.hour, time.minute, time.second, String(tzid));
    } catch {
      /* unknown zone: floating */
    }
  }
  return new Date(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

function eventsOf(text: string, cal: Cal, href: string, etag: string): EventInput[] {
  const out: EventInput[] = [];
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const vevent of comp.getAllSubcomponents('vevent')) {
    const ev = new ICAL.Event(vevent);
    const startProp = vevent.getFirstProperty('dtstart');
    if (!ev.startDate) continue;
    const start = timeToInput(ev.startDate, startProp);
    let end: Date | string | undefined;
    const endProp = vevent.getFirstProperty('dtend');
    if (ev.endDate) end = timeToInput(ev.endDate, endProp ?? startProp);
    const rid = vevent.getFirstPropertyValue('recurrence-id');
    out.push({
      id: href + '#' + (rid ? String(rid) : ''),
      title: ev.summary || t('cal.untitled'),
      start,
      end,
      allDay: ev.startDate.isDate,
      backgroundColor: cal.color,
      borderColor: cal.color,
      editable: cal.writable,
      extendedProps: { href, etag, cal: cal.href, recurring: !!rid || !!vevent.getFirstProperty('rrule') },
    });
  }
  return out;
}

async function fetchEvents(cal: Cal, start: Date, end: Date): Promise<EventInput[]> {
  const s = icalUtc(start);
  const e = icalUtc(end);
  const body = `<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data><C:expand start="${s}" end="${e}"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${s}" end="${e}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
  const rs = await report(cal.href, body);
  const out: EventInput[] = [];
  for (const r of rs) {
    const data = propText(r, NS.C, 'calendar-data');
    if (!data) continue;
    try {
      out.push(...eventsOf(data, cal, hrefPath(r.href), propText(r, NS.D, 'getetag') ?? ''));
    } catch {
      /* an object we cannot parse is left out */
    }
  }
  return out;
}

interface Form {
  href?: string;
  etag?: string;
  cal: string;
  title: string;
  allDay: boolean;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  tz: string;
  freq: '' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  ends: 'never' | 'until' | 'count';
  until: string;
  count: number;
  location: string;
  description: string;
}

function addDays(date: string, n: number): string {
  const d = new Date(date + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function setTime(vevent: ICAL.Component, name: string, date: string, time: string, allDay: boolean, tz: string) {
  vevent.removeAllProperties(name);
  const prop = new ICAL.Property(name, vevent);
  if (allDay) {
    prop.resetType('date');
    prop.setValue(ICAL.Time.fromDateString(date));
  } else {
    const tm = ICAL.Time.fromDateTimeString(`${date}T${time}:00`);
    if (tz === 'UTC') tm.zone = ICAL.Timezone.utcTimezone;
    else prop.setParameter('tzid', tz);
    prop.setValue(tm);
  }
  vevent.addProperty(prop);
}

function setText(vevent: ICAL.Component, name: string, value: string) {
  vevent.removeAllProperties(name);
  if (value) vevent.addPropertyWithValue(name, value);
}

// Fill a (new or existing) master VEVENT from the form.
function applyForm(vevent: ICAL.Component, f: Form) {
  setText(vevent, 'summary', f.title);
  setText(vevent, 'location', f.location);
  setText(vevent, 'description', f.description);
  vevent.removeAllProperties('duration');
  setTime(vevent, 'dtstart', f.startDate, f.startTime, f.allDay, f.tz);
  setTime(vevent, 'dtend', f.allDay ? addDays(f.endDate, 1) : f.endDate, f.endTime, f.allDay, f.tz);
  vevent.removeAllProperties('rrule');
  if (f.freq) {
    const parts: Record<string, unknown> = { freq: f.freq };
    if (f.ends === 'count' && f.count > 0) parts.count = f.count;
    if (f.ends === 'until' && f.until) {
      parts.until = f.allDay
        ? ICAL.Time.fromDateString(f.until)
        : ICAL.Time.fromJSDate(wallToDate(...(f.until.split('-').map(Number) as [number, number, number]), 23, 59, 59, f.tz), true);
    }
    vevent.addPropertyWithValue('rrule', new ICAL.Recur(parts as never));
  }
  vevent.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(), true));
  const seq = Number(vevent.getFirstPropertyValue('sequence') ?? -1);
  vevent.updatePropertyWithValue('sequence', seq + 1);
}

function newCalendarText(f: Form, uid: string): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', '-//Regie//Web//EN');
  cal.addPropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', uid);
  applyForm(vevent, f);
  cal.addSubcomponent(vevent);
  return cal.toString();
}

function masterOf(comp: ICAL.Component): ICAL.Component | null {
  return comp.getAllSubcomponents('vevent').find((v) => !v.getFirstProperty('recurrence-id')) ?? comp.getFirstSubcomponent('vevent');
}

async function getObject(href: string): Promise<{ comp: ICAL.Component; etag: string }> {
  const res = await request('GET', href);
  return { comp: new ICAL.Component(ICAL.parse(await res.text())), etag: res.headers.get('ETag') ?? '' };
}

async function putObject(href: string, text: string, etag?: string): Promise<void> {
  const headers: Record<string, string> = { 'Content-Type': 'text/calendar; charset=utf-8' };
  if (etag) headers['If-Match'] = etag;
  else headers['If-None-Match'] = '*';
  await request('PUT', href, { body: text, headers });
}

function formFromObject(comp: ICAL.Component, href: string, etag: string, cal: string): Form {
  const v = masterOf(comp)!;
  const ev = new ICAL.Event(v);
  const sp = v.getFirstProperty('dtstart');
  const tzid = (sp?.getParameter('tzid') as string | undefined) ?? (ev.startDate.zone === ICAL.Timezone.utcTimezone ? 'UTC' : localZone());
  const allDay = ev.startDate.isDate;
  const wall = (time: ICAL.Time) => {
    if (time.isDate) return { date: time.toString(), time: '00:00' };
    if (time.zone === ICAL.Timezone.utcTimezone && tzid !== 'UTC') return partsIn(time.toJSDate(), tzid);
    return { date: time.toString().slice(0, 10), time: `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}` };
  };
  const s = wall(ev.startDate);
  const e = ev.endDate ? wall(ev.endDate) : s;
  const rr = v.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  return {
    href,
    etag,
    cal,
    title: ev.summary ?? '',
    allDay,
    startDate: s.date,
    startTime: s.time,
    endDate: allDay ? addDays(e.date, -1) < s.date ? s.date : addDays(e.date, -1) : e.date,
    endTime: e.time,
    tz: tzid,
    freq: (rr?.freq as Form['freq']) ?? '',
    ends: rr?.count ? 'count' : rr?.until ? 'until' : 'never',
    until: rr?.until ? rr.until.toString().slice(0, 10) : '',
    count: rr?.count ?? 10,
    location: ev.location ?? '',
    description: ev.description ?? '',
  };
}

export default function CalendarPage(props: { session: Session }) {
  const home = `/dav/calendars/${encodeURIComponent(props.session.user)}/`;
  const el = useRef<HTMLDivElement>(null);
  const fc = useRef<FullCalendar | null>(null);
  const calsRef = useRef<Cal[]>([]);
  const [cals, setCals] = useState<Cal[]>([]);
  const [hidden, setHidden] = useState<Set<string>>(() => new Set(JSON.parse(localStorage.getItem('regie.cal.hidden') || '[]')));
  const hiddenRef = useRef(hidden);
  const [form, setForm] = useState<Form | null>(null);
  const [share, setShare] = useState<Cal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const reloadCals = async () => {
    try {
      const list = await loadCalendars(home);
      calsRef.current = list;
      setCals(list);
      fc.current?.refetchEvents();
    } catch (e) {
      setError(errMsg(e));
    }
  };

  const blankForm = (start: Date, end: Date, allDay: boolean): Form => {
    const tz = localZone();
    const s = partsIn(start, tz);
    const e = partsIn(end, tz);
    const writable = calsRef.current.filter((c) => c.writable);
    return {
      cal: writable[0]?.href ?? '',
      title: '',
      allDay,
      startDate: s.date,
      startTime: allDay ? '09:00' : s.time,
      endDate: allDay ? addDays(e.date, -1) < s.date ? s.date : addDays(e.date, -1) : e.date,
      endTime: allDay ? '10:00' : e.time,
      tz,
      freq: '',
      ends: 'never',
      until: '',
      count: 10,
      location: '',
      description: '',
    };
  };

  // Move or resize: a single event takes its new times; a series moves by the same delta.
  const onChange = async (info: EventDropArg | EventResizeDoneArg) => {
    const ev: EventApi = info.event;
    const { href } = ev.extendedProps as { href: string };
    try {
      const { comp, etag } = await getObject(href);
      const v = masterOf(comp)!;
      const sp = v.getFirstProperty('dtstart')!;
      const tz = (sp.getParameter('tzid') as string | undefined) ?? 'UTC';
      const isSeries = !!v.getFirstProperty('rrule');
      const startDelta = 'delta' in info ? info.delta : (info as EventResizeDoneArg).startDelta;
      const endDelta = 'delta' in info ? info.delta : (info as EventResizeDoneArg).endDelta;
      const shift = (name: string, delta: typeof startDelta) => {
        const p = v.getFirstProperty(name);
        if (!p) return;
        const tm = (p.getFirstValue() as ICAL.Time).clone();
        tm.month += delta.years * 12 + delta.months;
        tm.adjust(delta.days, 0, 0, Math.round(delta.milliseconds / 1000));
        p.setValue(tm);
      };
      if (isSeries || !ev.start) {
        shift('dtstart', startDelta);
        if (!v.getFirstProperty('dtend') && v.getFirstProperty('duration')) {
          /* duration follows dtstart */
        } else shift('dtend', endDelta);
      } else {
        const f = formFromObject(comp, href, etag, '');
        const allDay = ev.allDay;
        const zone = allDay ? tz : f.tz;
        const s = partsIn(ev.start, zone === 'UTC' ? 'UTC' : zone);
        const endD = ev.end ?? new Date(ev.start.getTime() + (allDay ? 86400000 : 3600000));
        const e = partsIn(endD, zone === 'UTC' ? 'UTC' : zone);
        const sd = allDay ? ev.startStr.slice(0, 10) : s.date;
        const ed = allDay ? (ev.endStr ? ev.endStr.slice(0, 10) : addDays(sd, 1)) : e.date;
        v.removeAllProperties('duration');
        setTime(v, 'dtstart', sd, s.time, allDay, f.tz);
        setTime(v, 'dtend', ed, e.time, allDay, f.tz);
      }
      const seq = Number(v.getFirstPropertyValue('sequence') ?? 0);
      v.updatePropertyWithValue('sequence', seq + 1);
      await putObject(href, comp.toString(), etag);
      setStatus(t('cal.saved'));
      fc.current?.refetchEvents();
    } catch (e) {
      info.revert();
      setError(e instanceof HttpError && e.status === 412 ? t('cal.conflict') : errMsg(e));
    }
  };

  useEffect(() => {
    const phone = window.matchMedia('(max-width: 640px)');
    let narrow = phone.matches;
    const toolbars = (n: boolean) => ({
      headerToolbar: n
        ? { left: 'prev,next', center: 'title', right: 'today' }
        : { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay,listMonth' },
      footerToolbar: n ? { center: 'dayGridMonth,timeGridWeek,timeGridDay,listWeek' } : (false as const),
    });
    const cal = new FullCalendar(el.current!, {
      plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
      initialView: narrow ? 'listWeek' : 'dayGridMonth',
      locales: [nlLocale],
      locale: getLang(),
      firstDay: 1,
      buttonIcons: false,
      buttonText: { prev: '‹', next: '›' },
      buttonHints: getLang() === 'nl' ? { prev: 'Vorige $0', next: 'Volgende $0', today: 'Vandaag' } : { prev: 'Previous $0', next: 'Next $0', today: 'This $0' },
      ...toolbars(narrow),
      windowResize: () => {
        if (phone.matches === narrow) return;
        narrow = phone.matches;
        const t = toolbars(narrow);
        cal.setOption('headerToolbar', t.headerToolbar);
        cal.setOption('footerToolbar', t.footerToolbar);
      },
      views: { listMonth: { buttonText: 'agenda' }, listWeek: { buttonText: 'agenda' } },
      height: 'auto',
      nowIndicator: true,
      editable: true,
      selectable: true,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      // Other clients change the calendars too: fetch again on every view change.
      lazyFetching: false,
      events: (info, ok, fail) => {
        const visible = calsRef.current.filter((c) => !hiddenRef.current.has(c.href));
        Promise.all(visible.map((c) => fetchEvents(c, info.start, info.end)))
          .then((lists) => ok(lists.flat()))
          .catch((e) => {
            setError(errMsg(e));
            fail(e);
          });
      },
      select: (s: DateSelectArg) => {
        setForm(blankForm(s.start, s.end, s.allDay));
        cal.unselect();
      },
      eventClick: async (info: EventClickArg) => {
        info.jsEvent.preventDefault();
        const { href, cal: calHref } = info.event.extendedProps as { href: string; cal: string };
        try {
          const { comp, etag } = await getObject(href);
          setForm(formFromObject(comp, href, etag, calHref));
        } catch (e) {
          setError(errMsg(e));
        }
      },
      eventDrop: onChange,
      eventResize: onChange,
      eventDidMount: (arg) => {
        arg.el.setAttribute('aria-label', `${arg.event.title}, ${arg.event.start?.toLocaleString(getLang()) ?? ''}`);
        if (!arg.el.getAttribute('tabindex') && arg.el.tagName !== 'A') arg.el.setAttribute('tabindex', '0');
        arg.el.addEventListener('keydown', (e) => {
          if ((e as KeyboardEvent).key === 'Enter') (arg.el as HTMLElement).click();
        });
      },
    });
    fc.current = cal;
    cal.render();
    reloadCals();
    const onVisible = () => {
      if (document.visibilityState === 'visible') cal.refetchEvents();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      cal.destroy();
    };
  }, []);

  // Follow a language switch made while the calendar is open.
  useEffect(() => {
    if (fc.current && fc.current.getOption('locale') !== getLang()) fc.current.setOption('locale', getLang());
  });

  const toggle = (href: string, on: boolean) => {
    const next = new Set(hidden);
    if (on) next.delete(href);
    else next.add(href);
    hiddenRef.current = next;
    setHidden(next);
    localStorage.setItem('regie.cal.hidden', JSON.stringify([...next]));
    fc.current?.refetchEvents();
  };

  return (
    <section class="calendar-page" aria-labelledby="cal-title">
      <div class="page-head">
        <h1 id="cal-title">{t('nav.calendar')}</h1>
        <button
          type="button"
          class="primary"
          onClick={() => {
            const now = new Date();
            now.setMinutes(0, 0, 0);
            now.setHours(now.getHours() + 1);
            setForm(blankForm(now, new Date(now.getTime() + 3600000), false));
          }}
        >
          {t('cal.newEvent')}
        </button>
      </div>
      <ErrorText error={error} />
      <p class="sr-only" aria-live="polite">
        {status}
      </p>
      <div class="cal-layout">
        <div class="cal-list">
          <h2 id="cals-title">{t('cal.calendars')}</h2>
          <ul>
            {cals.map((c) => (
              <li key={c.href}>
                <label class="check">
                  <input type="checkbox" checked={!hidden.has(c.href)} onChange={(e) => toggle(c.href, e.currentTarget.checked)} />
                  <span class="swatch" style={{ background: c.color }} aria-hidden="true" />
                  {c.name}
                </label>
                {c.writable && (
                  <button type="button" class="small" aria-label={t('cal.shareX', { name: c.name })} onClick={() => setShare(c)}>
                    {t('cal.share')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
        <div class="fc-host" ref={el} />
      </div>
      {form && (
        <EventForm
          form={form}
          cals={cals.filter((c) => c.writable || c.href === form.cal)}
          close={() => setForm(null)}
          saved={(msg) => {
            setForm(null);
            setStatus(msg);
            fc.current?.refetchEvents();
          }}
        />
      )}
      {share && <ShareDialog cal={share} close={() => (setShare(null), reloadCals())} />}
    </section>
  );
}

function EventForm(props: { form: Form; cals: Cal[]; close: () => void; saved: (msg: string) => void }) {
  const [f, setF] = useState<Form>(props.form);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) => setF({ ...f, ...patch });
  const tzs = zones();
  const save = async (e: Event) => {
    e.preventDefault();
    if (!f.title.trim()) return setError(t('cal.needTitle'));
    const start = f.allDay ? f.startDate : `${f.startDate}T${f.startTime}`;
    const end = f.allDay ? f.endDate : `${f.endDate}T${f.endTime}`;
    if (end < start) return setError(t('cal.endBeforeStart'));
    setBusy(true);
    setError(null);
    try {
      if (f.href && f.cal && !f.href.startsWith(f.cal)) {
        // Moved to another calendar: write there, then remove the old object.
        const { comp } = await getObject(f.href);
        applyForm(masterOf(comp)!, f);
        const name = f.href.slice(f.href.lastIndexOf('/') + 1);
        await putObject(f.cal + name, comp.toString());
        await request('DELETE', f.href, { headers: f.etag ? { 'If-Match': f.etag } : {} });
      } else if (f.href) {
        const { comp } = await getObject(f.href);
        applyForm(masterOf(comp)!, f);
        await putObject(f.href, comp.toString(), f.etag);
      } else {
        const uid = uuid();
        await putObject(f.cal + uid + '.ics', newCalendarText(f, uid));
      }
      props.saved(t('cal.saved'));
    } catch (err) {
      setError(err instanceof HttpError && err.status === 412 ? t('cal.conflict') : errMsg(err));
      setBusy(false);
    }
  };
  const remove = async () => {
    try {
      await request('DELETE', f.href!, { headers: f.etag ? { 'If-Match': f.etag } : {} });
      props.saved(t('cal.deleted'));
    } catch (err) {
      setConfirm(false);
      setError(errMsg(err));
    }
  };
  if (confirm)
    return <Confirm title={t('cal.deleteTitle')} text={t('cal.deleteText', { name: f.title })} action={t('files.delete')} onClose={() => setConfirm(false)} onConfirm={remove} />;
  return (
    <Modal title={f.href ? t('cal.editEvent') : t('cal.newEvent')} onClose={props.close} wide>
      <form class="event-form" onSubmit={save}>
        <label>
          {t('cal.title')}
          <input value={f.title} required autoFocus onInput={(e) => set({ title: e.currentTarget.value })} />
        </label>
        <label>
          {t('cal.calendar')}
          <select value={f.cal} onChange={(e) => set({ cal: e.currentTarget.value })}>
            {props.cals.map((c) => (
              <option key={c.href} value={c.href}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={f.allDay} onChange={(e) => set({ allDay: e.currentTarget.checked })} />
          {t('cal.allDay')}
        </label>
        <div class="row2">
          <label>
            {t('cal.startDate')}
            <input type="date" required value={f.startDate} onInput={(e) => set({ startDate: e.currentTarget.value, endDate: e.currentTarget.value > f.endDate ? e.currentTarget.value : f.endDate })} />
          </label>
          {!f.allDay && (
            <label>
              {t('cal.startTime')}
              <input type="time" required value={f.startTime} onInput={(e) => set({ startTime: e.currentTarget.value })} />
            </label>
          )}
        </div>
        <div class="row2">
          <label>
            {t('cal.endDate')}
            <input type="date" required value={f.endDate} onInput={(e) => set({ endDate: e.currentTarget.value })} />
          </label>
          {!f.allDay && (
            <label>
              {t('cal.endTime')}
              <input type="time" required value={f.endTime} onInput={(e) => set({ endTime: e.currentTarget.value })} />
            </label>
          )}
        </div>
        {!f.allDay && (
          <label>
            {t('cal.timeZone')}
            <select value={f.tz} onChange={(e) => set({ tz: e.currentTarget.value })}>
              {tzs.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </label>
        )}
        <div class="row2">
          <label>
            {t('cal.repeat')}
            <select value={f.freq} onChange={(e) => set({ freq: e.currentTarget.value as Form['freq'] })}>
              <option value="">{t('cal.never')}</option>
              <option value="DAILY">{t('cal.daily')}</option>
              <option value="WEEKLY">{t('cal.weekly')}</option>
              <option value="MONTHLY">{t('cal.monthly')}</option>
              <option value="YEARLY">{t('cal.yearly')}</option>
            </select>
          </label>
          {f.freq && (
            <label>
              {t('cal.ends')}
              <select value={f.ends} onChange={(e) => set({ ends: e.currentTarget.value as Form['ends'] })}>
                <option value="never">{t('cal.endsNever')}</option>
                <option value="until">{t('cal.endsUntil')}</option>
                <option value="count">{t('cal.endsCount')}</option>
              </select>
            </label>
          )}
          {f.freq && f.ends === 'until' && (
            <label>
              {t('cal.untilDate')}
              <input type="date" required value={f.until} onInput={(e) => set({ until: e.currentTarget.value })} />
            </label>
          )}
          {f.freq && f.ends === 'count' && (
            <label>
              {t('cal.count')}
              <input type="number" min={1} max={999} required value={f.count} onInput={(e) => set({ count: Number(e.currentTarget.value) })} />
            </label>
          )}
        </div>
        <label>
          {t('cal.location')}
          <input value={f.location} onInput={(e) => set({ location: e.currentTarget.value })} />
        </label>
        <label>
          {t('cal.description')}
          <textarea rows={3} value={f.description} onInput={(e) => set({ description: e.currentTarget.value })} />
        </label>
        <ErrorText error={error} />
        <div class="actions">
          {f.href && (
            <button type="button" class="danger left" onClick={() => setConfirm(true)}>
              {t('files.delete')}
            </button>
          )}
          <button type="button" onClick={props.close}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

interface Sharee {
  href: string;
  access: string;
  name: string;
}

function ShareDialog(props: { cal: Cal; close: () => void }) {
  const [sharees, setSharees] = useState<Sharee[]>([]);
  const [publishUrl, setPublishUrl] = useState<string | undefined>(props.cal.publishUrl);
  const [who, setWho] = useState('');
  const [rw, setRw] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const load = async (published?: string) => {
    try {
      const rs = await propfind(
        props.cal.href,
        '0',
        `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:invite/><CS:publish-url/></D:prop></D:propfind>`,
      );
      const r = rs[0];
      const inv = r?.props.get(`${NS.CS}|invite`);
      const list: Sharee[] = [];
      if (inv) {
        const users = inv.getElementsByTagNameNS(NS.CS, 'user');
        for (let i = 0; i < users.length; i++) {
          const u = users[i];
          const href = (firstChildNS(u, NS.D, 'href')?.textContent ?? '').trim();
          const access = firstChildNS(u, NS.CS, 'access')?.firstElementChild?.localName ?? '';
          const name = (firstChildNS(u, NS.CS, 'common-name')?.textContent ?? '').trim();
          list.push({ href, access, name });
        }
      }
      setSharees(list);
      const pub = r?.props.get(`${NS.CS}|publish-url`);
      const href = pub ? (firstChildNS(pub, NS.D, 'href')?.textContent ?? pub.textContent ?? '').trim() : '';
      setPublishUrl(href ? new URL(href, location.origin).href : published);
    } catch (e) {
      setError(errMsg(e));
    }
  };
  useEffect(() => {
    load();
  }, []);
  const post = async (body: string, msg: string) => {
    setError(null);
    try {
      const res = await request('POST', props.cal.href, { body, headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
      setStatus(msg);
      // Publishing answers with the public link in Location; PROPFIND CS:publish-url holds it too.
      const loc = res.headers.get('Location');
      await load(loc && body.includes('publish-calendar') && !body.includes('unpublish') ? new URL(loc, location.origin).href : undefined);
    } catch (e) {
      setError(errMsg(e));
    }
  };
  // An e-mail address, "group:NAME" for a group, or a user name (its principal URL).
  const shareHref = (w: string) =>
    w.startsWith('group:')
      ? `principal:principals/groups/${encodeURIComponent(w.slice(6))}`
      : w.includes(':')
        ? w
        : w.includes('@')
          ? `mailto:${w}`
          : `/dav/principals/${encodeURIComponent(w)}/`;
  return (
    <Modal title={t('cal.shareX', { name: props.cal.name })} onClose={props.close} wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!who.trim()) return;
          post(
            `<?xml version="1.0" encoding="utf-8"?><CS:share xmlns:CS="http://calendarserver.org/ns/" xmlns:D="DAV:"><CS:set><D:href>${xmlEscape(shareHref(who.trim()))}</D:href>${rw ? '<CS:read-write/>' : '<CS:read/>'}</CS:set></CS:share>`,
            t('cal.sharedWith', { name: who.trim() }),
          );
          setWho('');
        }}
      >
        <label>
          {t('cal.shareWho')}
          <input value={who} onInput={(e) => setWho(e.currentTarget.value)} placeholder="bob, bob@example.org, group:press" />
        </label>
        <label class="check">
          <input type="checkbox" checked={rw} onChange={(e) => setRw(e.currentTarget.checked)} />
          {t('cal.canEdit')}
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            {t('cal.share')}
          </button>
        </div>
      </form>
      <h3>{t('cal.sharees')}</h3>
      {sharees.length === 0 ? (
        <p class="muted">{t('cal.noSharees')}</p>
      ) : (
        <ul class="plain">
          {sharees.map((s) => (
            <li key={s.href}>
              {s.name || s.href} — {s.access === 'read-write' ? t('cal.canEdit') : t('cal.readOnly')}{' '}
              <button
                type="button"
                class="small"
                onClick={() =>
                  post(
                    `<?xml version="1.0" encoding="utf-8"?><CS:share xmlns:CS="http://calendarserver.org/ns/" xmlns:D="DAV:"><CS:remove><D:href>${xmlEscape(s.href)}</D:href></CS:remove></CS:share>`,
                    t('cal.unshared'),
                  )
                }
              >
                {t('cal.stopSharing')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('cal.publish')}</h3>
      {publishUrl ? (
        <div>
          <label>
            {t('cal.publicLink')}
            <input readOnly value={publishUrl} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <div class="actions">
            <button type="button" onClick={() => navigator.clipboard?.writeText(publishUrl).then(() => setStatus(t('copied')))}>
              {t('copy')}
            </button>
            <button type="button" class="danger" onClick={() => post(`<?xml version="1.0" encoding="utf-8"?><CS:unpublish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`, t('cal.unpublished'))}>
              {t('cal.unpublish')}
            </button>
          </div>
        </div>
      ) : (
        <div>
          <p class="muted">{t('cal.publishHint')}</p>
          <button type="button" onClick={() => post(`<?xml version="1.0" encoding="utf-8"?><CS:publish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`, t('cal.published'))}>
            {t('cal.publishButton')}
          </button>
        </div>
      )}
      <ErrorText error={error} />
      <p aria-live="polite">{status}</p>
    </Modal>
  );
}
