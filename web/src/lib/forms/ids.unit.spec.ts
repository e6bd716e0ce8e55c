import { describe, expect, it } from 'vitest';
import { randomId, UUID } from './ids';

describe('ids the client chooses', () => {
  it('makes random UUIDs the API accepts', () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(UUID);
  });
});
