// Administration (an administrator makes a user who then signs in) and Connect your devices
// (URLs, QR code, .mobileconfig, app passwords, password change).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, assertClean, checkPhone, basic, checkA11y, launch, newPage, screenshot, signIn, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an administrator creates a user who then signs in', async () => {
  const page = await newPage(browser);
  await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
  const orgs = page.getByRole('region', { name: 'Organisations' });
  await orgs.getByRole('cell', { name: 'default', exact: true }).waitFor();

  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('User name').fill('frank');
  await form.getByLabel('Display name').fill('Frank Zappa');
  await form.getByLabel('E-mail').fill('frank@museum.example');
  await form.getByLabel('Password (empty: generate one)').fill('frank-password-1');
  await form.getByRole('button', { name: 'Create user' }).click();
  await page.getByText('User frank created.').waitFor();
  const users = page.getByRole('region', { name: 'Users' });
  await users.getByRole('cell', { name: /^frank/ }).waitFor();

  // A generated password for a second user, shown once.
  await form.getByLabel('User name').fill('gina');
  await form.getByRole('button', { name: 'Create user' }).click();
  const secret = await page.locator('code.secret').textContent();
  assert.ok(secret && secret.length >= 8, 'a generated password is shown');
  const check = await fetch(`${server.url}/dav/files/gina/`, { method: 'PROPFIND', headers: { Authorization: basic('gina', secret), Depth: '0' } });
  assert.equal(check.status, 207, 'the generated password works');

  // Quota and storage columns, disable.
  await page.getByRole('button', { name: 'Quota of gina' }).click();
  await page.getByRole('dialog', { name: 'Quota of gina' }).getByLabel('Quota in GB (empty: unlimited)').fill('2');
  await page.getByRole('dialog', { name: 'Quota of gina' }).getByRole('button', { name: 'Save' }).click();
  await users.getByRole('row', { name: /gina/ }).getByText('2 GB').waitFor();
  await page.getByRole('button', { name: 'Disable gina' }).click();
  await users.getByRole('row', { name: /gina/ }).getByText('disabled').waitFor();
  const disabled = await fetch(`${server.url}/dav/files/gina/`, { method: 'PROPFIND', headers: { Authorization: basic('gina', secret), Depth: '0' } });
  assert.equal(disabled.status, 401, 'a disabled user cannot sign in');

  await checkA11y(page, 'admin');
  await screenshot(page, 'admin');
  await checkPhone(page, 'admin');
  assertClean(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  await signIn(page, server.url, 'frank', 'frank-password-1');
  assert.equal(new URL(page.url()).pathname, '/files/');
  assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0, 'members see no administration');
  const forbidden = await page.evaluate(async () => (await fetch('/api/v1/admin/users', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).status);
  assert.equal(forbidden, 403);
  await page.context().close();
});

test('connect your devices: settings, QR code, profile, app passwords, password change', async () => {
  const page = await newPage(browser);
  await signIn(page, server.url, 'frank', 'frank-password-1');
  await page.getByRole('link', { name: 'Connect your devices' }).click();
  await page.getByRole('heading', { name: 'Connect your devices', level: 1 }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Calendars (CalDAV)' }).inputValue(), `${server.url}/dav/calendars/frank/`);
  assert.equal(await page.getByRole('textbox', { name: 'Contacts (CardDAV)' }).inputValue(), `${server.url}/dav/addressbooks/frank/`);
  assert.equal(await page.getByRole('textbox', { name: 'Files (WebDAV)' }).inputValue(), `${server.url}/dav/files/frank/`);
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  assert.ok((await qr.evaluate((img) => img.naturalWidth)) > 50, 'QR code drawn');
  const profile = await page.evaluate(async () => {
    const r = await fetch('/api/v1/mobileconfig');
    return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
  });
  assert.equal(profile.status, 200);
  assert.match(profile.type ?? '', /application\/x-apple-aspen-config/);
  assert.match(profile.body, /CalDAV|caldav/);

  await page.getByLabel('Label').fill('phone');
  await page.getByRole('button', { name: 'Create app password' }).click();
  const pw = await page.getByRole('textbox', { name: 'App password', exact: true }).inputValue();
  assert.ok(pw.length >= 8);
  await page.getByRole('cell', { name: 'phone', exact: true }).waitFor();
  const ok = await fetch(`${server.url}/dav/calendars/frank/`, { method: 'PROPFIND', headers: { Authorization: basic('frank', pw), Depth: '0' } });
  assert.equal(ok.status, 207, 'the app password works for CalDAV');
  await checkA11y(page, 'devices');
  await screenshot(page, 'devices');
  await checkPhone(page, 'devices');
  await page.getByRole('button', { name: 'Revoke phone' }).click();
  await page.getByRole('dialog', { name: 'Revoke' }).getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('No app passwords yet.').waitFor();
  const revoked = await fetch(`${server.url}/dav/calendars/frank/`, { method: 'PROPFIND', headers: { Authorization: basic('frank', pw), Depth: '0' } });
  assert.equal(revoked.status, 401, 'a revoked app password no longer works');

  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password (at least 8 characters)').fill('frank-password-2');
  await page.getByLabel('New password again').fill('frank-password-2');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('The current password is wrong.').waitFor();
  await page.getByLabel('Current password').fill('frank-password-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password is changed.').waitFor();
  const newPw = await fetch(`${server.url}/dav/files/frank/`, { method: 'PROPFIND', headers: { Authorization: basic('frank', 'frank-password-2'), Depth: '0' } });
  assert.equal(newPw.status, 207);
  assertClean(page);
  await page.context().close();
});
