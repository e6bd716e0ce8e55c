/**
 * The end-to-end files' Chromium: launched once for all of them. The files take turns in one worker
 * that shares their modules (vitest.config.ts: `isolate: false`), so the browser the first file
 * launches serves every file after it, instead of each starting and stopping one of its own (seconds
 * each on a busy machine). What a file sees is unchanged: every test opens contexts of its own (their
 * cookies and storage apart from any other's), and `close()` closes the contexts this file opened,
 * as closing its own browser used to. The browser ends with the worker (Playwright kills what it
 * launched when the process exits); one that crashed or was closed is launched again.
 */
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './servers';

let shared: Promise<Browser> | undefined;

async function chromiumBrowser(): Promise<Browser> {
  const current = await shared?.catch(() => undefined);
  if (current?.isConnected()) return current;
  shared = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return shared;
}

/** A file's view of the shared browser: the contexts it opens, closed together by `close()`. */
export interface TestBrowser {
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  const browser = await chromiumBrowser();
  const contexts = new Set<BrowserContext>();
  return {
    async newContext(options) {
      const context = await browser.newContext(options);
      contexts.add(context);
      context.once('close', () => contexts.delete(context));
      return context;
    },
    async close() {
      await Promise.all([...contexts].map((context) => context.close()));
    },
  };
}

/**
 * The most of a page's height a full-page screenshot keeps, in CSS pixels. A station's books laid
 * out for print run to fifty thousand pixels; encoding all of that took more than the screenshot's
 * thirty seconds on a busy machine, and nobody looks past the first screens of it.
 */
const SHOT_MAX_HEIGHT = 8000;

/** A screenshot of the whole page, or of its top `SHOT_MAX_HEIGHT` pixels when it is taller. */
export async function fullPageShot(page: Page, file: string): Promise<void> {
  const { width, height } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, SHOT_MAX_HEIGHT) } });
}
