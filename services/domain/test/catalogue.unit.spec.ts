import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../src/registry.ts';

const catalogue = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
const documented = [...catalogue.matchAll(/^### (\w+) \(v(\d+)\)$/gm)].map(([, type, version]) => `${type} v${version}`);

describe('docs/events.md', () => {
  it('documents exactly the registered event types, at their current versions', () => {
    const registered = registry.all().map((definition) => `${definition.type} v${definition.version}`);
    expect([...documented].sort()).toEqual([...registered].sort());
  });
});
