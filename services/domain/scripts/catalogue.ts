import { writeFileSync } from 'node:fs';
import { renderCatalogue } from '../src/catalogue.ts';
import { registry } from '../src/registry.ts';

writeFileSync(new URL('../../../docs/events.md', import.meta.url), renderCatalogue(registry));
console.log('wrote docs/events.md');
