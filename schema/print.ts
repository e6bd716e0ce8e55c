/**
 * Prints the API's SDL to schema.graphql. With --check it writes nothing and fails when the
 * committed file differs from what the code defines (run `npm run print -w @yingpan/schema`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { printSdl } from '@yingpan/api/schema';

const file = new URL('./schema.graphql', import.meta.url);
const sdl = printSdl();

if (process.argv.includes('--check')) {
  const committed = readFileSync(file, 'utf8');
  if (committed !== sdl) {
    console.error('schema/schema.graphql is stale: run `npm run print -w @yingpan/schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema/schema.graphql matches the code.');
} else {
  writeFileSync(file, sdl);
  console.log('wrote schema/schema.graphql');
}
