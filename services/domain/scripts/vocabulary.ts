/**
 * Writes the web's copy of the domain vocabulary (src/vocabulary.ts); `--check` only compares and
 * exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { registry } from '../src/registry.ts';
import { renderWebVocabulary, WEB_VOCABULARY_PATH } from '../src/vocabulary.ts';

const file = new URL(`../../../${WEB_VOCABULARY_PATH}`, import.meta.url);
const text = renderWebVocabulary(registry);
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {}
  if (committed !== text) {
    console.error(`${WEB_VOCABULARY_PATH} is stale: run npm run vocabulary -w @yingpan/domain`);
    process.exit(1);
  }
  console.log(`${WEB_VOCABULARY_PATH} is up to date`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${WEB_VOCABULARY_PATH}`);
}
