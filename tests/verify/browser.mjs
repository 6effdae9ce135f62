#!/usr/bin/env node
// Browser checks of a built bantin site, in the machine's headless Chromium (playwright-core,
// no downloaded browser). Run by tests/it/verify.rs; usable by hand too:
//
//   node tests/verify/browser.mjs BASE_URL PAGES_JSON [--screenshots DIR | --no-screenshots]
//
// BASE_URL   e.g. http://127.0.0.1:8080/bantin/
// PAGES_JSON a JSON list [{"type": "article", "url": "tin-tuc/x/"}, …]; urls relative to BASE_URL
//            or absolute. Types: home, list, article, taxonomy, term, 404, area, project,
//            overview, search (anything else gets the checks every type gets).
//
// Every page: HTTP status (404 for type 404, else 200), no failed sub-requests, no page errors,
// axe-core with WCAG 2.0/2.1/2.2 A+AA rules and 0 violations, no horizontal scrolling at 360×740
// and 1280×800, full-page screenshots at both sizes.
// article/area/overview: with JavaScript disabled the main text, tables and charts are all shown.
// The first article: print media hides nav/aside/header menu and shows the article.
// search: typing "binh dang gioi" into the real search box lists the Dự án 8 article first.
//
// Prints a JSON report on stdout; exits 1 when any check fails (2 on a usage/launch error).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const JS_OFF_TYPES = new Set(['article', 'area', 'overview']);
const SEARCH_QUERY = 'binh dang gioi';
const SEARCH_EXPECT = { url: /\/ket-qua-du-an-8-nam-2022\//, text: /Kết quả thực hiện Dự án 8|Dự án 8 năm 2022/i };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function die(msg) {
  process.stderr.write(`browser.mjs: ${msg}\n`);
  process.exit(2);
}
function usage(msg) {
  die(`${msg}\nusage: node browser.mjs BASE_URL PAGES_JSON [--screenshots DIR | --no-screenshots]`);
}

const argv = process.argv.slice(2);
let screenshots = path.resolve(here, '..', '..', 'target', 'screenshots');
const positional = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--screenshots') screenshots = path.resolve(argv[++i] ?? usage('--screenshots needs a directory'));
  else if (argv[i] === '--no-screenshots') screenshots = null;
  else positional.push(argv[i]);
}
if (positional.length !== 2) usage('expected BASE_URL and PAGES_JSON');
const baseUrl = positional[0].endsWith('/') ? positional[0] : `${positional[0]}/`;
let pages;
try {
  pages = JSON.parse(positional[1]);
  if (!Array.isArray(pages)) throw new Error('not a list');
} catch (e) {
  usage(`PAGES_JSON: ${e.message}`);
}
pages = pages.map((p) => ({ type: String(p.type), url: new URL(p.url, baseUrl).href }));

let playwright;
try {
  playwright = require('playwright-core');
} catch (e) {
  die(`playwright-core is not installed (run scripts/setup): ${e.message}`);
}
const axePath = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
if (!fs.existsSync(axePath)) die(`${axePath} is missing (run scripts/setup)`);
const executablePath = process.env.BANTIN_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) die(`${executablePath} is missing (run scripts/setup)`);

const failures = [];
const report = { ok: false, base_url: baseUrl, versions: {}, pages: [], failures };
function fail(page, check, message, details) {
  failures.push({ type: page.type, url: page.url, check, message, ...(details ? { details } : {}) });
}

// A fresh profile directory: playwright creates its --user-data-dir with mkdtemp under
// os.tmpdir(), so point that at a new directory of ours and remove it at the end. (Kept short:
// Chromium puts a Unix socket in there, and those paths may not exceed 107 bytes.)
const profileRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bv-'));
process.env.TMPDIR = profileRoot;
report.profile_root = profileRoot;

let browser;
try {
  browser = await playwright.chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
  });
} catch (e) {
  fs.rmSync(profileRoot, { recursive: true, force: true });
  die(`cannot launch ${executablePath}: ${e.message}`);
}

try {
  report.versions.chromium = browser.version();
  report.versions.playwright = require('playwright-core/package.json').version;
  report.versions.axe = require('axe-core/package.json').version;
  if (screenshots) fs.mkdirSync(screenshots, { recursive: true });

  const ctxOn = await browser.newContext({ viewport: VIEWPORTS[1], locale: 'vi-VN', reducedMotion: 'reduce' });
  const ctxOff = await browser.newContext({ viewport: VIEWPORTS[1], locale: 'vi-VN', javaScriptEnabled: false });
  let printChecked = false;
  for (const p of pages) {
    const entry = { type: p.type, url: p.url, screenshots: [] };
    report.pages.push(entry);
    const page = await ctxOn.newPage();
    watchPage(page, p);
    const resp = await page.goto(p.url, { waitUntil: 'load' });
    entry.status = resp ? resp.status() : null;
    const wantStatus = p.type === '404' ? 404 : 200;
    if (entry.status !== wantStatus) fail(p, 'status', `HTTP ${entry.status}, expected ${wantStatus}`);

    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      const size = `${vp.width}x${vp.height}`;
      const o = await page.evaluate(measureOverflow);
      entry[`scroll_width_${size}`] = o.scrollWidth;
      if (o.scrollWidth > o.innerWidth) {
        fail(p, `overflow-${size}`, `horizontal scrolling at ${size}: scrollWidth ${o.scrollWidth} > innerWidth ${o.innerWidth}`, o.offenders);
      }
      if (screenshots) {
        const file = path.join(screenshots, `${safeName(p.type)}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        entry.screenshots.push(file);
      }
      await runAxe(page, p, entry, size);
    }

    if (JS_OFF_TYPES.has(p.type)) await checkWithoutJs(ctxOff, page, p, entry);
    if (p.type === 'article' && !printChecked) {
      printChecked = true;
      await checkPrint(page, p, entry);
    }
    if (p.type === 'search') await checkSearch(page, p, entry);
    await page.close();
  }
  await ctxOn.close();
  await ctxOff.close();
} catch (e) {
  failures.push({ check: 'browser', message: `unexpected error: ${e.stack || e}` });
} finally {
  await browser.close().catch(() => {});
  fs.rmSync(profileRoot, { recursive: true, force: true });
}

report.ok = failures.length === 0;
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(report.ok ? 0 : 1);

// ---------------------------------------------------------------------------------------------

function safeName(s) {
  return s.replace(/[^a-z0-9_-]+/gi, '_');
}

function watchPage(page, p) {
  page.on('pageerror', (err) => fail(p, 'page-error', `uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    fail(p, 'request-failed', `${req.url()} failed: ${req.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    const isMain = r.request().isNavigationRequest() && r.request().frame() === page.mainFrame();
    if (!isMain && r.status() >= 400) fail(p, 'sub-request', `${r.url()} answered HTTP ${r.status()}`);
  });
}

// Runs in the page.
function measureOverflow() {
  const iw = window.innerWidth;
  const offenders = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > iw + 0.5) {
      // Only report the outermost offenders.
      if (offenders.some((o) => o.el.contains(el))) continue;
      offenders.push({ el, right: Math.round(r.right) });
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: iw,
    offenders: offenders.slice(0, 10).map((o) => {
      const cls = o.el.getAttribute('class');
      return `${o.el.tagName.toLowerCase()}${o.el.id ? `#${o.el.id}` : ''}${cls ? `.${cls.trim().split(/\s+/).join('.')}` : ''} (right edge ${o.right}px)`;
    }),
  };
}

async function runAxe(page, p, entry, size) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  entry[`axe_violations_${size}`] = result.violations.length;
  for (const v of result.violations) {
    fail(p, `axe-${size}`, `${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`,
      v.nodes.slice(0, 10).map((n) => `${n.target.join(' ')}: ${n.html.slice(0, 200)}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`));
  }
}

// Runs in the page: what a reader sees of the main content.
function mainContent() {
  const main = document.querySelector('main') || document.body;
  const vis = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${(el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60)}`;
  const media = [...main.querySelectorAll('table, svg, canvas, figure, img')]
    .filter((el) => !el.closest('nav') && !(el.tagName === 'svg' && el.parentElement.closest('svg')));
  return {
    text: (main.innerText || '').trim().length,
    tables: main.querySelectorAll('table').length,
    media: media.length,
    hiddenMedia: media.filter((el) => !vis(el)).map(describe),
  };
}

async function checkWithoutJs(ctxOff, pageOn, p, entry) {
  const on = await pageOn.evaluate(mainContent);
  const off = await ctxOff.newPage();
  watchPage(off, p);
  await off.goto(p.url, { waitUntil: 'load' });
  const raw = await off.evaluate(mainContent);
  await off.close();
  entry.no_js = { text_js_on: on.text, text_js_off: raw.text, tables: raw.tables, charts_and_images: raw.media };
  if (raw.text === 0 || raw.text < on.text * 0.95) {
    fail(p, 'no-js-text', `with JavaScript disabled <main> shows ${raw.text} characters, with JavaScript ${on.text}`);
  }
  if (raw.hiddenMedia.length) {
    fail(p, 'no-js-media', 'with JavaScript disabled these tables/charts/images of <main> are not shown', raw.hiddenMedia);
  }
  if (raw.tables < on.tables) {
    fail(p, 'no-js-tables', `with JavaScript disabled <main> has ${raw.tables} tables, with JavaScript ${on.tables}`);
  }
}

async function checkPrint(page, p, entry) {
  await page.setViewportSize(VIEWPORTS[1]);
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => {
    const vis = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
      && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
    const describe = (el) => {
      const cls = el.getAttribute('class');
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls ? `.${cls.trim().split(/\s+/).join('.')}` : ''}`;
    };
    const chrome = [...document.querySelectorAll('nav, aside, [role="navigation"], [role="complementary"], header nav, header ul')];
    const main = document.querySelector('main');
    // The article itself (related-article lists after it are navigation and may be left out).
    const scope = main && (main.querySelector('article') || main);
    const body = scope ? [...scope.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, table, figure, svg, blockquote, pre, dl')]
      .filter((el) => !el.closest('nav, aside') && !(el.tagName === 'svg' && el.parentElement.closest('svg'))) : [];
    return {
      shownChrome: chrome.filter(vis).map(describe),
      mainVisible: !!main && vis(main),
      bodyCount: body.length,
      hiddenBody: body.filter((el) => !vis(el)).map((el) => `${describe(el)}: ${(el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60)}`),
    };
  });
  await page.emulateMedia({ media: null });
  entry.print = { main_visible: r.mainVisible, checked_elements: r.bodyCount, shown_navigation: r.shownChrome.length, hidden_content: r.hiddenBody.length };
  if (r.shownChrome.length) fail(p, 'print-navigation', 'printed page still shows navigation/sidebars', r.shownChrome);
  if (!r.mainVisible) fail(p, 'print-main', 'printed page hides <main>');
  if (r.bodyCount === 0) fail(p, 'print-main', '<main> has no text blocks to print');
  if (r.hiddenBody.length) fail(p, 'print-content', 'printed page hides parts of the article', r.hiddenBody.slice(0, 10));
}

async function checkSearch(page, p, entry) {
  // The search page's own box (in <main>), else the first search box of the page (header).
  let box = page.locator('main input[type="search"], main input[type="text"]').first();
  if ((await box.count()) === 0) box = page.locator('input[type="search"]').first();
  if ((await box.count()) === 0) {
    fail(p, 'search', 'no search box (input[type=search]) on the search page');
    return;
  }
  const linksInMain = () => [...document.querySelectorAll('main a[href]')].map((a) => a.href + '\n' + a.textContent);
  const before = await page.evaluate(linksInMain);
  await box.click();
  await box.fill('');
  await box.pressSequentially(SEARCH_QUERY);
  try {
    // Waits for the result list to appear (a condition, not a delay); the timeout only bounds a failure.
    await page.waitForFunction((old) => {
      const seen = new Set(old);
      return [...document.querySelectorAll('main a[href]')].some((a) => !seen.has(a.href + '\n' + a.textContent));
    }, before, { timeout: 20000 });
  } catch {
    fail(p, 'search', `typing "${SEARCH_QUERY}" showed no result links in <main>`);
    return;
  }
  const old = new Set(before);
  const results = (await page.evaluate(linksInMain)).filter((l) => !old.has(l));
  const [href, text] = results[0].split('\n');
  entry.search = { query: SEARCH_QUERY, first: { href, text: text.trim() }, results: results.length };
  if (!SEARCH_EXPECT.url.test(href) && !SEARCH_EXPECT.text.test(text)) {
    fail(p, 'search', `first result for "${SEARCH_QUERY}" is ${href} ("${text.trim()}"), expected the Dự án 8 article`,
      results.slice(0, 5).map((r) => r.replace('\n', ' — ')));
  }
  // The count: articles with every word, and those with only some of them, told apart; the
  // shown results split the same way (every word first, then a headed list of the others).
  const shown = await page.evaluate(() => {
    const st = document.querySelector('main [data-trang-thai]');
    const n = (sel) => document.querySelectorAll(sel).length;
    return {
      status: st ? st.textContent.trim() : '',
      full: n('main ol.ket-qua:not(.ket-qua--mot-phan) > li'),
      partial: n('main ol.ket-qua--mot-phan > li'),
      heading: n('main .ket-qua__nhom'),
    };
  });
  entry.search.shown = shown;
  const m = /^Tìm thấy ([\d.]+) kết quả(?: có đủ các từ khóa, thêm ([\d.]+) kết quả có một phần)?$/.exec(shown.status);
  if (!m) {
    fail(p, 'search', `status line "${shown.status}" is not "Tìm thấy N kết quả[ có đủ các từ khóa, thêm M kết quả có một phần]"`);
    return;
  }
  const full = Number(m[1].replace(/\./g, ''));
  const partial = m[2] ? Number(m[2].replace(/\./g, '')) : 0;
  const page1 = Math.min(10, full + partial);
  if (shown.full !== Math.min(full, page1) || shown.partial !== page1 - shown.full ||
      shown.heading !== (shown.partial > 0 ? 1 : 0)) {
    fail(p, 'search', `"${shown.status}" but ${shown.full} results listed with every word, ` +
      `${shown.partial} with some (${shown.heading} group heading)`);
  }
}
