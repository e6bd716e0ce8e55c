/**
 * The end-to-end tests drive Debian's Chromium (never a downloaded browser): its headless shell at
 * /usr/bin/chromium-headless-shell, the same release built without the browser's window (less than
 * half the processor per page), or /usr/bin/chromium where the shell cannot be had; with a Chinese
 * font so the screenshots read. `npm test` runs this first: when one of them is missing it installs
 * them with apt-get where it can (as root), and otherwise stops at once with the one command to run,
 * instead of failing minutes later. Without the shell but with /usr/bin/chromium it goes on, saying so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
// By path: this runs before anything else of the tests, from the repository's root.
import { CHROMIUM_BROWSER as CHROMIUM, CHROMIUM_SHELL as SHELL, testChromium } from '../../services/test-config/chromium.mjs';

const PACKAGES = ['chromium-headless-shell', 'chromium', 'fonts-wqy-microhei'];

function hasChineseFont() {
  try {
    return /wenquanyi|wqy/i.test(execFileSync('fc-list', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return false;
  }
}

const missing = [
  ...(existsSync(SHELL) ? [] : ['chromium-headless-shell']),
  ...(existsSync(CHROMIUM) ? [] : ['chromium']),
  ...(hasChineseFont() ? [] : ['fonts-wqy-microhei']),
];
if (missing.length === 0) process.exit(0);
/** Enough to run the tests: a Chromium (the shell or the browser) and the font. */
const enough = () => (existsSync(SHELL) || existsSync(CHROMIUM)) && hasChineseFont();

const command = `apt-get install -y ${PACKAGES.join(' ')}`;
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall && enough()) {
  console.log(`[yingpan] ${SHELL} is not installed: the end-to-end tests drive ${CHROMIUM} (install chromium-headless-shell for faster runs).`);
  process.exit(0);
}
if (!canInstall) {
  console.error(`[yingpan] The end-to-end tests need Debian's ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed.`);
  console.error(`[yingpan] Install ${missing.length > 1 ? 'them' : 'it'} once, as root, then run npm test again:\n\n    sudo ${command}\n`);
  process.exit(1);
}

console.log(`[yingpan] Installing ${missing.join(' and ')} for the end-to-end tests (${command}) …`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', ...PACKAGES],
]) {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (result.status !== 0 && enough()) {
    console.log(`[yingpan] apt-get ${args[0]} failed, so ${missing.join(' and ')} could not be installed: the end-to-end tests drive ${CHROMIUM}.`);
    process.exit(0);
  }
  if (result.status !== 0) {
    console.error(
      `[yingpan] apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}). Install by hand, then run npm test again:\n\n    ${command}\n`,
    );
    process.exit(1);
  }
}
const driven = testChromium();
if (!existsSync(driven)) {
  console.error(`[yingpan] apt-get finished but ${CHROMIUM} is still missing.`);
  process.exit(1);
}
console.log(`[yingpan] ${execFileSync(driven, ['--version'], { encoding: 'utf8' }).trim()} (${driven}) is installed.`);
