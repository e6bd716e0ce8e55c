/** Writes docs/concepts.md (src/concepts.ts); `--check` only compares and exits 1 when it is stale. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConcepts } from '../src/concepts.ts';
import { allProjections } from '../src/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const file = new URL('../../docs/concepts.md', import.meta.url);
const text = renderConcepts(root, allProjections);
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {}
  if (committed !== text) {
    console.error('docs/concepts.md is stale: run npm run concepts -w @yingpan/projections');
    process.exit(1);
  }
  console.log('docs/concepts.md is up to date');
} else {
  writeFileSync(file, text);
  console.log('wrote docs/concepts.md');
}
