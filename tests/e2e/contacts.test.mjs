// Contacts: a contact made in the UI is returned by a CardDAV REPORT; search, edit, delete,
// import and export .vcf.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, assertClean, checkPhone, basic, checkA11y, launch, newPage, screenshot, signIn, startServer } from './helpers.mjs';

const PW = 'emil-password-1';
let server;
let browser;
let page;

async function cardReport(match) {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
  <C:filter><C:prop-filter name="FN"><C:text-match collation="i;unicode-casemap" match-type="contains">${match}</C:text-match></C:prop-filter></C:filter>
</C:addressbook-query>`;
  const res = await fetch(`${server.url}/dav/addressbooks/emil/contacts/`, {
    method: 'REPORT',
    body,
    headers: { Authorization: basic('emil', PW), Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
  });
  assert.equal(res.status, 207);
  return res.text();
}

before(async () => {
  server = await startServer();
  addUser(server, 'emil', PW);
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, server.url, 'emil', PW);
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a contact made in the UI is returned by a CardDAV REPORT', async () => {
  await page.getByRole('button', { name: 'New contact' }).click();
  const d = page.getByRole('dialog', { name: 'New contact' });
  await d.getByLabel('First name').fill('Ada');
  await d.getByLabel('Last name').fill('Lovelace');
  await d.getByLabel('Organisation').fill('Analytical Engine Museum');
  await d.getByLabel('E-mail 1').fill('ada@museum.example');
  await d.getByLabel('Phone 1').fill('+31 20 123 4567');
  await d.getByLabel('Street and number').fill('Museumplein 1');
  await d.getByLabel('City').fill('Amsterdam');
  await d.getByLabel('Note').fill('Curator; likes, commas');
  await d.getByLabel('Photo', { exact: true }).setInputFiles({
    name: 'ada.png',
    mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64'),
  });
  await d.getByRole('button', { name: 'Save' }).click();
  await d.waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
  await page.getByRole('link', { name: 'ada@museum.example' }).waitFor();
  const xml = await cardReport('Lovelace');
  assert.match(xml, /FN:Ada Lovelace/);
  assert.match(xml, /EMAIL[^:]*:ada@museum\.example/);
  assert.match(xml, /TEL[^:]*:\+31 20 123 4567/);
  assert.match(xml, /ORG:Analytical Engine Museum/);
  assert.match(xml, /NOTE:Curator\\; likes\\, commas/);
  assert.match(xml, /PHOTO/);
});

test('import a .vcf, search, edit and delete', async () => {
  const vcf = [
    'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:imp-1\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\nEMAIL:grace@navy.example\r\nEND:VCARD',
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\nTEL:+44 1\r\nEND:VCARD',
  ].join('\r\n');
  await page.getByLabel('Import .vcf').setInputFiles({ name: 'people.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcf) });
  await page.getByText('2 contacts imported, 0 skipped.').waitFor();
  const list = page.getByRole('list', { name: 'Contacts' });
  await list.getByRole('button', { name: /Grace Hopper/ }).waitFor();
  await list.getByRole('button', { name: /Alan Turing/ }).waitFor();
  assert.match(await cardReport('Turing'), /FN:Alan Turing/);

  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('navy');
  await page.waitForFunction(() => document.querySelectorAll('.contact-item').length === 1);
  assert.match(await list.textContent(), /Grace Hopper/);
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('nobody-matches');
  await page.getByText('No contacts.').waitFor();
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('');

  await list.getByRole('button', { name: /Grace Hopper/ }).click();
  await page.getByRole('button', { name: 'Edit' }).click();
  const d = page.getByRole('dialog', { name: 'Edit Grace Hopper' });
  await d.getByLabel('Phone 1').fill('+1 555 0100');
  await d.getByRole('button', { name: 'Save' }).click();
  await d.waitFor({ state: 'detached' });
  await page.getByRole('link', { name: '+1 555 0100' }).waitFor();
  assert.match(await cardReport('Hopper'), /TEL[^:]*:\+1 555 0100/);

  await list.getByRole('button', { name: /Alan Turing/ }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete contact?' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => ![...document.querySelectorAll('.contact-item')].some((e) => e.textContent.includes('Alan Turing')));
  assert.doesNotMatch(await cardReport('Turing'), /Alan Turing/);
});

test('export .vcf holds every contact', async () => {
  const href = await page.getByRole('link', { name: 'Export .vcf' }).getAttribute('href');
  const text = await page.evaluate(async (h) => (await fetch(h)).text(), href);
  assert.match(text, /FN:Ada Lovelace/);
  assert.match(text, /FN:Grace Hopper/);
  assert.doesNotMatch(text, /Alan Turing/);
});

test('contacts page: screenshot and accessibility with data loaded', async () => {
  await page.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: /Ada Lovelace/ }).click();
  await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
  await checkA11y(page, 'contacts');
  await screenshot(page, 'contacts');
  await checkPhone(page, 'contacts');
  assertClean(page);
});
