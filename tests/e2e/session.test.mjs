// Sign-in, sign-out, CSRF, the 401 without a Basic dialog, security headers, languages, and a
// session past its server-side lifetime.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, assertClean, checkA11y, launch, newPage, screenshot, sessionCookie, signIn, startServer } from './helpers.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  addUser(server, 'alice', 'alice-password-1');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('app pages carry the security headers and the SPA serves every app path', async () => {
  for (const path of ['/', '/files/some/folder/', '/calendar']) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, `CSP of ${path}: ${csp}`);
    assert.match(csp, /frame-ancestors 'self'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  }
});

test('sign-in: a wrong password is refused, the right one lands on Files in the home folder', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/files/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await checkA11y(page, 'sign-in');
  await screenshot(page, 'signin');
  await page.getByLabel('User name').fill('alice');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong user name or password' }).waitFor();
  await page.getByLabel('Password').fill('alice-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/files/');
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Home' }).waitFor();
  const cookie = sessionCookie(await page.context().cookies());
  assert.ok(cookie, 'session cookie set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  const session = await page.evaluate(async () => (await fetch('/api/v1/session', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json());
  assert.equal(session.user, 'alice');
  assert.ok(session.csrf, 'the session has a CSRF token');
  assertClean(page);
  await page.context().close();
});

test('a state-changing request without the CSRF token is refused; with it, it succeeds', async () => {
  const page = await newPage(browser);
  await signIn(page, server.url, 'alice', 'alice-password-1');
  const r = await page.evaluate(async () => {
    const h = { 'X-Requested-With': 'XMLHttpRequest' };
    const session = await (await fetch('/api/v1/session', { headers: h })).json();
    const put = await fetch('/dav/files/alice/csrf.txt', { method: 'PUT', body: 'x', headers: h });
    const putBody = await put.text();
    const after = await fetch('/dav/files/alice/csrf.txt', { headers: h });
    const ap = await fetch('/api/v1/app-passwords', { method: 'POST', body: JSON.stringify({ label: 'x' }), headers: { ...h, 'Content-Type': 'application/json' } });
    const apBody = await ap.json().catch(() => null);
    const wrong = await fetch('/dav/files/alice/csrf.txt', { method: 'PUT', body: 'x', headers: { ...h, 'X-CSRF-Token': 'not-the-token' } });
    const good = await fetch('/dav/files/alice/csrf.txt', { method: 'PUT', body: 'x', headers: { ...h, 'X-CSRF-Token': session.csrf } });
    return { put: put.status, putBody, after: after.status, ap: ap.status, apBody, wrong: wrong.status, good: good.status };
  });
  assert.equal(r.put, 403, 'PUT without token');
  assert.match(r.putBody, /csrf/);
  assert.equal(r.after, 404, 'the refused PUT wrote nothing');
  assert.equal(r.ap, 403);
  assert.equal(r.apBody?.error, 'csrf');
  assert.equal(r.wrong, 403, 'a wrong token is refused');
  assert.ok([201, 204].includes(r.good), `PUT with the token: ${r.good}`);
  await page.context().close();
});

test('signing out ends the session: the old cookie gets 401 without a Basic challenge', async () => {
  const page = await newPage(browser);
  await signIn(page, server.url, 'alice', 'alice-password-1');
  const cookie = sessionCookie(await page.context().cookies());
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const res = await fetch(server.url + '/api/v1/session', { headers: { Cookie: `regie_session=${cookie.value}` } });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), null, 'no Basic challenge for a cookie request');
  const scripted = await fetch(server.url + '/dav/files/alice/', { method: 'PROPFIND', headers: { 'X-Requested-With': 'XMLHttpRequest', Depth: '0' } });
  assert.equal(scripted.status, 401);
  assert.equal(scripted.headers.get('www-authenticate'), null, 'no Basic challenge for a scripted request');
  const plain = await fetch(server.url + '/dav/files/alice/', { method: 'PROPFIND', headers: { Depth: '0' } });
  assert.equal(plain.status, 401);
  assert.match(plain.headers.get('www-authenticate') ?? '', /Basic/i, 'DAV clients still get the challenge');
  assertClean(page);
  await page.context().close();
});

test('the language follows the browser, can be switched and is remembered', async () => {
  const page = await newPage(browser, { locale: 'nl-NL' });
  await page.goto(server.url + '/');
  await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
  await page.getByLabel('Gebruikersnaam').fill('alice');
  await page.getByLabel('Wachtwoord').fill('alice-password-1');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.getByRole('heading', { name: 'Bestanden', level: 1 }).waitFor();
  await page.getByLabel('Taal').selectOption('en');
  await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assertClean(page);
  await page.context().close();
});

test('a session past its server-side lifetime gets 401 and the app returns to sign-in', async () => {
  const short = await startServer({ REGIE_SESSION_IDLE_TIMEOUT: '3s' });
  try {
    addUser(short, 'bob', 'bob-password-1');
    const page = await newPage(browser);
    await signIn(page, short.url, 'bob', 'bob-password-1');
    const cookie = sessionCookie(await page.context().cookies());
    const fresh = await fetch(short.url + '/api/v1/session', { headers: { Cookie: `regie_session=${cookie.value}` } });
    assert.equal(fresh.status, 200, 'the session works before it expires');
    await new Promise((r) => setTimeout(r, 4500));
    const old = await fetch(short.url + '/api/v1/session', { headers: { Cookie: `regie_session=${cookie.value}`, 'X-Requested-With': 'XMLHttpRequest' } });
    assert.equal(old.status, 401, 'the expired session is refused');
    const dav = await fetch(short.url + '/dav/files/bob/', { method: 'PROPFIND', headers: { Cookie: `regie_session=${cookie.value}`, Depth: '0' } });
    assert.equal(dav.status, 401, 'the expired cookie no longer opens WebDAV');
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Contacts' }).count(), 0);
    assertClean(page);
    await page.context().close();
  } finally {
    await short.stop();
  }
});
