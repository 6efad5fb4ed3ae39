// WebDAV/CalDAV/CardDAV helpers over fetch (the session cookie authenticates /dav/).
import { request } from './api';

export const NS = {
  D: 'DAV:',
  C: 'urn:ietf:params:xml:ns:caldav',
  CARD: 'urn:ietf:params:xml:ns:carddav',
  CS: 'http://calendarserver.org/ns/',
  A: 'http://apple.com/ns/ical/',
};

import { parseXml } from './xml';

// The parts of a DOM Element the DAV code reads; both DOM elements and XElement have them.
export interface DavElement {
  namespaceURI: string | null;
  localName: string;
  textContent: string | null;
  firstElementChild: DavElement | null;
  nextElementSibling: DavElement | null;
  getElementsByTagNameNS(ns: string, local: string): ArrayLike<DavElement>;
}

export interface DavResponse {
  href: string;
  status: number;
  props: Map<string, DavElement>; // key "ns|local", 200 props only
}

export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function documentElement(text: string): DavElement {
  try {
    return parseXml(text) as DavElement;
  } catch {
    // Whatever the small reader does not know, the browser's parser reads.
    return new DOMParser().parseFromString(text, 'application/xml').documentElement as unknown as DavElement;
  }
}

export function parseMultistatus(text: string): DavResponse[] {
  const out: DavResponse[] = [];
  const responses = documentElement(text).getElementsByTagNameNS(NS.D, 'response');
  for (let i = 0; i < responses.length; i++) {
    const r = responses[i];
    const hrefEl = firstChildNS(r, NS.D, 'href');
    const href = hrefEl?.textContent?.trim() ?? '';
    const props = new Map<string, DavElement>();
    let status = 200;
    const top = firstChildNS(r, NS.D, 'status');
    if (top) status = statusCode(top.textContent ?? '');
    for (let c = r.firstElementChild; c; c = c.nextElementSibling) {
      if (c.namespaceURI !== NS.D || c.localName !== 'propstat') continue;
      const st = firstChildNS(c, NS.D, 'status');
      if (st && statusCode(st.textContent ?? '') !== 200) continue;
      const prop = firstChildNS(c, NS.D, 'prop');
      if (!prop) continue;
      for (let p = prop.firstElementChild; p; p = p.nextElementSibling) {
        props.set(`${p.namespaceURI}|${p.localName}`, p);
      }
    }
    out.push({ href, status, props });
  }
  return out;
}

function statusCode(s: string): number {
  const m = /HTTP\/\S+\s+(\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function firstChildNS(el: DavElement, ns: string, local: string): DavElement | null {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    if (c.namespaceURI === ns && c.localName === local) return c;
  }
  return null;
}

export function propText(r: DavResponse, ns: string, local: string): string | undefined {
  const el = r.props.get(`${ns}|${local}`);
  return el ? (el.textContent ?? '').trim() : undefined;
}

export function hasResourceType(r: DavResponse, ns: string, local: string): boolean {
  const rt = r.props.get(`${NS.D}|resourcetype`);
  return !!rt && !!firstChildNS(rt, ns, local);
}

export async function propfind(url: string, depth: '0' | '1', body: string): Promise<DavResponse[]> {
  const res = await request('PROPFIND', url, {
    body,
    headers: { Depth: depth, 'Content-Type': 'application/xml; charset=utf-8' },
  });
  return parseMultistatus(await res.text());
}

export async function report(url: string, body: string, depth: '0' | '1' = '1'): Promise<DavResponse[]> {
  const res = await request('REPORT', url, {
    body,
    headers: { Depth: depth, 'Content-Type': 'application/xml; charset=utf-8' },
  });
  return parseMultistatus(await res.text());
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function decodeHref(href: string): string {
  // Hrefs may be absolute URLs or paths; return the decoded path.
  let p = href;
  if (/^https?:\/\//.test(p)) p = new URL(p).pathname;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

export function hrefPath(href: string): string {
  return /^https?:\/\//.test(href) ? new URL(href).pathname : href;
}

export function uuid(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
