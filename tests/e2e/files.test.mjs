// Files: upload with progress (files and a folder), preview, rename, move, delete, zip download,
// keyboard, phone width; the first page's JavaScript size and a folder of 5,000 entries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { addUser, assertClean, basic, checkA11y, launch, newPage, screenshot, signIn, startServer } from './helpers.mjs';

const PW = 'carol-password-1';
let server;
let browser;
let page;
let tmp;
const dav = (path, init = {}) =>
  fetch(`${server.url}/dav/files/carol/${path}`, { ...init, headers: { Authorization: basic('carol', PW), ...(init.headers ?? {}) } });

// A 2x2 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

before(async () => {
  server = await startServer();
  addUser(server, 'carol', PW);
  browser = await launch();
  page = await newPage(browser);
  tmp = mkdtempSync(join(tmpdir(), 'regie-files-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const row = (name) => page.locator('li.row').filter({ has: page.locator('.name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });

test('the first files page loads little JavaScript (calendar code stays out)', async () => {
  const scripts = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() === 'script') scripts.push({ url: res.url(), body: await res.body().catch(() => Buffer.alloc(0)) });
  });
  await signIn(page, server.url, 'carol', PW);
  await page.getByText('This folder is empty.').waitFor();
  await page.waitForTimeout(500);
  page.removeAllListeners('response');
  const gz = scripts.reduce((s, x) => s + gzipSync(x.body, { level: 9 }).length, 0);
  const raw = scripts.reduce((s, x) => s + x.body.length, 0);
  console.log(`# first files page: ${scripts.length} script(s), ${raw} bytes, ${(gz / 1024).toFixed(1)} KB gzipped`);
  assert.ok(scripts.length >= 1);
  assert.ok(!scripts.some((s) => /Calendar|fullcalendar/i.test(s.url)), 'no calendar code on the files page');
  assert.ok(gz < 200 * 1024, `gzipped JS ${gz} bytes < 200 KB`);
});

test('upload several files with a progress bar per file and in total', async () => {
  const files = [
    { name: 'notes.txt', buffer: Buffer.from('Opening night notes\nLine two\n') },
    { name: 'poster.png', buffer: PNG },
    { name: 'recording.bin', buffer: Buffer.alloc(3 * 1024 * 1024, 7) },
    { name: 'budget 2027 €.csv', buffer: Buffer.from('item,cost\nlights,100\n') },
  ];
  // A slow uplink (about 2 MB/s), so the bars are seen part-way.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
  await page.locator('#upload-files').setInputFiles(files.map((f) => ({ ...f, mimeType: f.name.endsWith('.png') ? 'image/png' : 'application/octet-stream' })));
  const uploads = page.getByRole('region', { name: 'Uploads' });
  await page.waitForFunction(() => {
    const bar = document.querySelector('progress[aria-label="Upload of recording.bin"]');
    const total = document.querySelector('progress[aria-label="Total progress"]');
    return bar && total && bar.value > 0 && bar.value < bar.max && total.value > 0 && total.value < total.max;
  }, null, { polling: 50, timeout: 20000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await uploads.getByText(`All uploads done (${files.length})`).waitFor();
  for (const f of files) {
    const bar = uploads.getByRole('progressbar', { name: `Upload of ${f.name}` });
    assert.equal(await bar.getAttribute('value'), String(f.buffer.length), `progress of ${f.name} is complete`);
    assert.equal(await bar.getAttribute('max'), String(f.buffer.length));
  }
  const total = uploads.getByRole('progressbar', { name: 'Total progress' });
  assert.equal(await total.getAttribute('value'), await total.getAttribute('max'));
  for (const f of files) await row(f.name).waitFor();
  const back = await dav(encodeURIComponent('budget 2027 €.csv'));
  assert.equal(back.status, 200);
  assert.equal(await back.text(), 'item,cost\nlights,100\n');
  await page.getByText(/Storage: .* used/).waitFor();
});

test('upload a whole folder: its subfolders are made first', async () => {
  const dir = join(tmp, 'Season 2027');
  mkdirSync(join(dir, 'posters'), { recursive: true });
  writeFileSync(join(dir, 'plan.txt'), 'the plan');
  writeFileSync(join(dir, 'posters', 'a.txt'), 'poster a');
  await page.locator('#upload-folder').setInputFiles(dir);
  await page.getByRole('region', { name: 'Uploads' }).getByText('All uploads done (2)').waitFor();
  await row('Season 2027').waitFor();
  const res = await dav('Season%202027/posters/a.txt');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'poster a');
});

test('drop files on the page to upload them', async () => {
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped one'], 'dropped-1.txt', { type: 'text/plain' }));
    dt.items.add(new File(['dropped two'], 'dropped-2.txt', { type: 'text/plain' }));
    const target = document.querySelector('section.files');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.getByRole('region', { name: 'Uploads' }).getByText('All uploads done (2)').waitFor();
  await row('dropped-2.txt').waitFor();
  assert.equal(await (await dav('dropped-1.txt')).text(), 'dropped one');
  for (const n of ['dropped-1.txt', 'dropped-2.txt']) assert.equal((await dav(n, { method: 'DELETE' })).status, 204);
  await page.reload();
  await row('notes.txt').waitFor();
});

test('preview text and images', async () => {
  await row('notes.txt').getByRole('button', { name: 'notes.txt', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'notes.txt' });
  await dialog.locator('pre').filter({ hasText: 'Opening night notes' }).waitFor();
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await dialog.waitFor({ state: 'detached' });
  await row('poster.png').getByRole('button', { name: 'poster.png', exact: true }).click();
  const img = page.getByRole('dialog', { name: 'poster.png' }).getByRole('img', { name: 'poster.png' });
  await img.waitFor();
  await page.waitForFunction(() => document.querySelector('dialog img')?.naturalWidth === 2);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
});

function wav() {
  const samples = 8000;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(8000 * Math.sin(i / 4)), 44 + i * 2);
  return b;
}
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

test('preview PDF, audio and video', async () => {
  for (const [name, body, type] of [['leaflet.pdf', PDF, 'application/pdf'], ['jingle.wav', wav(), 'audio/wav'], ['teaser.webm', Buffer.from('not really a video'), 'video/webm']]) {
    assert.ok([201, 204].includes((await dav(name, { method: 'PUT', body, headers: { 'Content-Type': type } })).status));
  }
  await page.reload();
  await row('leaflet.pdf').getByRole('button', { name: 'leaflet.pdf', exact: true }).click();
  const frame = page.getByRole('dialog', { name: 'leaflet.pdf' }).locator('iframe[title="leaflet.pdf"]');
  assert.equal(await frame.getAttribute('src'), '/dav/files/carol/leaflet.pdf');
  await page.keyboard.press('Escape');
  await row('jingle.wav').getByRole('button', { name: 'jingle.wav', exact: true }).click();
  await page.getByRole('dialog', { name: 'jingle.wav' }).locator('audio[controls]').waitFor();
  await page.waitForFunction(() => document.querySelector('dialog audio')?.duration > 0.9, null, { timeout: 10000 });
  await page.keyboard.press('Escape');
  await row('teaser.webm').getByRole('button', { name: 'teaser.webm', exact: true }).click();
  assert.equal(await page.getByRole('dialog', { name: 'teaser.webm' }).locator('video[controls]').getAttribute('src'), '/dav/files/carol/teaser.webm');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  for (const name of ['leaflet.pdf', 'jingle.wav', 'teaser.webm']) assert.equal((await dav(name, { method: 'DELETE' })).status, 204);
  await page.reload();
  await row('notes.txt').waitFor();
});

test('new folder, rename, move and delete (with confirmation)', async () => {
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByRole('dialog', { name: 'New folder' }).getByLabel('Name').fill('Archive');
  await page.getByRole('dialog', { name: 'New folder' }).getByRole('button', { name: 'Create' }).click();
  await row('Archive').waitFor();

  await page.getByRole('button', { name: 'Rename notes.txt' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename notes.txt' });
  await rename.getByLabel('Name').fill('minutes.txt');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await row('minutes.txt').waitFor();
  assert.equal(await row('notes.txt').count(), 0);
  assert.equal((await dav('minutes.txt')).status, 200);
  assert.equal((await dav('notes.txt')).status, 404);

  await page.getByRole('button', { name: 'Move minutes.txt' }).click();
  const move = page.getByRole('dialog', { name: 'Move minutes.txt' });
  await move.getByLabel('Destination folder').fill('/Archive');
  await move.getByRole('button', { name: 'Move' }).click();
  await move.waitFor({ state: 'detached' });
  await page.waitForFunction(() => ![...document.querySelectorAll('li.row .name')].some((e) => e.textContent === 'minutes.txt'));
  assert.equal((await dav('Archive/minutes.txt')).status, 200);

  await page.getByRole('button', { name: 'Delete poster.png' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete?' });
  await confirm.getByText('Delete the file “poster.png”').waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await dav('poster.png')).status, 200, 'cancel keeps the file');
  await page.getByRole('button', { name: 'Delete poster.png' }).click();
  await page.getByRole('dialog', { name: 'Delete?' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => ![...document.querySelectorAll('li.row .name')].some((e) => e.textContent === 'poster.png'));
  assert.equal((await dav('poster.png')).status, 404);

  await row('Archive').getByRole('link', { name: 'Archive', exact: true }).click();
  await row('minutes.txt').waitFor();
  assert.equal(new URL(page.url()).pathname, '/files/Archive/');
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Archive', exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Home' }).click();
  await row('Archive').waitFor();
});

test('sorting and keyboard navigation of the list', async () => {
  const names = async () => page.locator('li.row .name').allTextContents();
  // The list re-renders after the click: poll until it shows the expected order ({index: name},
  // a negative index counts from the end).
  const order = (expected, what) =>
    page
      .waitForFunction(
        (exp) => {
          const n = [...document.querySelectorAll('li.row .name')].map((e) => e.textContent);
          return Object.entries(exp).every(([i, v]) => n[Number(i) < 0 ? n.length + Number(i) : Number(i)] === v);
        },
        expected,
        { timeout: 5000 },
      )
      .catch(async () => assert.fail(`${what}: ${JSON.stringify(await names())}`));
  await order({ 0: 'Archive', 1: 'Season 2027' }, 'folders first, by name');
  await page.getByRole('button', { name: /^Size/ }).click();
  await order({ 2: 'budget 2027 €.csv', '-1': 'recording.bin' }, 'by size, largest last');
  await page.getByRole('button', { name: /^Size/ }).click();
  await order({ 2: 'recording.bin', '-1': 'budget 2027 €.csv' }, 'descending: largest first after the folders');
  await page.getByRole('button', { name: /^Name/ }).click();
  await row('Archive').getByRole('link', { name: 'Archive', exact: true }).focus();
  const focused = (name) => page.waitForFunction((n) => document.activeElement?.textContent === n, name, { timeout: 5000 });
  await page.keyboard.press('ArrowDown');
  await focused('Season 2027');
  await page.keyboard.press('ArrowDown');
  await focused('budget 2027 €.csv');
  await page.keyboard.press('ArrowUp');
  await focused('Season 2027');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/files\/Season%202027\/$/);
  await row('plan.txt').waitFor();
  await page.goBack();
  await row('Archive').waitFor();
});

test('files page: screenshot, accessibility, phone width', async () => {
  await checkA11y(page, 'files');
  await screenshot(page, 'files');
  await page.setViewportSize({ width: 375, height: 740 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (overflow ${overflow})`);
  await page.getByRole('button', { name: 'Rename recording.bin' }).waitFor();
  await checkA11y(page, 'files (phone)');
  await screenshot(page, 'files-phone');
  await page.setViewportSize({ width: 1280, height: 860 });
});

test('a folder downloads as a valid zip', async () => {
  const href = await page.getByRole('link', { name: 'Download Archive' }).getAttribute('href');
  assert.equal(href, '/dav/files/carol/Archive/?download=zip');
  const bytes = await page.evaluate(async (h) => Array.from(new Uint8Array(await (await fetch(h)).arrayBuffer())), href);
  const zip = join(tmp, 'archive.zip');
  writeFileSync(zip, Buffer.from(bytes));
  const test = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
  assert.equal(test.status, 0, `unzip -t: ${test.stdout}${test.stderr}`);
  const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
  assert.match(list.stdout, /minutes\.txt/);
  const content = spawnSync('unzip', ['-p', zip, '*minutes.txt'], { encoding: 'utf8' });
  assert.equal(content.stdout, 'Opening night notes\nLine two\n');
});

test('a folder of 5,000 entries shows quickly and stays virtualised', async () => {
  assert.equal((await dav('big/', { method: 'MKCOL' })).status, 201);
  let next = 0;
  const N = 5000;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const res = await dav(`big/item-${String(i).padStart(4, '0')}.txt`, { method: 'PUT', body: `entry ${i}` });
      assert.ok(res.status === 201 || res.status === 204, `PUT ${i}: ${res.status}`);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(`# created ${N} files in ${Date.now() - t0} ms`);
  const start = Date.now();
  await page.goto(server.url + '/files/big/');
  await page.getByText('5,000 items').waitFor({ timeout: 30000 });
  await row('item-0000.txt').waitFor();
  const ms = Date.now() - start;
  console.log(`# folder of ${N} entries shown in ${ms} ms (page load included)`);
  // Within the app: from the home folder into the big one.
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Home' }).click();
  await row('Archive').waitFor();
  const click = Date.now();
  await row('big').getByRole('link', { name: 'big', exact: true }).click();
  await page.getByText('5,000 items').waitFor({ timeout: 30000 });
  await row('item-0000.txt').waitFor();
  const propfindMs = await page.evaluate(() => {
    const r = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/dav/files/carol/big/')).pop();
    return r ? Math.round(r.responseEnd - r.startTime) : -1;
  });
  const parts = await page.evaluate(() =>
    ['propfind', 'parse', 'sort+render'].map((n) => `${n} ${Math.round(performance.getEntriesByName(`regie:files:${n}`).pop()?.duration ?? -1)} ms`).join(', '),
  );
  console.log(`# folder of ${N} entries shown ${Date.now() - click} ms after the click (PROPFIND on the wire ${propfindMs} ms; ${parts})`);
  const rendered = await page.locator('li.row').count();
  assert.ok(rendered < 100, `only visible rows are in the DOM (${rendered})`);
  await page.locator('.vlist').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await row('item-4999.txt').waitFor();
  assert.ok(ms < 10000, `5,000 entries in ${ms} ms`);
  assertClean(page);
});
