/**
 * A committed generated file, written or checked: `writeOrCheck(path, text, command)` writes `text` to `path`
 * (relative to the repository's root), or, when the script was run with `--check`, writes nothing and sets
 * exit code 1 if the committed file is missing or differs, naming the `command` that regenerates it. Every
 * generator ends in this one call: docs/events.md and the web's vocabulary (services/domain/scripts),
 * docs/concepts.md (projections/scripts), schema/schema.graphql (schema/print.ts).
 *
 * It sits at the repository's root, beside the other repository tooling, rather than in a package: the
 * generators belong to the domain, the projections and the schema, which depend on one another in that
 * order, and their files land all over the repository. A plain module that imports only `node:fs` can be
 * imported by each of them by a relative path, with no package to depend on and so no cycle to make. It
 * is `.mts` because the root package is not an ES module package.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const ROOT = new URL('../', import.meta.url);

export type Outcome = 'written' | 'current' | 'stale';

export function writeOrCheck(path: string, text: string, command: string, argv: readonly string[] = process.argv): Outcome {
  const file = new URL(path, ROOT);
  if (!argv.includes('--check')) {
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
    return 'written';
  }
  let committed: string | undefined;
  try {
    committed = readFileSync(file, 'utf8');
  } catch {}
  if (committed !== text) {
    console.error(`${path} is stale: run \`${command}\` and commit the result.`);
    process.exitCode = 1;
    return 'stale';
  }
  console.log(`${path} is up to date`);
  return 'current';
}
