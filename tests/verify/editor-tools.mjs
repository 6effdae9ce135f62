#!/usr/bin/env node
// The article form's tools with JavaScript on (src/edit/cong-cu.js), in headless Chromium
// (playwright-core). Run by tests/it/edit_tools.rs; by hand:
//
//   node tests/verify/editor-tools.mjs ORIGIN ADMIN:PASSWORD ARTICLE PHOTO.jpg
//
// Logs in, opens /bai/ARTICLE, then: pastes Word HTML into #noi_dung at the cursor (a paste
// event carrying text/html), inserts the first "Chèn số liệu" entry with its button, uploads
// PHOTO through #anh + #mo_ta_anh, and reads the page that comes back. Prints JSON with the
// body's text after each step; exits 1 when a step fails (2 on a usage/launch error).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [origin, adminArg, article, photo] = process.argv.slice(2);
if (!origin || !adminArg || !article || !photo) {
  console.error('usage: editor-tools.mjs ORIGIN ADMIN:PW ARTICLE PHOTO');
  process.exit(2);
}
const [name, password] = [adminArg.slice(0, adminArg.indexOf(':')), adminArg.slice(adminArg.indexOf(':') + 1)];
const playwright = require('playwright-core');
const profileRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-'));
process.env.TMPDIR = profileRoot;
const report = { ok: false };
let browser;
try {
  browser = await playwright.chromium.launch({
    executablePath: process.env.BANTIN_CHROMIUM || '/usr/bin/chromium',
    headless: true, chromiumSandbox: false, args: ['--no-sandbox', '--disable-gpu'],
  });
} catch (e) {
  fs.rmSync(profileRoot, { recursive: true, force: true });
  console.error(`cannot launch chromium: ${e.message}`);
  process.exit(2);
}

const WORD = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->` +
  `<p class=MsoNormal>Đạt <b>85,5%</b> kế hoạch<o:p></o:p></p>` +
  `<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·<span>&nbsp; </span></span>Huyện Đắk Hà<o:p></o:p></p>` +
  `<!--EndFragment--></body></html>`;

try {
  const ctx = await browser.newContext({ locale: 'vi-VN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + '/dang-nhap');
  await page.fill('#ten', name);
  await page.fill('#mat-khau', password);
  await Promise.all([page.waitForURL(origin + '/'), page.click('button[type=submit]')]);
  await page.goto(origin + '/bai/' + article);
  // the cursor at the very start, then a paste with text/html (what Word puts there)
  await page.evaluate((html) => {
    const t = document.getElementById('noi_dung');
    t.focus();
    t.setSelectionRange(0, 0);
    const dt = new DataTransfer();
    dt.setData('text/html', html);
    dt.setData('text/plain', 'Đạt 85,5% kế hoạch');
    t.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, WORD);
  await page.waitForFunction(() => document.getElementById('cong-cu-trang-thai').textContent !== ''
    && !document.getElementById('cong-cu-trang-thai').textContent.startsWith('Đang'));
  report.status_after_paste = await page.textContent('#cong-cu-trang-thai');
  report.after_paste = await page.inputValue('#noi_dung');
  // a picker: open it, press its first button (the cursor is after the pasted text)
  await page.click('#chen-so-lieu summary');
  report.inserted = await page.getAttribute('#chen-so-lieu button.chen >> nth=0', 'data-chen');
  await page.click('#chen-so-lieu button.chen >> nth=0');
  report.after_picker = await page.inputValue('#noi_dung');
  // a photo: the unsaved text above must come back with the photo's line in it
  await page.setInputFiles('#anh', photo);
  await page.fill('#mo_ta_anh', 'Quang cảnh buổi làm việc');
  await Promise.all([page.waitForNavigation(), page.click('#tai-anh button[type=submit]')]);
  report.after_upload = await page.inputValue('#noi_dung');
  report.notice = await page.textContent('p.bao[role=status]');
  report.action = await page.getAttribute('form.bai', 'action');
  report.errors = errors;
  report.ok = errors.length === 0;
} catch (e) {
  report.failure = String(e && e.stack || e);
} finally {
  await browser.close().catch(() => {});
  fs.rmSync(profileRoot, { recursive: true, force: true });
}
console.log(JSON.stringify(report, null, 1));
process.exit(report.ok ? 0 : 1);
