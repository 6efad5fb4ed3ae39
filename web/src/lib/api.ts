// HTTP helpers: every request carries X-Requested-With (so a 401 has no Basic challenge and the
// browser shows no dialog of its own) and, for state-changing methods, the session's CSRF token.

export interface Session {
  user: string;
  display_name?: string;
  email?: string;
  org?: string;
  role: 'operator' | 'org-admin' | 'member';
  csrf: string;
  quota?: number;
  used?: number;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'REPORT']);
let csrf = '';
let onUnauthorized: () => void = () => {};

export function setCsrf(token: string): void {
  csrf = token;
}
export function notifyUnauthorized(): void {
  onUnauthorized();
}
export function csrfToken(): string {
  return csrf;
}
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export class HttpError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export function headersFor(method: string, extra?: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest', ...extra };
  if (!SAFE.has(method.toUpperCase()) && csrf) h['X-CSRF-Token'] = csrf;
  return h;
}

export async function request(
  method: string,
  url: string,
  opts: { body?: BodyInit | null; headers?: Record<string, string>; ok?: number[]; quiet401?: boolean } = {},
): Promise<Response> {
  const res = await fetch(url, {
    method,
    body: opts.body ?? null,
    headers: headersFor(method, opts.headers),
    credentials: 'same-origin',
  });
  if (res.status === 401 && !opts.quiet401) onUnauthorized();
  const ok = opts.ok ?? [];
  if (!res.ok && !ok.includes(res.status)) {
    let code = String(res.status);
    let detail = res.statusText;
    try {
      const text = await res.text();
      try {
        const j = JSON.parse(text);
        code = j.error ?? code;
        detail = j.detail ?? detail;
      } catch {
        if (text && text.length < 300 && !text.startsWith('<')) detail = text;
      }
    } catch {
      /* no body */
    }
    throw new HttpError(res.status, code, `${res.status} ${detail || code}`);
  }
  return res;
}

export async function json<T>(method: string, url: string, body?: unknown, ok?: number[]): Promise<T> {
  const res = await request(method, url, {
    body: body === undefined ? null : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ok,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function getSession(): Promise<Session | null> {
  const res = await request('GET', '/api/v1/session', { ok: [401], quiet401: true });
  if (res.status === 401) return null;
  return (await res.json()) as Session;
}

export async function signIn(login: string, password: string): Promise<Session> {
  const res = await request('POST', '/api/v1/session', {
    body: JSON.stringify({ login, password }),
    headers: { 'Content-Type': 'application/json' },
    quiet401: true,
  });
  return (await res.json()) as Session;
}

export async function signOut(): Promise<void> {
  await request('DELETE', '/api/v1/session', { ok: [401], quiet401: true });
}

export function formatBytes(n: number | undefined, lang = 'en'): string {
  if (n === undefined || Number.isNaN(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const s = i === 0 ? String(v) : v.toLocaleString(lang, { maximumFractionDigits: v < 10 ? 1 : 0 });
  return `${s} ${units[i]}`;
}
