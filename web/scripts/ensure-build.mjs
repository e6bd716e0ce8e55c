/**
 * `npm test` runs the end-to-end tests against build/index.js: build first when it is missing or
 * older than any source of the web (src/, static/, the configuration and its plugins in vite/, the
 * API's schema), so a test never runs against pages that no longer match the code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = path.join(root, 'build/index.js');

/** The newest modification time under `target` (a file or a directory), 0 when it does not exist. */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'vite', 'codegen.ts', 'package.json', '../schema/schema.graphql'];
const reason = !existsSync(built)
  ? 'build/index.js is missing'
  : sources.some((source) => newest(path.join(root, source)) > statSync(built).mtimeMs)
    ? 'the sources changed since build/index.js was built'
    : null;
if (reason) {
  console.log(`[web] ${reason}: running \`npm run build\` first`);
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
