import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderConcepts } from '../src/concepts.ts';
import { allProjections } from '../src/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/concepts.md', () => {
  it('is the concept index of the code as it stands (run `npm run concepts -w @yingpan/projections` after moving a concept’s files)', () => {
    expect(readFileSync(new URL('../../docs/concepts.md', import.meta.url), 'utf8')).toBe(renderConcepts(root, allProjections));
  });

  it('finds each concept’s events and the read models that project them', () => {
    const station = renderConcepts(root, allProjections)
      .split('\n')
      .find((line) => line.startsWith('| station '));
    expect(station).toContain('`services/domain/src/station/events.ts`');
    expect(station).toContain('stations (`projections/src/stations/`)');
    expect(station).toContain('facts (`projections/src/facts/`)');
  });
});
