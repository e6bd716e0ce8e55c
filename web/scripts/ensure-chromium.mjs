/**
 * The end-to-end tests drive Debian's Chromium at /usr/bin/chromium (never a downloaded browser),
 * with a Chinese font so the screenshots read. `npm test` runs this first: when Chromium or the
 * font is missing it installs them with apt-get where it can (as root), and otherwise stops at
 * once with the one command to run, instead of failing minutes later.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-wqy-microhei'];

function hasChineseFont() {
  try {
    return /wenquanyi|wqy/i.test(execFileSync('fc-list', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return false;
  }
}

const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(hasChineseFont() ? [] : ['fonts-wqy-microhei'])];
if (missing.length === 0) process.exit(0);

const command = `apt-get install -y ${PACKAGES.join(' ')}`;
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
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
  if (result.status !== 0) {
    console.error(
      `[yingpan] apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}). Install by hand, then run npm test again:\n\n    ${command}\n`,
    );
    process.exit(1);
  }
}
if (!existsSync(CHROMIUM)) {
  console.error(`[yingpan] apt-get finished but ${CHROMIUM} is still missing.`);
  process.exit(1);
}
console.log(`[yingpan] ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()} is installed.`);
