/**
 * Pages: time to interactive of every page of the web client on the demo county, in a real
 * browser (Debian's Chromium driven by playwright-core), against the built SvelteKit server and the
 * real API (api-server.ts) on a copy of the cached county (county-cache.ts).
 *
 * Time to interactive, per navigation, measured in the page on its own clock (performance.now(),
 * whose zero is the navigation's start): the first animation frame after the moment from which
 * all of these held for a quiet window of QUIET_MS:
 *   1. hydrated: the root layout has mounted (it sets `data-hydrated` on <html> in onMount, which
 *      runs after every component of the page has mounted);
 *   2. its data is on screen: no element marked `aria-busy="true"` (every loading indicator of the
 *      pages is; a list being reloaded is too);
 *   3. the network is idle: no fetch in flight (every GraphQL request and /session go through fetch;
 *      a fetch counts until its body has been read and one task more, so the page has rendered it).
 * The moment is the last time the three came to hold (a page whose second request starts after its
 * first one ends is not ready in between). Also reported, from Navigation and Paint Timing: the
 * first byte, first contentful paint, DOMContentLoaded and load.
 *
 * Each page is opened as the role that uses it: cold (a new browser context: empty HTTP cache,
 * signed in with a cookie minted for the role) and then warm (the same page opened again in that
 * context: scripts from the HTTP cache, the server's caches warm; urql's cache is in memory, so
 * the data is fetched again). One round opens every page once, in order; a first round warms the
 * server up and is not counted. The baseline is the sign-in page signed out (/signin: the same
 * app shell, the layout's /session question, no GraphQL data) on the same server in the same run.
 *
 *   npm run bench:pages -w @yingpan/bench -- [--runs N] [--scale county|small] [--pages a,b] [--rebuild-county]
 *   (or BENCH_PAGES_RUNS, BENCH_PAGES_SCALE); defaults 5 rounds, county
 *
 * The web client is built first (`npm run build -w @yingpan/web`) when web/build is missing or
 * older than web/src.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { MintOptions } from '@yingpan/api';
import { postgresDb } from '@yingpan/db';
import type { ScaleName } from '@yingpan/seed';
// playwright-core is the web workspace's dev dependency (hoisted to the root node_modules), not the bench's own.
import { chromium, type Browser, type CDPSession, type Page, type Request } from 'playwright-core';
import { graphql, startApiServer, type ApiServer } from './api-server.ts';
import { percentile } from './measure.ts';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, renderDocument, titled } from './report.ts';
import { newestUnder, runWebScript, WEB_DIR } from './web-sources.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/pages.md', import.meta.url));
const WEB_MAIN = path.join(WEB_DIR, 'build/index.js');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** How long the page must stay ready (nothing busy, nothing in flight) before the run ends. */
const QUIET_MS = 750;
const TIMEOUT_MS = 30_000;
/** The bar of issue 6. */
const BAR_MS = 1000;
/** The e2e tests' tablet in portrait. */
const VIEWPORT = { width: 820, height: 1180 };

const log = (line: string) => console.error(`[bench] ${line}`);

interface Options {
  scale: ScaleName;
  runs: number;
  only: string[] | null;
  rebuildCounty: boolean;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: 'string' }, scale: { type: 'string' }, pages: { type: 'string' }, 'rebuild-county': { type: 'boolean' } },
  });
  const scale = (values.scale ?? env.BENCH_PAGES_SCALE ?? 'county') as ScaleName;
  if (!['small', 'county'].includes(scale)) throw new Error(`--scale must be small or county, got ${scale}`);
  return {
    scale,
    runs: sizeOption(values.runs, env.BENCH_PAGES_RUNS, 5, 'runs'),
    only: values.pages ? values.pages.split(',').map((name) => name.trim()) : null,
    rebuildCounty: values['rebuild-county'] ?? false,
  };
}

/** The readiness monitor, run in every document before its own scripts (see the module comment). */
const MONITOR = `(() => {
  const s = { inflight: 0, ready: false, readyAt: null, paintedAt: null, lastChange: 0, fetches: 0 };
  Object.defineProperty(window, '__bench', { value: s });
  const evaluate = () => {
    const root = document.documentElement;
    const ok = !!root && root.hasAttribute('data-hydrated') && s.inflight === 0 && !document.querySelector('[aria-busy="true"]');
    if (ok === s.ready) return;
    const now = performance.now();
    s.ready = ok;
    s.lastChange = now;
    if (ok) {
      s.readyAt = now;
      s.paintedAt = null;
      requestAnimationFrame(() => { if (s.ready && s.readyAt === now) s.paintedAt = performance.now(); });
    }
  };
  const settle = () => setTimeout(() => { s.inflight--; s.lastChange = performance.now(); evaluate(); }, 0);
  const native = window.fetch.bind(window);
  window.fetch = (...args) => {
    s.inflight++;
    s.fetches++;
    s.lastChange = performance.now();
    evaluate();
    return native(...args).then(
      (response) => {
        // A live page's event stream stays open: it is in flight until its answer begins, not until it ends.
        if ((response.headers.get('content-type') || '').startsWith('text/event-stream')) settle();
        else response.clone().arrayBuffer().then(settle, settle);
        return response;
      },
      (error) => { settle(); throw error; },
    );
  };
  new MutationObserver(evaluate).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy', 'data-hydrated'] });
})();`;

/** Ready for QUIET_MS: the monitor's state, checked from here (a string: it runs in the page, whose types are not Node's). */
const READY = `(() => { const s = window.__bench; return !!s && s.ready && s.inflight === 0 && performance.now() - s.lastChange >= ${QUIET_MS}; })()`;

/** What a visit reports, read in the page once it is ready. */
interface Figures {
  readyAt: number;
  timeOrigin: number;
  ttfb: number;
  dcl: number;
  load: number;
  fcp: number;
  jsBytes: number;
  scripts: [number, number][];
  alerts: string[];
  path: string;
}

const FIGURES = `(() => {
  const s = window.__bench;
  const [nav] = performance.getEntriesByType('navigation');
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    readyAt: s.paintedAt ?? s.readyAt ?? NaN,
    timeOrigin: performance.timeOrigin,
    ttfb: nav ? nav.responseStart : NaN,
    dcl: nav ? nav.domContentLoadedEventEnd : NaN,
    load: nav ? nav.loadEventEnd : NaN,
    fcp: fcp ? fcp.startTime : NaN,
    jsBytes: resources.filter((entry) => /\\.js(\\?|$)/.test(entry.name)).reduce((sum, entry) => sum + entry.transferSize, 0),
    scripts: resources.filter((entry) => /\\.js(\\?|$)/.test(entry.name)).map((entry) => [entry.startTime, entry.responseEnd]),
    alerts: [...document.querySelectorAll('[role="alert"]')].map((element) => (element.textContent || '').trim()),
    path: location.pathname,
  };
})()`;

interface PageSpec {
  name: string;
  path: string;
  /** Who opens it (null: signed out). */
  as: MintOptions | null;
  asLabel: string;
  /** What must be on screen once it is ready (else the run failed: the signal would be lying). */
  content: string;
}

interface RequestTiming {
  name: string;
  start: number;
  end: number;
}

interface Visit {
  tti: number;
  ttfb: number;
  fcp: number;
  dcl: number;
  load: number;
  graphqlRequests: number;
  /** Bytes of JavaScript transferred over the network (0 when all came from the HTTP cache). */
  jsBytes: number;
  /** The JavaScript files fetched: how many, and from the first one's start to the last one's end (ms from the navigation's start). */
  scripts: { count: number; start: number; end: number };
  requests: RequestTiming[];
  /** The renderer's main thread during the visit (Chromium's Performance metrics, ms): all its tasks, of which scripts and style + layout. */
  mainThread: { tasks: number; script: number; styleLayout: number };
  problem: string | null;
}

interface PageResult {
  spec: PageSpec;
  cold: Visit[];
  warm: Visit[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Builds the web client when its build is missing or older than its sources. */
function ensureWebBuild(): void {
  const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', '../schema/schema.graphql']
    .map((entry) => path.join(WEB_DIR, entry))
    .filter(existsSync);
  const stale = !existsSync(WEB_MAIN) || Math.max(...sources.map((source) => newestUnder(source))) > statSync(WEB_MAIN).mtimeMs;
  if (!stale) return;
  log('building the web client (web/build is missing or older than web/src)…');
  runWebScript('build');
}

/**
 * A private copy of web/build to serve from: others working in this tree build the web too, and a
 * build empties web/build under a server running from it. The copy sits under the workspace's
 * node_modules/.cache (ignored by git), so the server still finds its packages there.
 */
function copyOfWebBuild(): string {
  const target = path.join(WEB_DIR, '..', 'node_modules', '.cache', `yingpan-pages-${process.pid}`, 'build');
  for (let attempt = 1; ; attempt++) {
    rmSync(path.dirname(target), { recursive: true, force: true });
    try {
      cpSync(path.dirname(WEB_MAIN), target, { recursive: true });
      if (['index.js', 'handler.js', 'client', 'server'].every((entry) => existsSync(path.join(target, entry)))) return target;
    } catch {
      // being rebuilt: try again
    }
    if (attempt >= 30) throw new Error(`could not copy a complete ${path.dirname(WEB_MAIN)} (is it being rebuilt?)`);
    spawnSync('sleep', ['2']);
  }
}

interface WebServer {
  url: string;
  stop(): Promise<void>;
}

async function startWeb(apiUrl: string): Promise<WebServer> {
  const build = copyOfWebBuild();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', API_URL: apiUrl };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [path.join(build, 'index.js')], { cwd: WEB_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopping = false;
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  child.once('exit', (code, signal) => {
    if (!stopping) log(`the web server exited (${code ?? signal}):\n${output}`);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await once(child, 'exit');
      clearTimeout(timer);
    }
    rmSync(path.dirname(build), { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/signin`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the web server did not answer at ${url} within a minute:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop };
}

/** Who and what the pages are opened on: the busiest deputy, station, and an inheritor of the closed term. */
async function subjects(server: ApiServer) {
  const db = postgresDb({ connectionString: server.databaseUrl, max: 1 });
  try {
    const openTerm = `SELECT o.data->>'termId' AS term_id FROM yingpan.events o
       WHERE o.type = 'TermOpened' AND NOT EXISTS (SELECT 1 FROM yingpan.events c WHERE c.type = 'TermClosed' AND c.data->>'termId' = o.data->>'termId')
       ORDER BY o.position DESC LIMIT 1`;
    // The open term's deputy with the most act records: the largest scorecard.
    const { rows: deputies } = await db.query<{ person: string }>(
      `WITH term AS (${openTerm}),
            deputies AS (SELECT DISTINCT m.data->>'personId' AS person FROM yingpan.events m JOIN term ON m.data->>'termId' = term.term_id
                          WHERE m.type = 'MandateStarted' AND m.data->>'kind' = 'deputy')
       SELECT f.person_id::text AS person FROM rm_facts.record_versions f JOIN deputies d ON d.person = f.person_id::text
        WHERE f.valid_to_position IS NULL GROUP BY f.person_id ORDER BY count(*) DESC, f.person_id LIMIT 1`,
    );
    // The station with the most deputies assigned (as bench:api-load), and its manager now.
    const { rows: stations } = await db.query<{ station: string; manager: string }>(
      `WITH busiest AS (SELECT data->>'stationId' AS station FROM yingpan.events WHERE type = 'DeputyAssignedToStation' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
       SELECT busiest.station, (SELECT m.data->>'managerPersonId' FROM yingpan.events m WHERE m.type = 'StationManagerAssigned' AND m.data->>'stationId' = busiest.station
                                 ORDER BY m.position DESC LIMIT 1) AS manager
         FROM busiest`,
    );
    const { rows: closed } = await db.query<{ term: string }>(
      `SELECT data->>'termId' AS term FROM yingpan.events WHERE type = 'TermClosed' ORDER BY position LIMIT 1`,
    );
    // The new-term deputy who inherited the most of the closed term's open items.
    const dossier = await graphql<{ handoverDossier: { openItems: { edges: { node: { inheritor: { personId: string } | null } }[] } } }>(
      server,
      `query($termId: ID!) { handoverDossier(termId: $termId) { openItems(first: 100, flagged: false) { edges { node { inheritor { personId } } } } } }`,
      { termId: closed[0]!.term },
    );
    const counts = new Map<string, number>();
    for (const edge of dossier.handoverDossier.openItems.edges) {
      const person = edge.node.inheritor?.personId;
      if (person) counts.set(person, (counts.get(person) ?? 0) + 1);
    }
    const inheritor = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    if (!deputies[0] || !stations[0]?.manager || !inheritor) throw new Error('the county has no deputy with records, no managed station or no inheritor');
    return { deputy: deputies[0].person, station: stations[0].station, manager: stations[0].manager, inheritor, inherited: counts.get(inheritor)! };
  } finally {
    await db.close();
  }
}

function pagesFor(s: Awaited<ReturnType<typeof subjects>>): { baseline: PageSpec; pages: PageSpec[] } {
  const staff: MintOptions = { role: 'staff' };
  return {
    baseline: { name: 'baseline: sign-in page', path: '/signin', as: null, asLabel: 'signed out', content: '[data-testid="signin-form"]' },
    pages: [
      { name: 'dashboard', path: '/', as: staff, asLabel: 'staff', content: '[data-testid="team-township-table"]' },
      { name: 'people', path: '/people', as: staff, asLabel: 'staff', content: '[data-testid="person-row"]' },
      {
        name: 'a deputy (own scorecard)',
        path: `/people/${s.deputy}`,
        as: { role: 'deputy', personId: s.deputy },
        asLabel: 'the deputy',
        content: '[data-testid="score-total"]',
      },
      { name: 'stations', path: '/stations', as: staff, asLabel: 'staff', content: '[data-testid="stations-list"]' },
      {
        name: 'a station',
        path: `/stations/${s.station}`,
        as: { role: 'station-manager', personId: s.manager },
        asLabel: 'its manager',
        content: '[data-testid="compliance-grid"]',
      },
      { name: 'training', path: '/training', as: staff, asLabel: 'staff', content: '[data-testid="attendance-form"]' },
      { name: 'handover: closed term’s dossier', path: '/handover', as: staff, asLabel: 'staff', content: '[data-testid="dossier-title"]' },
      {
        name: 'handover: what I inherited',
        path: '/handover',
        as: { role: 'deputy', personId: s.inheritor },
        asLabel: 'a new-term deputy',
        content: '[data-testid="inherited-item"]',
      },
      { name: 'record', path: '/record', as: staff, asLabel: 'staff', content: 'main form' },
      { name: 'audit', path: '/audit', as: { role: 'auditor' }, asLabel: 'auditor', content: '[data-testid="audit-events"]' },
      { name: 'public', path: '/public', as: null, asLabel: 'signed out', content: '[data-testid="public-list"]' },
    ],
  };
}

const SESSION_COOKIE = 'yingpan_token';

/** One navigation to the spec's page in `page`, until it is ready; its figures. */
async function visit(page: Page, webUrl: string, spec: PageSpec): Promise<Visit> {
  const requests: { request: Request; name: string }[] = [];
  const errors: string[] = [];
  const onRequest = (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname === '/graphql') {
      let name = 'graphql';
      try {
        const body = request.postDataJSON() as { operationName?: string; variables?: { groupBy?: string[]; after?: string } } | null;
        name = body?.operationName ?? name;
        if (body?.variables?.groupBy) name += `(${body.variables.groupBy.join('×') || 'total'})`;
        if (body?.variables?.after) name += ' (next page)';
      } catch {
        // not JSON
      }
      requests.push({ request, name });
    } else if (url.pathname === '/session') requests.push({ request, name: '/session' });
  };
  const onError = (error: Error) => errors.push(error.message);
  page.on('request', onRequest);
  page.on('pageerror', onError);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const before = await mainThreadTimes(cdp);
    await page.goto(`${webUrl}${spec.path}`, { waitUntil: 'domcontentloaded', timeout: TIMEOUT_MS });
    let problem: string | null = null;
    try {
      await page.waitForFunction(READY, undefined, { timeout: TIMEOUT_MS, polling: 50 });
    } catch {
      problem = `not ready after ${TIMEOUT_MS / 1000} s`;
    }
    const after = await mainThreadTimes(cdp);
    const figures = (await page.evaluate(FIGURES)) as Figures;
    if (!problem && figures.path !== spec.path) problem = `ended on ${figures.path}`;
    if (!problem && figures.alerts.length > 0) problem = `shows an error: ${figures.alerts[0]}`;
    if (!problem && (await page.locator(spec.content).count()) === 0) problem = `${spec.content} is not on the page`;
    if (!problem && errors.length > 0) problem = `page error: ${errors[0]}`;
    const timed: RequestTiming[] = [];
    for (const { request, name } of requests) {
      const timing = request.timing();
      if (timing.startTime <= 0 || timing.responseEnd < 0) continue;
      timed.push({ name, start: timing.startTime - figures.timeOrigin, end: timing.startTime + timing.responseEnd - figures.timeOrigin });
    }
    return {
      tti: figures.readyAt,
      ttfb: figures.ttfb,
      fcp: figures.fcp,
      dcl: figures.dcl,
      load: figures.load,
      graphqlRequests: requests.filter((entry) => entry.name !== '/session').length,
      jsBytes: figures.jsBytes,
      scripts: {
        count: figures.scripts.length,
        start: Math.min(...figures.scripts.map(([start]) => start)),
        end: Math.max(...figures.scripts.map(([, end]) => end)),
      },
      requests: timed.sort((a, b) => a.start - b.start),
      mainThread: { tasks: after.tasks - before.tasks, script: after.script - before.script, styleLayout: after.styleLayout - before.styleLayout },
      problem,
    };
  } finally {
    page.off('request', onRequest);
    page.off('pageerror', onError);
    await cdp.detach().catch(() => undefined);
  }
}

/** The renderer main thread's busy time so far (ms): all tasks, scripts, style recalculation and layout. */
async function mainThreadTimes(cdp: CDPSession): Promise<{ tasks: number; script: number; styleLayout: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return { tasks: value('TaskDuration'), script: value('ScriptDuration'), styleLayout: value('RecalcStyleDuration') + value('LayoutDuration') };
}

/** A cold visit (fresh context) and a warm one (the same page again in it). */
async function coldAndWarm(browser: Browser, server: ApiServer, webUrl: string, spec: PageSpec): Promise<[Visit, Visit]> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  try {
    if (spec.as) {
      const token = await server.mint({ ...spec.as, expiresIn: '2h' });
      await context.addCookies([{ name: SESSION_COOKIE, value: token, url: webUrl, httpOnly: true, sameSite: 'Lax' }]);
    }
    await context.addInitScript(MONITOR);
    const page = await context.newPage();
    const cold = await visit(page, webUrl, spec);
    const warm = await visit(page, webUrl, spec);
    return [cold, warm];
  } finally {
    await context.close();
  }
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const max = (values: number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} ms` : '–');
const times = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '–');
const good = (visits: Visit[]) => visits.filter((visit) => !visit.problem);

/** The run whose time to interactive is the median one (the lower middle). */
function medianVisit(visits: Visit[]): Visit | undefined {
  const sorted = [...good(visits)].sort((a, b) => a.tti - b.tti);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

function resultsTable(baseline: PageResult, results: PageResult[]): string {
  const base = { cold: median(good(baseline.cold).map((v) => v.tti)), warm: median(good(baseline.warm).map((v) => v.tti)) };
  const header =
    '| page | as | cold: median | max | × baseline | warm: median | max | × baseline | cold median run: first byte / FCP / DOMContentLoaded / load | cold median run: main thread busy (scripts / style + layout) | GraphQL requests | JS transferred cold | failed runs |';
  const line = (result: PageResult) => {
    const cold = good(result.cold).map((v) => v.tti);
    const warm = good(result.warm).map((v) => v.tti);
    const typical = medianVisit(result.cold);
    const over = median(cold) > BAR_MS || median(warm) > BAR_MS ? ' ✗' : '';
    const failed = result.cold.length + result.warm.length - cold.length - warm.length;
    return (
      `| ${result.spec.name} (\`${result.spec.path.replace(/[0-9a-f-]{36}/, '<id>')}\`)${over} | ${result.spec.asLabel} | ${ms(median(cold))} | ${ms(max(cold))} | ${times(median(cold), base.cold)} | ` +
      `${ms(median(warm))} | ${ms(max(warm))} | ${times(median(warm), base.warm)} | ` +
      `${typical ? [typical.ttfb, typical.fcp, typical.dcl, typical.load].map((value) => Math.round(value)).join(' / ') + ' ms' : '–'} | ` +
      `${typical ? `${Math.round(typical.mainThread.tasks)} ms (${Math.round(typical.mainThread.script)} / ${Math.round(typical.mainThread.styleLayout)})` : '–'} | ` +
      `${typical?.graphqlRequests ?? '–'} | ${typical ? `${(typical.jsBytes / 1024).toFixed(0)} KiB` : '–'} | ${failed} |`
    );
  };
  return [header, `| --- | --- |${' ---: |'.repeat(11)}`, line(baseline), ...results.map(line)].join('\n');
}

/** Each page's median cold run, request by request (ms from the navigation's start). */
function waterfalls(results: PageResult[]): string {
  const lines = [
    'Where the time goes: the median cold run of each page, its JavaScript files (how many, from the first one asked to the last one received), its requests to /session and /graphql (start–end, ms from the navigation’s start) and its time to interactive.',
    '',
  ];
  for (const result of results) {
    const typical = medianVisit(result.cold);
    if (!typical) continue;
    const requests = typical.requests.map((request) => `${request.name} ${Math.round(request.start)}–${Math.round(request.end)}`).join(', ');
    const scripts =
      typical.scripts.count > 0 ? `${typical.scripts.count} scripts ${Math.round(typical.scripts.start)}–${Math.round(typical.scripts.end)}, ` : '';
    lines.push(`- **${result.spec.name}**: interactive at ${ms(typical.tti)}; ${scripts}${requests || 'no requests'}`);
  }
  return lines.join('\n');
}

function problems(results: PageResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    for (const [kind, visits] of [
      ['cold', result.cold],
      ['warm', result.warm],
    ] as const) {
      for (const visit of visits) if (visit.problem) lines.push(`- ${result.spec.name}, ${kind}: ${visit.problem}`);
    }
  }
  return lines.length > 0 ? [['Failed runs (left out of the figures):', '', ...lines].join('\n')] : [];
}

async function main(): Promise<void> {
  databaseUrl();
  const options = parseOptions(process.argv.slice(2), process.env);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium`);
  ensureWebBuild();
  const server = await startApiServer({ scale: options.scale, seed: 1, rebuildCounty: options.rebuildCounty });
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    await web?.stop();
    await server.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  try {
    web = await startWeb(server.base);
    const chosen = await subjects(server);
    log(`deputy ${chosen.deputy}, station ${chosen.station} (manager ${chosen.manager}), inheritor ${chosen.inheritor} (${chosen.inherited} items)`);
    const { baseline: baseSpec, pages: allPages } = pagesFor(chosen);
    const pages = options.only ? allPages.filter((spec) => options.only!.some((name) => spec.name.includes(name) || spec.path === name)) : allPages;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const results = [baseSpec, ...pages].map((spec): PageResult => ({ spec, cold: [], warm: [] }));
    for (let round = 0; round <= options.runs; round++) {
      log(round === 0 ? 'warm-up round (not counted)…' : `round ${round} of ${options.runs}…`);
      for (const result of results) {
        const [cold, warm] = await coldAndWarm(browser, server, web.url, result.spec);
        if (round === 0) {
          if (cold.problem || warm.problem) log(`  ${result.spec.name}: ${cold.problem ?? warm.problem}`);
          continue;
        }
        result.cold.push(cold);
        result.warm.push(warm);
        log(
          `  ${result.spec.name}: cold ${ms(cold.tti)}${cold.problem ? ` (${cold.problem})` : ''}, warm ${ms(warm.tti)}${warm.problem ? ` (${warm.problem})` : ''}`,
        );
      }
    }
    const [baseline, ...measured] = results as [PageResult, ...PageResult[]];
    const errors = server.loggedErrors();
    const db = postgresDb({ connectionString: server.databaseUrl, max: 1 });
    const machine = await describeMachine(db).finally(() => db.close());
    const county = server.county;
    const chromiumVersion = browser.version();
    const over = measured.filter((result) => median(good(result.cold).map((v) => v.tti)) > BAR_MS || median(good(result.warm).map((v) => v.tti)) > BAR_MS);
    const workload = [
      `Workload: the ${options.scale} demo county (seed 1: ${county.events.toLocaleString('en-US')} events, ${county.people} people, ${county.stations} stations; ${server.countySource}), ` +
        `the API (api-server-child.ts: openRuntime on PostgreSQL, projector running) and the built web server (web/build, adapter-node) on this machine, ` +
        `Chromium ${chromiumVersion} headless (${CHROMIUM}) at ${VIEWPORT.width}×${VIEWPORT.height}, locale zh-CN. ` +
        `${options.runs} rounds after a warm-up round; each round opens every page once cold (a new browser context) and once warm (again in that context). ` +
        `Subjects: the open term's deputy with the most records (their own scorecard), the station with the most deputies (as its manager), the closed term's dossier (staff) and ` +
        `the new-term deputy who inherited the most of its open items (${chosen.inherited} of the first 100).`,
      '',
      "Time to interactive: from the navigation's start to the first frame after the page was hydrated (the root layout's `data-hydrated`), showed no loading indicator " +
        `(no \`aria-busy="true"\`) and had no fetch in flight, the last time all three came to hold, checked after ${QUIET_MS} ms of quiet. ` +
        "Main thread busy: what Chromium's Performance metrics count for the renderer's main thread from the navigation to interactive (all its tasks; of which scripts, and style recalculation with layout), thread time. " +
        'Baseline: the sign-in page signed out on the same server in the same run (the app shell, its viewer in the page document, no GraphQL). ' +
        `✗: a median over the ${BAR_MS} ms bar. API errors logged during the run: ${errors.errors}. ` +
        'Nothing is written to the log during the run, so the answers the API keeps while no read model moves (services/api/src/read-cache.ts: ' +
        'score bands, compliance, handover dossiers, station lists and books) are computed in the warm-up round and served from memory afterwards: ' +
        'these figures are the steady state between writes; the first visit after a write pays the computation.',
    ];
    const verdict =
      over.length === 0
        ? `Every page's median time to interactive is under ${BAR_MS} ms, cold and warm.`
        : `Over ${BAR_MS} ms (median, cold or warm): ${over.map((result) => result.spec.name).join(', ')}.`;
    const report = renderDocument(
      titled('yingpan pages: time to interactive'),
      machine,
      workload,
      [resultsTable(baseline, measured), verdict, waterfalls([baseline, ...measured])],
      problems(results),
    );
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    log(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await stop();
  }
}

await main();
