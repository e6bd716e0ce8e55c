/**
 * The Chromium the tests drive, in one place: Debian's `chromium-headless-shell` (the same release as
 * the `chromium` package, built as the headless shell, without the browser's window and tab
 * machinery: less than half the processor per page, docs/performance.md "The test suite's time")
 * where it is installed, which `npm test` sees to (web/scripts/ensure-chromium.mjs), and Debian's
 * `/usr/bin/chromium` in its headless mode otherwise. Both lay out and run a page with the same Blink
 * and V8. Never a downloaded browser. Plain JavaScript: the install check imports it before any
 * TypeScript loader is there.
 */
import { existsSync } from 'node:fs';

/** Debian's headless shell (package chromium-headless-shell). */
export const CHROMIUM_SHELL = '/usr/bin/chromium-headless-shell';
/** Debian's browser (package chromium). */
export const CHROMIUM_BROWSER = '/usr/bin/chromium';

/** The executable the tests launch now: the shell where it is installed, else the browser. */
export function testChromium() {
  return existsSync(CHROMIUM_SHELL) ? CHROMIUM_SHELL : CHROMIUM_BROWSER;
}
