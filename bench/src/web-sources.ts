/**
 * The web client's folder as the benchmarks see it: when something derived from its sources (the
 * build for pages.ts, the codegen output for web-documents.ts) is older than them, and running one
 * of its npm scripts to bring it up to date.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
export const REPO_ROOT = path.join(WEB_DIR, '..');
/** Codegen's output (web/codegen.ts): generated from the sources, so never one of them. */
const GENERATED = path.join(WEB_DIR, 'src', 'lib', 'gql');

/**
 * The newest modification time (ms) under `target`: the file itself, or every directory and every
 * file below it that `accept` takes (all files by default). Directories count whatever `accept`
 * says, so a deleted or renamed source shows too. web/src/lib/gql is skipped.
 */
export function newestUnder(target: string, accept: (file: string) => boolean = () => true): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target)) {
    const child = path.join(target, entry);
    if (child === GENERATED) continue;
    if (statSync(child).isDirectory()) newest = Math.max(newest, newestUnder(child, accept));
    else if (accept(child)) newest = Math.max(newest, statSync(child).mtimeMs);
  }
  return newest;
}

/** `npm run <script> -w @yingpan/web` from the repository's root, its output on stderr; throws if it fails. */
export function runWebScript(script: string): void {
  const result = spawnSync('npm', ['run', script, '-w', '@yingpan/web'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.error) throw new Error(`npm run ${script} -w @yingpan/web could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm run ${script} -w @yingpan/web failed (exit code ${result.status ?? result.signal})`);
}
