#!/usr/bin/env node
// Browser checks of `bantin edit`'s screens, in the machine's headless Chromium (playwright-core,
// no downloaded browser). Run by tests/it/edit.rs; usable by hand too:
//
//   node tests/verify/editor.mjs ORIGIN ADMIN:PASSWORD WRITER:PASSWORD [SCREENSHOT_DIR]
//
// Logs in through the real form (JavaScript off: the editor works without its one script, the
// article form's preview and toolbar), then on every screen —
// login, 401, article list, filtered list, accounts, 404, an article's form, a new article,
// an article's history (tests/it/edit.rs saves it once first), one earlier version, the conflict
// screen (two tabs saving one article), the figures list and grid, and
// 403 and the read-only grid for the phóng viên — at
// 360×740 and 1280×800: the expected status, no failed sub-request, no horizontal scrolling,
// axe-core (WCAG 2.0/2.1/2.2 A+AA) with 0 violations (in the axe context, with scripts on and
// every <details> opened: the article form's pickers and their "Chèn" buttons); on the article
// form, the toolbar hidden without script, and with script shown and the real-theme preview in
// its frame. axe is injected into a second context
// that bypasses the Content-Security-Policy (the policy forbids any script not served by the
// editor, axe included; tests/it/edit.rs asserts the policy itself).
//
// Prints a JSON report on stdout; exits 1 when a check fails (2 on a usage/launch error).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const VIEWPORTS = [{ width: 360, height: 740 }, { width: 1280, height: 800 }];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function die(msg) {
  console.error(`editor.mjs: ${msg}`);
  process.exit(2);
}
const [origin, adminArg, writerArg, shots] = process.argv.slice(2);
if (!origin || !adminArg || !writerArg) die('usage: editor.mjs ORIGIN ADMIN:PW WRITER:PW [DIR]');
const split = (s) => [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)];
const playwright = require('playwright-core');
const axePath = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
const executablePath = process.env.BANTIN_CHROMIUM || '/usr/bin/chromium';

// Chromium's profile under a short temporary folder of ours (see browser.mjs).
const profileRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'be-'));
process.env.TMPDIR = profileRoot;
const failures = [];
const report = { ok: false, pages: [], failures };
let browser;
try {
  browser = await playwright.chromium.launch({
    executablePath, headless: true, chromiumSandbox: false, args: ['--no-sandbox', '--disable-gpu'],
  });
} catch (e) {
  fs.rmSync(profileRoot, { recursive: true, force: true });
  die(`cannot launch ${executablePath}: ${e.message}`);
}

// One signed-in (or not) pair of contexts: `plain` as a browser is, `axe` with the CSP bypassed.
async function contexts(cookies) {
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
  const axe = await browser.newContext({ bypassCSP: true, locale: 'vi-VN' });
  if (cookies.length) await axe.addCookies(cookies);
  return { plain, axe };
}

async function login(ctx, name, password) {
  const page = await ctx.newPage();
  await page.goto(origin + '/dang-nhap');
  await page.fill('#ten', name);
  await page.fill('#mat-khau', password);
  await Promise.all([page.waitForURL(origin + '/'), page.click('button[type=submit]')]);
  const cookies = await ctx.cookies();
  await page.close();
  return cookies;
}

// The article form: without script the toolbar stays hidden; with script it shows, and an
// article with a title gets its real-theme preview (the theme's header, the h1) in the frame.
async function previewShown(page, fail, vp, script) {
  if (!(await page.$('#xem-truoc'))) return;
  const hidden = (await page.$('#thanh-cong-cu[hidden]')) !== null;
  if (hidden === script) fail(`toolbar-${vp.width}`, `the Markdown toolbar is ${hidden ? 'hidden' : 'shown'} with script ${script ? 'on' : 'off'}`);
  if (!script) return;
  const title = await page.inputValue('#tieu_de');
  if (!title) return;
  const frame = page.frameLocator('#xem-truoc');
  try {
    await frame.locator('header.dau-trang').waitFor({ timeout: 30000 });
    const h1 = (await frame.locator('h1#tieu-de-bai').innerText()).trim();
    if (h1 !== title) fail(`preview-${vp.width}`, `preview h1 "${h1}", title "${title}"`);
  } catch (e) {
    fail(`preview-${vp.width}`, `no real-theme preview in the frame: ${e.message.split('\n')[0]}`);
  }
}

async function check(ctxs, name, url, status) {
  const entry = { name, url };
  report.pages.push(entry);
  const fail = (check, message) => failures.push({ page: name, url, check, message });
  for (const vp of VIEWPORTS) {
    const page = await ctxs.plain.newPage();
    await page.setViewportSize(vp);
    const failed = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('response', (r) => { if (r.url() !== origin + url && r.status() >= 400) failed.push(`${r.url()} ${r.status()}`); });
    const resp = await page.goto(origin + url);
    if (resp.status() !== status) fail(`status-${vp.width}`, `HTTP ${resp.status()}, expected ${status}`);
    await previewShown(page, fail, vp, false);
    if (failed.length) fail(`requests-${vp.width}`, failed.join(', '));
    if (shots) await page.screenshot({ path: path.join(shots, `${name}-${vp.width}.png`), fullPage: true });
    await page.close();
    const a = await ctxs.axe.newPage();
    await a.setViewportSize(vp);
    await a.goto(origin + url);
    await previewShown(a, fail, vp, true);
    await axeOn(a, entry, fail, vp);
    await a.close();
  }
}

/** axe and the overflow check on a page already loaded (in the axe context), every <details>
 *  open (the article form's pickers: their lists are checked too). */
async function axeOn(a, entry, fail, vp) {
  await a.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const scroll = await a.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (scroll > 0) fail(`overflow-${vp.width}`, `${scroll}px of horizontal scrolling`);
  await a.addScriptTag({ path: axePath });
  const result = await a.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
  entry[`axe_violations_${vp.width}`] = result.violations.length;
  for (const v of result.violations) {
    fail(`axe-${vp.width}`, `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
}

// The conflict screen, which only a POST shows: two tabs open one article, the first saves,
// the second's save gets 409 with both texts; checked like every other screen.
async function conflictScreen(ctxs, article) {
  const url = `/bai/${article}`;
  const entry = { name: 'xung-dot', url };
  report.pages.push(entry);
  const fail = (check, message) => failures.push({ page: 'xung-dot', url, check, message });
  for (const vp of VIEWPORTS) {
    const first = await ctxs.axe.newPage();
    const second = await ctxs.axe.newPage();
    await second.setViewportSize(vp);
    await first.goto(origin + url);
    await second.goto(origin + url);
    await first.fill('#mo_ta', `Mô tả sửa ở tab thứ nhất (${vp.width})`);
    await Promise.all([first.waitForURL(/xong=luu/), first.click('form.bai button[type=submit]:not([formaction])')]);
    await second.fill('#mo_ta', `Mô tả sửa ở tab thứ hai (${vp.width})`);
    const [resp] = await Promise.all([
      // (not the preview's POST /xem-truoc, which typing also sends)
      second.waitForResponse((r) => r.request().method() === 'POST' && r.url() === origin + url),
      second.click('form.bai button[type=submit]:not([formaction])'),
    ]);
    await second.waitForLoadState('load');
    if (resp.status() !== 409) fail(`status-${vp.width}`, `HTTP ${resp.status()}, expected 409`);
    if (shots) await second.screenshot({ path: path.join(shots, `xung-dot-${vp.width}.png`), fullPage: true });
    await axeOn(second, entry, fail, vp);
    await first.close();
    await second.close();
  }
}

// The grid's script under the real Content-Security-Policy: typing a figure the build refuses
// shows the server's message beside its cell; a block pasted from Excel fills rightwards and
// downwards. Nothing is saved (no submit).
async function gridScript(cookies, url) {
  const fail = (check, message) => failures.push({ page: 'so-lieu-js', url, check, message });
  const ctx = await browser.newContext({ locale: 'vi-VN' });
  await ctx.addCookies(cookies);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(origin + url);
  await page.fill('#o-dak-ha-disbursed', '1.250');
  try {
    await page.waitForSelector('#loi-o-dak-ha-disbursed', { timeout: 10000 });
    const text = await page.textContent('#loi-o-dak-ha-disbursed');
    if (!text.startsWith('Đã giải ngân (1.250) lớn hơn dự toán được giao (540)')) fail('live', text);
    if (await page.getAttribute('#o-dak-ha-disbursed', 'aria-invalid') !== 'true') fail('live', 'no aria-invalid');
  } catch (e) { fail('live', String(e)); }
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', '541\t471\r\n511\t431\r\n');
    const el = document.getElementById('o-dak-ha-allocated');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  const got = await page.evaluate(() => ['o-dak-ha-allocated', 'o-dak-ha-disbursed', 'o-dak-to-allocated', 'o-dak-to-disbursed'].map((id) => document.getElementById(id).value));
  if (got.join(' ') !== '541 471 511 431') fail('paste', got.join(' '));
  // the pasted block is checked at once: Đăk Hà is within its allocation again
  try {
    await page.waitForSelector('#loi-o-dak-ha-disbursed', { state: 'detached', timeout: 10000 });
  } catch (e) { fail('paste-check', String(e)); }
  if (errors.length) fail('console', errors.join(' | '));
  await ctx.close();
}

try {
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const anon = await contexts([]);
  await check(anon, 'dang-nhap', '/dang-nhap', 200);
  await check(anon, '401', '/tai-khoan', 401);
  const [an, anPw] = split(adminArg);
  const admin = await contexts([]);
  const cookies = await login(admin.plain, an, anPw);
  await admin.axe.addCookies(cookies);
  await check(admin, 'bai-viet', '/', 200);
  await check(admin, 'loc', '/?q=du+an&trang_thai=da-dang', 200);
  await check(admin, 'tai-khoan', '/tai-khoan', 200);
  await check(admin, '404', '/khong-co', 404);
  const article = 'tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md';
  await check(admin, 'sua-bai', `/bai/${article}`, 200);
  await check(admin, 'bai-moi', '/bai-moi?chuyen_muc=tin-tuc', 200);
  await check(admin, 'lich-su', `/lich-su/${article}`, 200);
  {
    // one earlier version, read-only (its link from the history)
    const h = await admin.plain.newPage();
    await h.goto(`${origin}/lich-su/${article}`);
    const href = await h.locator('a[href*="?ban="]').first().getAttribute('href');
    await h.close();
    await check(admin, 'ban-cu', href, 200);
  }
  await conflictScreen(admin, article);
  const grid = '/so-lieu/du-an-5-kon-tum-2023.toml';
  await check(admin, 'so-lieu', '/so-lieu', 200);
  await check(admin, 'so-lieu-bang', grid, 200);
  await gridScript(cookies, grid);
  // The outcome of the publish tests/it/edit.rs ran first.
  await check(admin, 'dang', '/dang', 200);
  const [w, wPw] = split(writerArg);
  const writer = await contexts([]);
  await writer.axe.addCookies(await login(writer.plain, w, wPw));
  await check(writer, '403', '/tai-khoan', 403);
  await check(writer, 'so-lieu-xem', grid, 200);
  report.ok = failures.length === 0;
} catch (e) {
  failures.push({ check: 'run', message: String(e && e.stack || e) });
} finally {
  await browser.close().catch(() => {});
  fs.rmSync(profileRoot, { recursive: true, force: true });
}
console.log(JSON.stringify(report, null, 1));
process.exit(report.ok ? 0 : 1);
