/** `npm test` runs the end-to-end test against build/index.js: build first when it is missing. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(new URL('../build/index.js', import.meta.url))) {
  console.log('[web] build/index.js is missing: running `npm run build` first');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
