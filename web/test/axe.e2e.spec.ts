/**
 * An accessibility scan of every page with axe-core (WCAG 2.1 A and AA rules), as each of its users
 * sees it: office staff on a desktop, a deputy on a 390×844 phone, an auditor, an administrator and
 * the public. A page passes when axe reports no violation of "serious" or "critical" impact once
 * its data has loaded; the "moderate" and "minor" findings are printed for the record.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { AxeResults, Result } from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, TODAY } from './servers';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const BLOCKING = new Set(['serious', 'critical']);

type Viewer = 'staff' | 'deputy' | 'auditor' | 'admin' | 'public';

describe('accessibility scan (axe-core, WCAG 2.1 AA)', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let axeSource: string;
  let personId: string;
  let stationId: string;
  let deputyId: string;

  const contexts = new Map<Viewer, Promise<BrowserContext>>();

  /** One browser context per viewer, made once even when scans ask for it at the same time. */
  function contextFor(viewer: Viewer): Promise<BrowserContext> {
    let context = contexts.get(viewer);
    if (!context) {
      context = openContext(viewer);
      contexts.set(viewer, context);
    }
    return context;
  }

  async function openContext(viewer: Viewer): Promise<BrowserContext> {
    const phone = viewer === 'deputy';
    const context = await browser!.newContext({
      viewport: phone ? PHONE : DESKTOP,
      ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    if (viewer === 'deputy') await signIn(context, webUrl, { role: 'deputy', personId: deputyId });
    else if (viewer !== 'public') await signIn(context, webUrl, { role: viewer });
    return context;
  }

  /** Opens `path` as `viewer`, waits until nothing on it is loading, and runs axe over the page. */
  async function scan(viewer: Viewer, path: string): Promise<{ page: Page; results: AxeResults }> {
    const page = await (await contextFor(viewer)).newPage();
    await page.goto(`${webUrl}${path}`);
    await page.locator('main').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, undefined, { timeout: 30_000 });
    await page.addScriptTag({ content: axeSource });
    const results = (await page.evaluate(() =>
      // axe is injected into the page as a global.
      (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }),
    )) as AxeResults;
    return { page, results };
  }

  const describeViolation = (violation: Result) =>
    `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
      .slice(0, 5)
      .map((node) => `    ${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
      .join('\n')}`;

  beforeAll(async () => {
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const staff = await mintToken({ role: 'staff' });
    const { peopleSearch, stations } = await gqlThrough(
      webUrl,
      staff,
      'query($day: Date) { peopleSearch(first: 20, filters: { team: DEPUTY, validOn: $day }) { edges { node { personId } } } stations(first: 5) { edges { node { stationId } } } }',
      { day: TODAY },
    );
    personId = peopleSearch.edges[0].node.personId;
    deputyId = peopleSearch.edges[1].node.personId;
    stationId = stations.edges[0].node.stationId;
    browser = await openBrowser();
  });

  afterAll(async () => {
    for (const context of contexts.values()) await (await context).close();
    await browser?.close();
  });

  const pages: [viewer: Viewer, path: string | (() => string), name?: string][] = [
    ['staff', '/'],
    ['staff', '/people'],
    ['staff', () => `/people/${personId}`, '/people/<a deputy>'],
    ['staff', '/stations'],
    ['staff', () => `/stations/${stationId}`, '/stations/<a station>'],
    ['staff', '/record'],
    ['staff', '/training'],
    ['staff', '/handover'],
    ['staff', '/regulations'],
    ['staff', '/import'],
    ['staff', '/account'],
    ['deputy', '/me'],
    ['deputy', '/record'],
    ['auditor', '/audit'],
    ['admin', '/admin/accounts'],
    ['admin', '/admin/system'],
    ['admin', '/settings'],
    ['public', '/public'],
    ['public', '/public/checkpoints'],
    ['public', '/login'],
    ['public', '/login/sso/result'],
  ];

  for (const [viewer, where, name] of pages) {
    const label = name ?? String(where);
    // The pages are scanned a few at a time: most of a scan is waiting for the page's data.
    it.concurrent(`${label} as ${viewer}: no serious or critical violation`, async ({ expect }) => {
      const path = typeof where === 'string' ? where : where();
      const { page, results } = await scan(viewer, path);
      try {
        const blocking = results.violations.filter((violation) => BLOCKING.has(violation.impact ?? ''));
        const other = results.violations.filter((violation) => !BLOCKING.has(violation.impact ?? ''));
        if (other.length > 0) console.info(`[axe] ${path} as ${viewer}, not blocking:\n${other.map(describeViolation).join('\n')}`);
        expect(results.passes.length, 'axe ran its rules on the page').toBeGreaterThan(10);
        expect(blocking.map(describeViolation), `${path} as ${viewer}`).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
