/** Writes docs/events.md, the event catalogue (src/catalogue.ts); `--check` only compares and exits 1 when it is stale. */
import { writeOrCheck } from '../../../scripts/generated-file.mts';
import { renderCatalogue } from '../src/catalogue.ts';
import { registry } from '../src/registry.ts';

writeOrCheck('docs/events.md', renderCatalogue(registry), 'npm run catalogue -w @yingpan/domain');
