/** Writes docs/concepts.md (src/concepts.ts); `--check` only compares and exits 1 when it is stale. */
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from '../../scripts/generated-file.mts';
import { renderConcepts } from '../src/concepts.ts';
import { allProjections } from '../src/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
writeOrCheck('docs/concepts.md', renderConcepts(root, allProjections), 'npm run concepts -w @yingpan/projections');
