import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCatalogue } from '../src/catalogue.ts';
import { registry } from '../src/registry.ts';

describe('docs/events.md', () => {
  it('is the catalogue of the registered events (run `npm run catalogue -w @yingpan/domain` after changing an event)', () => {
    const committed = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderCatalogue(registry));
  });

  it('lists every registered type at its current version', () => {
    for (const definition of registry.all()) expect(renderCatalogue(registry)).toContain(`### ${definition.type} (v${definition.version})`);
  });
});
