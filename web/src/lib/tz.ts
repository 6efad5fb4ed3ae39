// Wall-clock time in an IANA zone <-> instants, through Intl (no time zone database shipped).
const fmts = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    fmts.set(tz, f);
  }
  return f;
}

export function partsIn(d: Date, tz: string): { date: string; time: string; y: number; m: number; day: number; h: number; min: number; s: number } {
  const p: Record<string, string> = {};
  for (const x of fmt(tz).formatToParts(d)) p[x.type] = x.value;
  const h = Number(p.hour) % 24;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${String(h).padStart(2, '0')}:${p.minute}`,
    y: Number(p.year),
    m: Number(p.month),
    day: Number(p.day),
    h,
    min: Number(p.minute),
    s: Number(p.second),
  };
}

function offsetAt(ts: number, tz: string): number {
  const p = partsIn(new Date(ts), tz);
  return Date.UTC(p.y, p.m - 1, p.day, p.h, p.min, p.s) - Math.floor(ts / 1000) * 1000;
}

export function wallToDate(y: number, m: number, d: number, h: number, min: number, s: number, tz: string): Date {
  const guess = Date.UTC(y, m - 1, d, h, min, s);
  let ts = guess - offsetAt(guess, tz);
  ts = guess - offsetAt(ts, tz);
  return new Date(ts);
}

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function zones(): string[] {
  const f = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const list = f ? f('timeZone') : [];
  const z = localZone();
  return [...new Set(['UTC', z, ...list])];
}
