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
// and 1280×800, full-page screenshots at both sizes; at 360 the page header (banner, search box,
// menu button) is at most 160 px tall and the main menu is collapsed, at 1280 its links show.
// The first page, with JavaScript disabled at 360: the menu button opens the menu.
// article/area/overview: with JavaScript disabled the main text, tables and charts are all shown.
// The first article: print media hides nav/aside/header menu and shows the article; printed to
// PDF (Chromium) and read back with pdftotext, the pages carry the article's full address and
// the print date, and each chart's title, drawing and table are on one sheet.
// search: typing "binh dang gioi" into the real search box lists the Dự án 8 article first;
//   every result under the main heading has all three words (each result's page is read), the
//   others sit under their own heading; the header box suggests only results with every word;
//   the three filter boxes are equally wide and show their whole text at 360 and 1280 px;
//   the query fetches only meta.json, its words' files and at most 10 document files, at most
//   100 KB gzip with the script, and the same query in the header box fetches nothing new.
//
// Prints a JSON report on stdout; exits 1 when any check fails (2 on a usage/launch error).
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const JS_OFF_TYPES = new Set(['article', 'area', 'overview', 'document-filter']);
/** At 360 px the header (banner, search, menu button) leaves the screen to the content. */
const MAX_HEADER_360 = 160;
const SEARCH_QUERY = 'binh dang gioi';
/** What a first search may fetch (index files, gzip; issue 18: 100 KB at 10 000 articles). */
const SEARCH_BUDGET_GZIP = 100 * 1024;
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
  let menuChecked = false;
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
      await checkHeader(page, p, entry, vp);
      await checkCharts(page, p, entry, vp);
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

    if (!menuChecked) {
      menuChecked = true;
      await checkMenuWithoutJs(ctxOff, p, entry);
    }
    if (JS_OFF_TYPES.has(p.type)) await checkWithoutJs(ctxOff, page, p, entry);
    if (p.type === 'article' && !printChecked) {
      printChecked = true;
      await checkPrint(page, p, entry);
    }
    if (p.type === 'search') await checkSearch(page, p, entry);
    if (p.type === 'documents') await checkDocuments(page, p, entry);
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
  // A chart drawn twice (src/charts: Drawing) shows one drawing, the one that fits: it counts
  // as shown when one of its drawings is.
  const drawing = (el) => el.tagName === 'svg' && el.classList.contains('bieu-do__hinh');
  const media = [...main.querySelectorAll('table, svg, canvas, figure, img')]
    .filter((el) => !el.closest('nav') && !(el.tagName === 'svg' && el.parentElement.closest('svg')) && !drawing(el));
  const charts = [...main.querySelectorAll('figure.bieu-do')].filter((f) => !f.closest('nav'));
  const chartShown = (f) => [...f.querySelectorAll('svg.bieu-do__hinh')].some(vis);
  return {
    text: (main.innerText || '').trim().length,
    tables: main.querySelectorAll('table').length,
    media: media.length,
    hiddenMedia: media.filter((el) => !vis(el)).map(describe)
      .concat(charts.filter((f) => !chartShown(f)).map((f) => `${describe(f)} (no drawing shown)`)),
  };
}

// Runs in the page: the page header (the first <header> outside <main>) and its main menu.
function measureHeader() {
  const header = [...document.querySelectorAll('header')].find((h) => !h.closest('main, article, aside'));
  const nav = header && (header.querySelector('nav') || document.querySelector('nav[aria-label="Menu chính"]'));
  const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const links = nav ? [...nav.querySelectorAll('a[href]')] : [];
  return {
    height: header ? Math.round(header.getBoundingClientRect().height) : null,
    links: links.length,
    shownLinks: links.filter(shown).length,
    toggle: !!(nav && nav.querySelector('summary')),
  };
}

async function checkHeader(page, p, entry, vp) {
  const h = await page.evaluate(measureHeader);
  entry[`header_${vp.width}`] = h;
  if (h.height === null) {
    fail(p, 'header', 'no page header (<header> outside <main>)');
    return;
  }
  if (vp.width === 360) {
    if (h.height > MAX_HEADER_360) {
      fail(p, 'header-360', `the header is ${h.height} px tall at 360×740, at most ${MAX_HEADER_360} allowed`);
    }
    if (h.links > 0 && (h.shownLinks > 0 || !h.toggle)) {
      fail(p, 'menu-360', `the main menu is not collapsed at 360 px: ${h.shownLinks} of ${h.links} links shown, toggle ${h.toggle ? 'present' : 'missing'}`);
    }
  } else if (h.links > 0 && h.shownLinks < h.links) {
    fail(p, `menu-${vp.width}`, `only ${h.shownLinks} of ${h.links} main menu links shown at ${vp.width} px`);
  }
}

// Runs in the page: every chart's visible drawing — its width against its figure's, the
// smallest rendered text, text boxes that overlap, and text lying on a series (the line, a
// point, a bar).
function measureCharts() {
  const out = [];
  const overlap = (a, b, pad) => a.x + pad < b.x + b.width && b.x + pad < a.x + a.width
    && a.y + pad < b.y + b.height && b.y + pad < a.y + a.height;
  // Liang–Barsky: does the segment a→c pass through box r (user units)?
  const crosses = (r, a, c) => {
    const dx = c[0] - a[0], dy = c[1] - a[1];
    let t0 = 0, t1 = 1;
    for (const [pp, q] of [[-dx, a[0] - r.x], [dx, r.x + r.width - a[0]], [-dy, a[1] - r.y], [dy, r.y + r.height - a[1]]]) {
      if (pp === 0) { if (q < 0) return false; continue; }
      const t = q / pp;
      if (pp < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
    return true;
  };
  for (const fig of document.querySelectorAll('figure.bieu-do')) {
    const svg = [...fig.querySelectorAll('svg')].find((s) => s.getBoundingClientRect().width > 0);
    if (!svg) { out.push({ id: fig.id, problems: ['no drawing shown'] }); continue; }
    const problems = [];
    const figW = fig.getBoundingClientRect().width;
    const w = svg.getBoundingClientRect().width;
    const scale = w / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')].filter((t) => t.getBBox().width > 0);
    let minFont = Infinity;
    for (const t of texts) minFont = Math.min(minFont, parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale);
    const boxes = texts.map((t) => ({ t: t.textContent, b: t.getBBox() }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (overlap(boxes[i].b, boxes[j].b, 0.5)) problems.push(`"${boxes[i].t}" overlaps "${boxes[j].t}"`);
      }
    }
    for (const line of svg.querySelectorAll('polyline.bieu-do__duong')) {
      const pts = line.getAttribute('points').trim().split(/\s+/).map((q) => q.split(',').map(Number));
      for (const { t, b } of boxes) {
        for (let k = 1; k < pts.length; k++) {
          if (crosses(b, pts[k - 1], pts[k])) { problems.push(`"${t}" lies on the line`); break; }
        }
      }
    }
    for (const mark of svg.querySelectorAll('.bieu-do__diem, .bieu-do__cot')) {
      const m = mark.getBBox();
      for (const { t, b } of boxes) if (overlap(m, b, 0.5)) problems.push(`"${t}" lies on a ${mark.getAttribute('class')}`);
    }
    out.push({ id: fig.id, width: Math.round(w), container: Math.round(figW), minFont: +minFont.toFixed(1), problems });
  }
  return out;
}

async function checkCharts(page, p, entry, vp) {
  const charts = await page.evaluate(measureCharts);
  if (charts.length) entry[`charts_${vp.width}`] = charts;
  for (const c of charts) {
    const where = `chart #${c.id} at ${vp.width} px`;
    if (c.width < 0.9 * c.container) fail(p, `chart-width-${vp.width}`, `${where} is ${c.width} px wide in a ${c.container} px figure (at least 90 %)`);
    if (c.minFont < 11.95) fail(p, `chart-text-${vp.width}`, `${where} has text rendered at ${c.minFont} px (at least 12)`);
    for (const problem of c.problems) fail(p, `chart-labels-${vp.width}`, `${where}: ${problem}`);
  }
}

// At 360 px with JavaScript off: the collapsed menu opens from its button (<summary>), and every
// link shows; then it closes again.
async function checkMenuWithoutJs(ctxOff, p, entry) {
  const off = await ctxOff.newPage();
  watchPage(off, p);
  await off.setViewportSize(VIEWPORTS[0]);
  await off.goto(p.url, { waitUntil: 'load' });
  const before = await off.evaluate(measureHeader);
  const toggle = off.locator('header nav summary').first();
  if ((await toggle.count()) === 0) {
    fail(p, 'menu-no-js', 'no menu button (header nav summary) at 360 px');
    await off.close();
    return;
  }
  await toggle.click();
  const open = await off.evaluate(measureHeader);
  if (screenshots) await off.screenshot({ path: path.join(screenshots, `${safeName(p.type)}-menu-open-360x740.png`) });
  await toggle.click();
  const closed = await off.evaluate(measureHeader);
  await off.close();
  entry.menu_no_js = { links: open.links, shown_closed: before.shownLinks, shown_open: open.shownLinks, shown_closed_again: closed.shownLinks };
  if (open.links === 0 || open.shownLinks < open.links) {
    fail(p, 'menu-no-js', `with JavaScript off the menu button shows ${open.shownLinks} of ${open.links} links`);
  }
  if (before.shownLinks > 0 || closed.shownLinks > 0) {
    fail(p, 'menu-no-js', `the menu is not collapsed before (${before.shownLinks} links shown) or after (${closed.shownLinks}) opening it`);
  }
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
    // one of a chart's two drawings shows (see mainContent)
    const drawing = (el) => el.tagName === 'svg' && el.classList.contains('bieu-do__hinh');
    const body = scope ? [...scope.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, table, figure, svg, blockquote, pre, dl')]
      .filter((el) => !el.closest('nav, aside') && !(el.tagName === 'svg' && el.parentElement.closest('svg')) && !drawing(el)) : [];
    const charts = scope ? [...scope.querySelectorAll('figure.bieu-do')] : [];
    const noDrawing = charts.filter((f) => ![...f.querySelectorAll('svg.bieu-do__hinh')].some(vis));
    return {
      shownChrome: chrome.filter(vis).map(describe),
      mainVisible: !!main && vis(main),
      bodyCount: body.length,
      hiddenBody: body.filter((el) => !vis(el)).map((el) => `${describe(el)}: ${(el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60)}`)
        .concat(noDrawing.map((f) => `${describe(f)}: no drawing shown`)),
    };
  });
  await page.emulateMedia({ media: null });
  entry.print = { main_visible: r.mainVisible, checked_elements: r.bodyCount, shown_navigation: r.shownChrome.length, hidden_content: r.hiddenBody.length };
  if (r.shownChrome.length) fail(p, 'print-navigation', 'printed page still shows navigation/sidebars', r.shownChrome);
  if (!r.mainVisible) fail(p, 'print-main', 'printed page hides <main>');
  if (r.bodyCount === 0) fail(p, 'print-main', '<main> has no text blocks to print');
  if (r.hiddenBody.length) fail(p, 'print-content', 'printed page hides parts of the article', r.hiddenBody.slice(0, 10));
  await checkPdf(page, p, entry);
}

// Whitespace-insensitive text, as pdftotext gives it back (it lays columns out with spaces and
// breaks long lines).
function squash(s) {
  return (s || '').replace(/\s+/g, ' ').trim();
}

// The article printed by Chromium to A4 (the page's own @page margins) and read back page by page
// with pdftotext: the printout names the article's full address and the print date, and every
// chart (a figure with a drawing and a table) has its caption, drawing and table on one sheet.
async function checkPdf(page, p, entry) {
  const figures = await page.evaluate(() => {
    const t = (el) => (el ? el.textContent : '').replace(/\s+/g, ' ').trim();
    return [...document.querySelectorAll('main article figure')]
      .filter((f) => f.querySelector('svg') && f.querySelector('table'))
      .map((f) => {
        const rows = [...f.querySelectorAll('table tbody tr, table tfoot tr')];
        const cells = (tr) => [...tr.children].map(t).join(' ');
        // Lines of the drawing's text (a <text> broken into <tspan> lines reads as those lines).
        const svgTexts = [...f.querySelector('svg').querySelectorAll('text, tspan')]
          .filter((el) => !el.querySelector('tspan')).map(t).filter(Boolean);
        return {
          caption: t(f.querySelector('figcaption')).slice(0, 80),
          drawing: svgTexts.sort((a, b) => b.length - a.length)[0] || '',
          first: rows.length ? cells(rows[0]) : '',
          last: rows.length ? cells(rows[rows.length - 1]) : '',
        };
      });
  });
  const file = path.join(profileRoot, 'ban-in.pdf');
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: null });
  const out = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    fail(p, 'print-pdf', `pdftotext failed (run scripts/setup: Debian package poppler-utils): ${out.error ? out.error.message : out.stderr}`);
    return;
  }
  // pdftotext ends every page with a form feed.
  const sheets = out.stdout.split('\f').slice(0, -1).map(squash);
  const all = sheets.join(' ');
  entry.print.pdf = { sheets: sheets.length, figures: [] };
  const url = page.url();
  if (!all.replace(/\s+/g, '').includes(url)) {
    fail(p, 'print-address', `the printout does not carry the article's address ${url}`);
  }
  if (!/In ngày \d{2}\/\d{2}\/\d{4}/.test(all)) {
    fail(p, 'print-date', 'the printout carries no print date ("In ngày dd/mm/yyyy")', [all.slice(-300)]);
  }
  if (figures.length === 0) fail(p, 'print-figure', 'the article has no chart (figure with an SVG and a table) to check');
  for (const f of figures) {
    const needles = [f.caption, f.drawing, f.first, f.last].map(squash).filter(Boolean);
    const on = (n) => sheets.map((s, i) => (s.includes(n) ? i + 1 : 0)).filter(Boolean);
    const together = sheets.findIndex((s) => needles.every((n) => s.includes(n)));
    entry.print.pdf.figures.push({ caption: f.caption, sheet: together + 1 });
    if (together < 0) {
      fail(p, 'print-figure', `the chart "${f.caption}" is split over sheets (caption, drawing, first and last table row)`,
        needles.map((n) => `"${n.slice(0, 60)}" on sheet(s) ${on(n).join(', ') || 'none'}`));
    }
  }
}

/** Records the search index files (under tim-kiem/chi-muc/) the page fetches until stop():
 * [{path, bytes, gzip}], gzip at zlib's default level (the level of flate2's default). */
function recordIndexFiles(page) {
  const seen = [];
  const on = (r) => {
    const m = /\/tim-kiem\/chi-muc\/([^?]*)/.exec(r.url());
    if (m && r.request().method() === 'GET') {
      seen.push(r.body().then((b) => ({ path: m[1], bytes: b.length, gzip: zlib.gzipSync(b).length }), () => null));
    }
  };
  page.on('response', on);
  return {
    async stop() {
      await page.waitForLoadState('networkidle').catch(() => {});
      page.off('response', on);
      return (await Promise.all(seen)).filter(Boolean);
    },
  };
}

/* The first query's download (issue 18: at most 100 KB gzip at 10 000 articles): meta.json,
 * the shards (and own files) of the query's words, the document files of the first page of
 * results (10 at most) and nothing else — not the filters' loc.json, not every document. The
 * example site is small, so its bytes are far under the goal; the shape of the set is what
 * scales, and the bytes are checked against the goal as well. */
async function checkSearchBytes(page, p, entry, files) {
  const total = files.reduce((a, f) => a + f.gzip, 0);
  const src = await page.evaluate(() => document.querySelector('script[src*="tim-kiem.js"]')?.src);
  const script = src ? await (await page.request.get(src)).body() : null;
  const scriptGzip = script ? zlib.gzipSync(script).length : 0;
  entry.search_bytes = { files, gzip: total, script_gzip: scriptGzip };
  // A shard of the query's words; when the typing was slow enough for the script to search
  // a word half typed ("binh da"), also the shards of its first two letters ("dan", "dai", …).
  const starts = [...new Set(SEARCH_QUERY.split(/\s+/).map((w) => w.slice(0, 2)))];
  const allowed = (f) => f === 'meta.json' || /^bai\/\d+\.json$/.test(f) ||
    starts.some((k) => f.startsWith(`tu/${k}`));
  const other = files.filter((f) => !allowed(f.path));
  if (other.length) {
    fail(p, 'search-bytes', `the first query fetched files it does not need`, other.map((f) => f.path));
  }
  const docs = files.filter((f) => f.path.startsWith('bai/')).length;
  if (docs > 10) fail(p, 'search-bytes', `the first query fetched ${docs} document files for a page of 10 results`);
  if (!files.some((f) => f.path === 'meta.json')) fail(p, 'search-bytes', 'no meta.json among the files fetched', files);
  if (total + scriptGzip > SEARCH_BUDGET_GZIP) {
    fail(p, 'search-bytes', `the first query fetched ${total} bytes gzip (+ ${scriptGzip} of script), over ${SEARCH_BUDGET_GZIP}`);
  }
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
  const fetched = recordIndexFiles(page);
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
  await checkSearchBytes(page, p, entry, await fetched.stop());
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
  const m = /^Tìm thấy ([\d.]+) kết quả(?: có đủ các từ khóa, thêm ([\d.]+) kết quả gần đúng)?$/.exec(shown.status);
  if (!m) {
    fail(p, 'search', `status line "${shown.status}" is not "Tìm thấy N kết quả[ có đủ các từ khóa, thêm M kết quả gần đúng]"`);
  } else {
    const full = Number(m[1].replace(/\./g, ''));
    const partial = m[2] ? Number(m[2].replace(/\./g, '')) : 0;
    const page1 = Math.min(10, full + partial);
    if (shown.full !== Math.min(full, page1) || shown.partial !== page1 - shown.full ||
        shown.heading !== (shown.partial > 0 ? 1 : 0)) {
      fail(p, 'search', `"${shown.status}" but ${shown.full} results listed with every word, ` +
        `${shown.partial} with some (${shown.heading} group heading)`);
    }
  }

  // Full matches really have every word: each result's page is fetched and its <main> text
  // folded the way the search folds it. (Not the converse for partial ones: <main> also holds
  // related articles' titles, which the index does not count.)
  const lists = await page.evaluate(() => {
    const hrefs = (sel) => [...document.querySelectorAll(sel)].map((a) => a.href);
    return {
      full: hrefs('main ol.ket-qua:not(.ket-qua--mot-phan) > li h2 a'),
      partial: hrefs('main ol.ket-qua--mot-phan > li h2 a'),
    };
  });
  const words = SEARCH_QUERY.split(/\s+/);
  const missing = async (href) => page.evaluate(async ([u, ws]) => {
    const html = await (await fetch(u)).text();
    const d = new DOMParser().parseFromString(html, 'text/html');
    const t = (d.querySelector('main') || d.body).textContent;
    const folded = t.normalize('NFD').toLowerCase().replace(/\p{M}/gu, '').replace(/[đð]/g, 'd');
    const have = new Set(folded.match(/[\p{L}\p{N}]+/gu) || []);
    return ws.filter((w) => !have.has(w));
  }, [href, words]);
  entry.search.lists = lists;
  for (const href of lists.full) {
    const lack = await missing(href);
    if (lack.length) fail(p, 'search-full', `${href} is listed as having every word of "${SEARCH_QUERY}" but lacks ${lack.join(', ')}`);
  }

  // The header box: its suggestions are full matches only (never a partial one).
  const header = page.locator('[data-tim-kiem="o"] input[name="q"]').first();
  if ((await header.count()) === 0) {
    fail(p, 'search-header', 'no header search box ([data-tim-kiem="o"])');
  } else {
    const again = recordIndexFiles(page);
    await header.click();
    await header.fill('');
    await header.pressSequentially(SEARCH_QUERY);
    try {
      await page.waitForFunction(() => {
        const box = document.querySelector('[data-tim-kiem="o"]');
        const st = box && box.querySelector('[data-trang-thai]');
        return st && /kết quả/.test(st.textContent);
      }, null, { timeout: 20000 });
    } catch {
      fail(p, 'search-header', `typing "${SEARCH_QUERY}" into the header box showed no result count`);
    }
    // Same page, same words: everything the header box needs was fetched for the first query
    // (one index per page, whichever box asks) — nothing new goes over the network.
    const refetched = await again.stop();
    if (refetched.length) {
      fail(p, 'search-bytes', `the same query again (header box) fetched ${refetched.length} index file(s) anew`,
        refetched.map((f) => f.path));
    }
    const suggested = await page.evaluate(() =>
      [...document.querySelectorAll('[data-tim-kiem="o"] .tim-kiem__goi-y a')].map((a) => a.href));
    entry.search.header = suggested;
    const want = lists.full.slice(0, 5);
    if (JSON.stringify(suggested) !== JSON.stringify(want)) {
      fail(p, 'search-header', `header box suggests ${JSON.stringify(suggested)}, expected the first full matches ${JSON.stringify(want)}`);
    }
    const noise = suggested.filter((h) => lists.partial.includes(h));
    if (noise.length) fail(p, 'search-header', 'header box suggests partial matches', noise);
    await page.keyboard.press('Escape');
  }

  // The filter boxes: equally wide, and wide enough for their text, at both sizes.
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    const boxes = await page.evaluate(() => [...document.querySelectorAll('main select[data-loc]')]
      .filter((s) => s.getClientRects().length > 0)
      .map((s) => {
        const cs = getComputedStyle(s);
        const probe = document.createElement('span');
        probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
        probe.style.font = cs.font;
        probe.textContent = s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : '';
        document.body.appendChild(probe);
        const text = probe.getBoundingClientRect().width;
        probe.remove();
        const padding = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
        return { name: s.name, width: s.getBoundingClientRect().width, text, padding };
      }));
    const size = `${vp.width}x${vp.height}`;
    entry.search[`filters_${size}`] = boxes.map((b) => ({ name: b.name, width: Math.round(b.width), text: Math.round(b.text) }));
    if (boxes.length !== 3) fail(p, `search-filters-${size}`, `${boxes.length} filter boxes shown, expected 3`);
    const widths = boxes.map((b) => b.width);
    if (Math.max(...widths) - Math.min(...widths) > 1) {
      fail(p, `search-filters-${size}`, 'filter boxes differ in width', boxes);
    }
    // the drop-down arrow and its margins take about 28 px beside the text (at 185 px, 23 px
    // beside "Tất cả chuyên mục", the arrow touched the last letter)
    const clipped = boxes.filter((b) => b.text + b.padding + 28 > b.width);
    if (clipped.length) fail(p, `search-filters-${size}`, 'filter box text is clipped', clipped);
    if (screenshots) {
      const file = path.join(screenshots, `search-filters-${size}.png`);
      await page.locator('main form').first().screenshot({ path: file });
      entry.screenshots.push(file);
    }
  }
}

/* The document table filters in place with JavaScript (js/van-ban.js): the three selects
 * replace the filter links; choosing a type, then a year, hides the other rows, numbers the
 * shown ones 1…n and keeps the choice in the address. Expects the example site's documents
 * (3 decisions, 2 of them from 2022). */
async function checkDocuments(page, p, entry) {
  const rows = () => [...document.querySelectorAll('table.bang-van-ban tbody tr')]
    .filter((tr) => !tr.hidden && tr.getClientRects().length > 0)
    .map((tr) => [tr.querySelector('[data-stt]').textContent.trim(), tr.dataset.loai, tr.dataset.nam]);
  const selects = page.locator('form.loc-van-ban__o-chon select');
  if ((await selects.count()) !== 3) {
    fail(p, 'documents-js', `expected 3 filter selects, found ${await selects.count()}`);
    return;
  }
  if (await page.locator('nav.loc-van-ban').isVisible()) {
    fail(p, 'documents-js', 'the filter links stay visible beside the selects');
  }
  const all = (await page.evaluate(rows)).length;
  await page.locator('select[name="loai"]').selectOption('quyet-dinh');
  const qd = await page.evaluate(rows);
  await page.locator('select[name="nam"]').selectOption('2022');
  const qd2022 = await page.evaluate(rows);
  const count = await page.locator('[data-dem-van-ban]').textContent();
  entry.documents = { all, quyet_dinh: qd.length, quyet_dinh_2022: qd2022.length, url: page.url() };
  if (all < 8) fail(p, 'documents-js', `only ${all} rows before filtering`);
  if (qd.length !== 3 || qd.some((r) => r[1] !== 'quyet-dinh')) {
    fail(p, 'documents-js', 'type filter: expected the 3 decisions', qd.map((r) => r.join(' ')));
  }
  if (qd2022.length !== 2 || qd2022.some((r) => r[1] !== 'quyet-dinh' || r[2] !== '2022')) {
    fail(p, 'documents-js', 'type + year filter: expected 2 decisions of 2022', qd2022.map((r) => r.join(' ')));
  }
  if (qd2022.map((r) => r[0]).join(',') !== '1,2') {
    fail(p, 'documents-js', 'shown rows are not numbered 1…n', qd2022.map((r) => r.join(' ')));
  }
  if (!/^2 văn bản/.test(count.trim())) fail(p, 'documents-js', `count says ${JSON.stringify(count)}`);
  if (!page.url().includes('loai=quyet-dinh') || !page.url().includes('nam=2022')) {
    fail(p, 'documents-js', `the address does not keep the choice: ${page.url()}`);
  }
}
