// A small vCard 3.0/4.0 reader and a vCard 3.0 writer for the fields the contacts page edits.
export interface Contact {
  uid: string;
  fn: string;
  given: string;
  family: string;
  emails: string[];
  phones: string[];
  org: string;
  adr: { street: string; city: string; region: string; code: string; country: string };
  note: string;
  photo: string; // data: URL or ''
  raw?: string;
}

interface Line {
  name: string;
  params: Record<string, string>;
  value: string;
}

function unescape(v: string): string {
  return v.replace(/\\([nN,;\\])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));
}
function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');
}
function splitUnescaped(v: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '\\' && i + 1 < v.length) {
      cur += v[i] + v[i + 1];
      i++;
    } else if (v[i] === sep) {
      out.push(cur);
      cur = '';
    } else cur += v[i];
  }
  out.push(cur);
  return out;
}

export function parseLines(text: string): Line[] {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]/g, '');
  const out: Line[] = [];
  for (const l of unfolded.split('\n')) {
    if (!l.trim()) continue;
    let i = 0;
    let inQuote = false;
    for (; i < l.length; i++) {
      if (l[i] === '"') inQuote = !inQuote;
      else if (l[i] === ':' && !inQuote) break;
    }
    const head = l.slice(0, i);
    const value = l.slice(i + 1);
    const [nameWithGroup, ...paramParts] = head.split(';');
    const name = nameWithGroup.split('.').pop()!.toUpperCase();
    const params: Record<string, string> = {};
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) params.TYPE = (params.TYPE ? params.TYPE + ',' : '') + p;
      else params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/"/g, '');
    }
    out.push({ name, params, value });
  }
  return out;
}

export function parseVCard(text: string): Contact {
  const c: Contact = {
    uid: '',
    fn: '',
    given: '',
    family: '',
    emails: [],
    phones: [],
    org: '',
    adr: { street: '', city: '', region: '', code: '', country: '' },
    note: '',
    photo: '',
    raw: text,
  };
  for (const l of parseLines(text)) {
    switch (l.name) {
      case 'UID':
        c.uid = l.value.trim();
        break;
      case 'FN':
        c.fn = unescape(l.value);
        break;
      case 'N': {
        const [family = '', given = ''] = splitUnescaped(l.value, ';').map(unescape);
        c.family = family;
        c.given = given;
        break;
      }
      case 'EMAIL':
        c.emails.push(unescape(l.value));
        break;
      case 'TEL':
        c.phones.push(unescape(l.value).replace(/^tel:/, ''));
        break;
      case 'ORG':
        c.org = splitUnescaped(l.value, ';').map(unescape).filter(Boolean).join(', ');
        break;
      case 'ADR': {
        const [, , street = '', city = '', region = '', code = '', country = ''] = splitUnescaped(l.value, ';').map(unescape);
        c.adr = { street, city, region, code, country };
        break;
      }
      case 'NOTE':
        c.note = unescape(l.value);
        break;
      case 'PHOTO': {
        const v = l.value.trim();
        if (v.startsWith('data:')) c.photo = v;
        else if ((l.params.ENCODING || '').toUpperCase() === 'B' || (l.params.ENCODING || '').toUpperCase() === 'BASE64') {
          const type = (l.params.TYPE || 'jpeg').toLowerCase().split(',')[0];
          c.photo = `data:image/${type};base64,${v}`;
        }
        break;
      }
    }
  }
  if (!c.fn) c.fn = [c.given, c.family].filter(Boolean).join(' ') || c.org || c.emails[0] || '';
  return c;
}

function fold(line: string): string {
  // Fold at 75 octets (approximated by characters, never splitting a surrogate pair).
  const chars = Array.from(line);
  if (chars.length <= 75) return line;
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += i === 0 ? 75 : 74) parts.push(chars.slice(i, i + (i === 0 ? 75 : 74)).join(''));
  return parts.join('\r\n ');
}

export function writeVCard(c: Contact): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Regie//Web//EN', `UID:${c.uid}`];
  const fn = c.fn.trim() || [c.given, c.family].filter(Boolean).join(' ') || c.org || c.emails[0] || '?';
  lines.push(`FN:${escape(fn)}`);
  lines.push(`N:${escape(c.family)};${escape(c.given)};;;`);
  c.emails.filter((e) => e.trim()).forEach((e) => lines.push(`EMAIL;TYPE=INTERNET:${escape(e.trim())}`));
  c.phones.filter((p) => p.trim()).forEach((p) => lines.push(`TEL;TYPE=VOICE:${escape(p.trim())}`));
  if (c.org.trim()) lines.push(`ORG:${escape(c.org.trim())}`);
  const a = c.adr;
  if (a.street || a.city || a.region || a.code || a.country)
    lines.push(`ADR;TYPE=WORK:;;${[a.street, a.city, a.region, a.code, a.country].map(escape).join(';')}`);
  if (c.note.trim()) lines.push(`NOTE:${escape(c.note)}`);
  const m = /^data:image\/([a-z+]+);base64,(.*)$/i.exec(c.photo);
  if (m) lines.push(`PHOTO;ENCODING=b;TYPE=${m[1].toUpperCase().replace('+XML', '')}:${m[2]}`);
  lines.push(`REV:${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
  lines.push('END:VCARD');
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function splitCards(text: string): string[] {
  const out: string[] = [];
  const re = /BEGIN:VCARD[\s\S]*?END:VCARD/gi;
  let m;
  while ((m = re.exec(text))) out.push(m[0] + '\r\n');
  return out;
}
